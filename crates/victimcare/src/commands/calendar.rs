//! `victimcare calendar …`: the working-day calendar in force (built-in rules plus the
//! administrators' overrides stored in the database).

use chrono::{NaiveDate, Utc};
use domain::calendar::{FIRST_YEAR, LAST_YEAR, Override};
use domain::text::ShortText;
use std::io::Write;
use store::{CalendarChange, Db};

pub async fn holidays(db: &Db, from: i32, to: i32) -> anyhow::Result<()> {
    anyhow::ensure!(
        (FIRST_YEAR..=LAST_YEAR).contains(&from) && (FIRST_YEAR..=LAST_YEAR).contains(&to),
        "--from and --to must be years from {FIRST_YEAR} to {LAST_YEAR}"
    );
    anyhow::ensure!(from <= to, "--from must not be after --to");
    let calendar = db.calendar().await?;
    let first = NaiveDate::from_ymd_opt(from, 1, 1).expect("a valid date");
    let last = NaiveDate::from_ymd_opt(to, 12, 31).expect("a valid date");
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (date, name) in calendar.holidays(first, last) {
        writeln!(out, "{}\t{name}", date.format("%Y-%m-%d"))?;
    }
    out.flush()?;
    Ok(())
}

pub async fn add_working_days(db: &Db, date: NaiveDate, days: u32) -> anyhow::Result<()> {
    let due = db.calendar().await?.add_working_days(date, days)?;
    println!("{}", due.format("%Y-%m-%d"));
    Ok(())
}

pub fn change_from_flags(
    holiday: Option<String>,
    working_day: bool,
    revert: bool,
) -> anyhow::Result<CalendarChange> {
    match (holiday, working_day, revert) {
        (Some(name), false, false) => {
            let name = ShortText::parse(&name).map_err(|p| anyhow::anyhow!("--holiday {p}"))?;
            Ok(CalendarChange::Set(Override::Holiday(name.to_string())))
        }
        (None, true, false) => Ok(CalendarChange::Set(Override::WorkingDay)),
        (None, false, true) => Ok(CalendarChange::Revert),
        _ => anyhow::bail!("say what the day becomes: --holiday NAME, --working-day or --revert"),
    }
}

pub async fn change(
    db: &Db,
    date: NaiveDate,
    change: &CalendarChange,
    by: &str,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        (FIRST_YEAR..=LAST_YEAR).contains(&chrono::Datelike::year(&date)),
        "--date must be in the years {FIRST_YEAR} to {LAST_YEAR}"
    );
    let by = ShortText::parse(by).map_err(|p| anyhow::anyhow!("--by {p}"))?;
    db.change_calendar(date, change, by.as_str(), Utc::now())
        .await?;
    let calendar = db.calendar().await?;
    let now = match calendar.holiday(date) {
        Some(name) => format!("a bank holiday ({name})"),
        None => "a working day unless it is a weekend".to_owned(),
    };
    println!(
        "{} is now {now}. The calendar is at version {}; deadlines computed from now on use it.",
        date.format("%Y-%m-%d"),
        calendar.version()
    );
    Ok(())
}
