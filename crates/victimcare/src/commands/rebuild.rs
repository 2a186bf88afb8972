use chrono::Utc;
use store::Db;

pub async fn rebuild(db: &Db, repair: bool) -> anyhow::Result<()> {
    let report = db.rebuild(repair, Utc::now()).await?;
    println!(
        "Checked {} cases and {} events.",
        report.cases, report.events
    );
    let differing = report.cases_differing + report.victims_differing + report.links_missing;
    if differing == 0 {
        println!("Every stored projection matches its events.");
    } else {
        println!(
            "Differences: {} case projections, {} victims' details, {} missing victim links.",
            report.cases_differing, report.victims_differing, report.links_missing
        );
        for reference in &report.differing_references {
            println!("  differs: {reference}");
        }
        if repair {
            println!("All differences were corrected from the events.");
        } else {
            println!("Nothing was changed (--check-only). Run without it to correct them.");
        }
    }
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}
