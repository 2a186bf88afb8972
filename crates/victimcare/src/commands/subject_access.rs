//! `victimcare subject-access`: everything held about one victim, as a readable document in
//! their language and as JSON, written only for the person who runs it, and recorded.

use anyhow::Context as _;
use chrono::Utc;
use std::path::Path;
use store::{AuditEntry, Db};

pub async fn export(
    db: &Db,
    crime_reference: &str,
    victim: Option<usize>,
    by: &str,
    out: &Path,
) -> anyhow::Result<()> {
    let reference = domain::CrimeReference::parse(crime_reference)
        .map_err(|p| anyhow::anyhow!("--crime-reference: {p}"))?;
    let (case_id, victim_id) = db
        .portal_victim(&reference, victim)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let now = Utc::now();
    let access = db
        .subject_access(victim_id, now)
        .await?
        .context("the victim has gone")?;
    let lang = access
        .victim
        .pointer("/details/language")
        .and_then(|l| l.as_str())
        .and_then(web::i18n::Lang::parse)
        .unwrap_or_default();
    let html = web::subject_access::render(&access, lang)?;
    let json = serde_json::to_string_pretty(&access)?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let stem = format!("subject-access-{}", now.format("%Y%m%d-%H%M%S"));
    let (json_path, html_path) = (
        out.join(format!("{stem}.json")),
        out.join(format!("{stem}.html")),
    );
    // Personal data: readable by the person who made it only, and never over another file.
    crate::config::write_private(&json_path, &json)
        .with_context(|| format!("cannot write {}", json_path.display()))?;
    crate::config::write_private(&html_path, &html)
        .with_context(|| format!("cannot write {}", html_path.display()))?;
    db.audit(
        &AuditEntry {
            actor: by.to_owned(),
            action: "subject access export".into(),
            case_id: Some(case_id),
            victim_id: Some(victim_id),
            reason: Some("subject access request".into()),
            detail: format!(
                "{} records in {} tables, {} cases",
                access.records.iter().map(|(_, r)| r.len()).sum::<usize>(),
                access.records.len(),
                access.cases.len()
            ),
        },
        now,
    )
    .await?;
    println!("Wrote {} and {}.", html_path.display(), json_path.display());
    Ok(())
}
