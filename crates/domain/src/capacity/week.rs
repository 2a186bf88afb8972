//! Planning weeks and their half-hour intervals, in London time.

use crate::problem::Problem;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, TimeZone as _, Utc, Weekday};
use chrono_tz::Europe::London;

pub const SLOTS_PER_DAY: usize = 48;
pub const SLOTS_PER_WEEK: usize = 7 * SLOTS_PER_DAY;
pub const SLOT_MINUTES: i64 = 30;

/// A planning week, named by its Monday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Week(NaiveDate);

impl Week {
    /// Reads an ISO week such as `2026-W49`.
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let bad = || Problem::new("week", "must be an ISO week such as 2026-W49");
        let (year, week) = raw.trim().split_once("-W").ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let week: u32 = week.parse().map_err(|_| bad())?;
        if !(2000..=2100).contains(&year) {
            return Err(Problem::new("week", "must be a year from 2000 to 2100"));
        }
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
            .map(Self)
            .ok_or_else(|| Problem::new("week", format!("{year} has no week {week}")))
    }

    /// The week holding a date.
    pub fn containing(date: NaiveDate) -> Self {
        Self(date - TimeDelta::days(i64::from(date.weekday().num_days_from_monday())))
    }

    /// The week holding a moment, in London.
    pub fn of(at: DateTime<Utc>) -> Self {
        Self::containing(at.with_timezone(&London).date_naive())
    }

    pub fn monday(self) -> NaiveDate {
        self.0
    }

    pub fn next(self) -> Self {
        Self(self.0 + TimeDelta::days(7))
    }

    pub fn previous(self) -> Self {
        Self(self.0 - TimeDelta::days(7))
    }

    /// Whole weeks from `self` to `later`.
    pub fn weeks_until(self, later: Self) -> i64 {
        (later.0 - self.0).num_days() / 7
    }

    /// The date of a day of the week (0 is Monday).
    pub fn day(self, day: usize) -> NaiveDate {
        self.0 + TimeDelta::days(day as i64)
    }

    /// When the week starts.
    pub fn start(self) -> DateTime<Utc> {
        local_start(self.0, 0)
    }

    /// When the week ends (the next one starts).
    pub fn end(self) -> DateTime<Utc> {
        self.next().start()
    }

    /// When an interval of the week starts. On the spring clock change, the missing hour's
    /// intervals start at the moment the clocks jump (they hold no calls).
    pub fn slot_start(self, slot: usize) -> DateTime<Utc> {
        local_start(self.day(slot / SLOTS_PER_DAY), slot % SLOTS_PER_DAY)
    }

    /// The interval of this week a moment falls in, if it does. In the autumn, the repeated
    /// hour's calls go into the same intervals.
    pub fn slot_of(self, at: DateTime<Utc>) -> Option<usize> {
        let local = at.with_timezone(&London);
        let day = (local.date_naive() - self.0).num_days();
        if !(0..7).contains(&day) {
            return None;
        }
        let half = (local.time().hour_minute().0 * 2 + local.time().hour_minute().1 / 30) as usize;
        Some(day as usize * SLOTS_PER_DAY + half)
    }

    /// `2026-W49`.
    pub fn label(self) -> String {
        let iso = self.0.iso_week();
        format!("{}-W{:02}", iso.year(), iso.week())
    }
}

trait HourMinute {
    fn hour_minute(&self) -> (u32, u32);
}

impl HourMinute for NaiveTime {
    fn hour_minute(&self) -> (u32, u32) {
        use chrono::Timelike as _;
        (self.hour(), self.minute())
    }
}

fn local_start(date: NaiveDate, half_hour: usize) -> DateTime<Utc> {
    let minutes = half_hour as i64 * SLOT_MINUTES;
    let naive = date.and_time(NaiveTime::MIN) + TimeDelta::minutes(minutes);
    match London.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        // The hour that does not exist: it "starts" when the clocks go forward, the first
        // half hour after it that does exist.
        chrono::LocalResult::None => (1..=4)
            .find_map(|k| {
                London
                    .from_local_datetime(&(naive + TimeDelta::minutes(SLOT_MINUTES * k)))
                    .earliest()
            })
            .map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc)),
    }
}

/// `Mon 09:30` for an interval of the week.
pub fn slot_label(slot: usize) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let half = slot % SLOTS_PER_DAY;
    format!(
        "{} {:02}:{:02}",
        DAYS[(slot / SLOTS_PER_DAY) % 7],
        half / 2,
        (half % 2) * 30
    )
}

/// `09:30` for an interval of the day.
pub fn time_label(half: usize) -> String {
    format!("{:02}:{:02}", half / 2, (half % 2) * 30)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iso_week_is_read_and_named_back() {
        let w = Week::parse("2026-W49").unwrap();
        assert_eq!(w.monday(), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(w.label(), "2026-W49");
        assert_eq!(Week::parse("2026-W54").unwrap_err().field, "week");
        assert_eq!(Week::parse("next week").unwrap_err().field, "week");
    }

    #[test]
    fn intervals_are_london_half_hours() {
        // Summer: 08:00 UTC is 09:00 in London, Monday's 19th half hour (0-based 18).
        let w = Week::parse("2026-W27").unwrap();
        let at = "2026-06-29T08:10:00Z".parse().unwrap();
        assert_eq!(w.slot_of(at), Some(18));
        assert_eq!(
            w.slot_start(18),
            "2026-06-29T08:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(slot_label(18), "Mon 09:00");
        assert_eq!(w.slot_of("2026-07-06T08:10:00Z".parse().unwrap()), None);
    }

    #[test]
    fn the_spring_clock_change_has_an_empty_hour_not_a_crash() {
        // Clocks go forward at 01:00 on Sunday 29 March 2026.
        let w = Week::parse("2026-W13").unwrap();
        let sunday_1am = 6 * SLOTS_PER_DAY + 2;
        assert_eq!(w.slot_start(sunday_1am), w.slot_start(sunday_1am + 2));
        assert_eq!(w.slot_start(sunday_1am + 1), w.slot_start(sunday_1am + 2));
        assert!(w.slot_start(sunday_1am - 1) < w.slot_start(sunday_1am));
        assert_eq!(w.end() - w.start(), TimeDelta::hours(7 * 24 - 1));
    }
}
