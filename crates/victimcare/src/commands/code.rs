//! `victimcare code evaluate FILE.json`: the engine on one case, without a database.

use anyhow::Context as _;
use domain::calendar::Calendar;
use domain::code::{RuleSet, evaluate as run, scenario};
use std::path::Path;

pub fn evaluate(file: &Path) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let (case, victim, events) = scenario::parse(&text)
        .map_err(|p| anyhow::anyhow!("{}: {} {}", file.display(), p.field, p.problem))?;
    let obligations = run(
        &RuleSet::builtin(),
        &Calendar::default(),
        &case,
        &victim,
        &events,
    )?;
    println!("{}", serde_json::to_string_pretty(&obligations)?);
    Ok(())
}

/// `victimcare code load FILE --by NAME [--effective-from DATE]`.
pub async fn load(
    db: &store::Db,
    file: &Path,
    effective_from: Option<chrono::NaiveDate>,
    by: &str,
) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let info = db
        .load_rule_set(&text, effective_from, by, chrono::Utc::now())
        .await
        .map_err(|e| match e {
            store::StoreError::Refused(problems) => anyhow::anyhow!(
                "{} was not loaded: {}",
                file.display(),
                problems
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.problem))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            other => other.into(),
        })?;
    println!(
        "Loaded {} ({} rules), in force for events from {}.",
        info.label, info.rules, info.effective_from
    );
    println!("{}", serde_json::to_string(&info)?);
    Ok(())
}

/// `victimcare code rule-sets`.
pub async fn list(db: &store::Db) -> anyhow::Result<()> {
    let sets = db.rule_sets().await?;
    for s in &sets {
        println!(
            "{}\tfrom {}\t{} rules\t{}",
            s.label, s.effective_from, s.rules, s.loaded_by
        );
    }
    println!("{}", serde_json::to_string(&sets)?);
    Ok(())
}
