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
