//! `victimcare tick` and `victimcare compliance`.

use chrono::{DateTime, NaiveDate, Utc};
use store::{Db, GroupBy};

pub async fn tick(
    db: &Db,
    now: DateTime<Utc>,
    support: &crate::startup::SupportPass,
) -> anyhow::Result<()> {
    let report = db.tick(now).await?;
    let pass = support.run(db, now).await?;
    println!(
        "Referrals chased: {} (tasks opened). Survey invitations queued: {}. Unattended home \
         burglaries chased: {} (tasks opened; {} closed since attended).",
        pass.referrals_chased, pass.invited, pass.burglaries_chased, pass.attendance_tasks_closed
    );
    if report.ran {
        println!(
            "Breached: {} obligations (tasks opened: {}). Periodic updates: {} made, {} no \
             longer owed.",
            report.breached, report.tasks_opened, report.periodic_created, report.periodic_lapsed
        );
    } else {
        println!("Another instance is running the scheduler pass; nothing was done here.");
    }
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}

pub async fn report(
    db: &Db,
    from: NaiveDate,
    to: NaiveDate,
    group_by: GroupBy,
) -> anyhow::Result<()> {
    let c = db.compliance(from, to, group_by).await?;
    println!("Obligations due from {from} to {to}:");
    println!(
        "{:<34} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "", "due", "on time", "late", "breached", "waived", "unwanted", "open", "% on time"
    );
    for row in c.groups.iter().chain(std::iter::once(&c.total)) {
        println!(
            "{:<34} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
            row.group,
            row.due,
            row.met_on_time,
            row.met_late,
            row.breached,
            row.waived,
            row.not_wanted,
            row.open,
            row.on_time_percent
                .map_or_else(|| "-".to_owned(), |p| format!("{p:.1}"))
        );
    }
    println!("{}", serde_json::to_string(&c)?);
    Ok(())
}
