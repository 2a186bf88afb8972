//! `victimcare calendar …`: the working-day calendar, for checking deadlines by hand.

use chrono::NaiveDate;
use domain::calendar::{Calendar, FIRST_YEAR, LAST_YEAR};
use std::io::Write;

pub fn holidays(from: i32, to: i32) -> anyhow::Result<()> {
    anyhow::ensure!(
        (FIRST_YEAR..=LAST_YEAR).contains(&from) && (FIRST_YEAR..=LAST_YEAR).contains(&to),
        "--from and --to must be years from {FIRST_YEAR} to {LAST_YEAR}"
    );
    anyhow::ensure!(from <= to, "--from must not be after --to");
    let calendar = Calendar::default();
    let first = NaiveDate::from_ymd_opt(from, 1, 1).expect("a valid date");
    let last = NaiveDate::from_ymd_opt(to, 12, 31).expect("a valid date");
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (date, name) in calendar.holidays(first, last) {
        writeln!(out, "{}\t{name}", date.format("%Y-%m-%d"))?;
    }
    out.flush()?;
    Ok(())
}

pub fn add_working_days(date: NaiveDate, days: u32) -> anyhow::Result<()> {
    let due = Calendar::default().add_working_days(date, days)?;
    println!("{}", due.format("%Y-%m-%d"));
    Ok(())
}
