//! What every dashboard figure is filtered by: a period of London dates, and optionally one
//! borough and one crime type.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::London;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureFilter {
    /// First and last day, inclusive.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub borough: Option<String>,
    /// An offence category as stored (`burglary_residential`, ...).
    pub offence: Option<String>,
}

impl FigureFilter {
    /// The first instant of `from` in London.
    pub fn start(&self) -> DateTime<Utc> {
        london_midnight(self.from)
    }

    /// The first instant after `to` in London.
    pub fn end(&self) -> DateTime<Utc> {
        london_midnight(self.to.succ_opt().unwrap_or(self.to))
    }
}

fn london_midnight(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    London
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}
