//! `victimcare keys`: which key sealed what, rotating to a new key while the service runs,
//! and sealing everything again under the current key.

use crate::config::Settings;
use chrono::Utc;
use std::path::Path;
use store::Db;

/// Prints the keys held and how many values each sealed, by column.
pub async fn status(db: &Db) -> anyhow::Result<()> {
    let keys = db.sealer().keys();
    let active = keys.active_id().to_owned();
    let listed: Vec<String> = keys
        .ids()
        .iter()
        .map(|id| {
            if *id == active {
                format!("{id} (seals)")
            } else {
                (*id).to_owned()
            }
        })
        .collect();
    println!("Keys held, oldest first: {}", listed.join(", "));
    match db.sealer().key_file() {
        Some(path) => println!("Key file: {}", path.display()),
        None => println!("Keys from the settings ([security] field_keys)"),
    }
    println!();
    println!("{:<22} {:<10} {:>12}", "column", "key", "values");
    let mut plain = 0;
    for row in db.key_use().await? {
        let key = row.key_id.clone().unwrap_or_else(|| "none".into());
        if row.key_id.is_none() {
            plain += row.values;
        }
        println!("{:<22} {:<10} {:>12}", row.column, key, row.values);
    }
    if plain > 0 {
        println!();
        println!(
            "{plain} values were written before sealing began: `victimcare keys reseal` seals them."
        );
    }
    Ok(())
}

/// Adds a new key to the key file, waits for running instances to take it up, and seals
/// everything again under it.
pub async fn rotate(settings: &Settings, url: &str, by: &str) -> anyhow::Result<()> {
    if settings.security.field_keys.is_some() {
        anyhow::bail!(
            "the keys come from [security] field_keys: add a new key at the end of that list on \
             every instance, restart them, then run `victimcare keys reseal`"
        );
    }
    // Opening first makes the key file if there is none, and proves the keys held open the
    // database before anything changes.
    let db = super::open(url, settings).await?;
    let path = settings.security.field_keys_file.clone();
    // Two rotations at once must not each write the file from what they read before the
    // other wrote: the new key is added to the file as it is now, under a lock.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path.with_extension("lock"))
        .map_err(|e| anyhow::anyhow!("cannot lock {}: {e}", path.display()))?;
    lock.lock()?;
    let now = std::fs::read_to_string(&path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let next = store::FieldKeys::parse(&now)
        .map_err(|e| anyhow::anyhow!("{} {e}", path.display()))?
        .with_new_key();
    replace_private(&path, &next.to_text())?;
    lock.unlock()?;
    println!(
        "Key {} added to {}; it seals from now on.",
        next.active_id(),
        path.display()
    );
    // Every instance looks at the file before it next seals, once the interval has passed.
    let settle = store::KEY_FILE_CHECK + std::time::Duration::from_secs(1);
    println!(
        "Waiting {} s for running instances to take it up…",
        settle.as_secs()
    );
    tokio::time::sleep(settle).await;
    anyhow::ensure!(
        db.sealer().active_id() == next.active_id(),
        "the key file changed again while rotating; run `victimcare keys status`"
    );
    reseal(&db, by, true).await
}

/// Seals again under the current key, pass after pass until a pass finds nothing left (a
/// value sealed by an instance just before it took up the key is caught by the next pass).
pub async fn reseal(db: &Db, by: &str, rotated: bool) -> anyhow::Result<()> {
    let mut total = 0;
    for pass in 1..=5 {
        let report = db.reseal().await?;
        for (column, n) in &report.resealed {
            if *n > 0 {
                println!("pass {pass}: {column}: {n} values sealed again");
            }
        }
        total += report.total();
        if report.total() == 0 && report.skipped == 0 {
            break;
        }
    }
    let active = db.sealer().active_id();
    let left: i64 = db
        .key_use()
        .await?
        .iter()
        .filter(|u| u.key_id.as_deref() != Some(active.as_str()))
        .map(|u| u.values)
        .sum();
    db.audit(
        &store::AuditEntry {
            actor: by.to_owned(),
            action: if rotated {
                "rotated the field encryption key".into()
            } else {
                "sealed again under the current key".into()
            },
            detail: format!("key {active}: {total} values sealed again, {left} left under others"),
            ..store::AuditEntry::default()
        },
        Utc::now(),
    )
    .await?;
    println!("{total} values sealed again under key {active}; {left} under any other key.");
    if left > 0 {
        anyhow::bail!(
            "{left} values are still under another key: run `victimcare keys reseal` again"
        );
    }
    println!(
        "Keep the older keys in the file for as long as you keep backups made before today: \
         those backups need them."
    );
    Ok(())
}

/// Replaces a file with one only its owner can read, in one step (a reader sees the old file
/// or the new one, never half of either).
fn replace_private(path: &Path, text: &str) -> anyhow::Result<()> {
    let tmp = path.with_extension("new");
    let _ = std::fs::remove_file(&tmp);
    crate::config::write_private(&tmp, text)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path)
        .map_err(|e| anyhow::anyhow!("cannot replace {}: {e}", path.display()))?;
    // The rename is durable only once the folder that holds it is on disk.
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}
