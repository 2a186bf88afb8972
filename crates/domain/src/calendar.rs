//! The England and Wales working-day calendar: Victims' Code deadlines are counted in working
//! days, so this decides what a deadline is.
//!
//! Bank holidays from 1990 to 2100 come from the rules (with substitute days when a holiday
//! falls at a weekend) and from a list of the one-off holidays and moved days that the rules
//! cannot know. An administrator's overrides win over both, and every override changes the
//! calendar's version, which each computed deadline records. Asked about a date outside the
//! years covered, the calendar refuses rather than guess: a wrong deadline is worse than none.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Europe::London;
use std::collections::BTreeMap;
use thiserror::Error;

pub const FIRST_YEAR: i32 = 1990;
pub const LAST_YEAR: i32 = 2100;

/// The version of the built-in rules and one-off list; bump it whenever either changes.
pub const RULES_VERSION: &str = "ew-2026.1";

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    #[error("{0} is outside the years the calendar covers ({FIRST_YEAR} to {LAST_YEAR})")]
    OutOfRange(NaiveDate),
}

/// An administrator's correction to the built-in calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Override {
    /// A bank holiday the rules do not know (a new one-off).
    Holiday(String),
    /// A day the rules call a bank holiday that is not one (a holiday moved elsewhere).
    WorkingDay,
}

/// Days the rules cannot know: one-off holidays, and rule days moved to another date.
fn one_offs(year: i32) -> &'static [(u32, u32, Option<&'static str>)] {
    // (month, day, Some(name)) adds a holiday; (month, day, None) cancels a rule day.
    match year {
        // The early May bank holiday moved to VE Day's 50th and 75th anniversaries.
        1995 => &[
            (5, 1, None),
            (5, 8, Some("Early May bank holiday (VE day)")),
        ],
        2020 => &[
            (5, 4, None),
            (5, 8, Some("Early May bank holiday (VE day)")),
        ],
        1999 => &[(12, 31, Some("Millennium celebrations"))],
        // Spring bank holiday moved for the Golden, Diamond and Platinum Jubilees.
        2002 => &[
            (5, 27, None),
            (6, 3, Some("Golden Jubilee bank holiday")),
            (6, 4, Some("Spring bank holiday")),
        ],
        2011 => &[(4, 29, Some("Royal wedding"))],
        2012 => &[
            (5, 28, None),
            (6, 4, Some("Spring bank holiday")),
            (6, 5, Some("Queen’s Diamond Jubilee")),
        ],
        2022 => &[
            (5, 30, None),
            (6, 2, Some("Spring bank holiday")),
            (6, 3, Some("Platinum Jubilee bank holiday")),
            (
                9,
                19,
                Some("Bank Holiday for the State Funeral of Queen Elizabeth II"),
            ),
        ],
        2023 => &[(
            5,
            8,
            Some("Bank holiday for the coronation of King Charles III"),
        )],
        _ => &[],
    }
}

/// The date in London of a moment. Code deadlines count from the London date of the event: in
/// summer, 23:30 UTC is already the next day.
pub fn london_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&London).date_naive()
}

/// Easter Sunday (the anonymous Gregorian algorithm).
fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month as u32, day as u32)
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid calendar date")
}

fn first_monday(year: i32, month: u32) -> NaiveDate {
    let first = ymd(year, month, 1);
    let offset = (7 - first.weekday().num_days_from_monday()) % 7;
    first + Duration::days(i64::from(offset))
}

fn last_monday(year: i32, month: u32) -> NaiveDate {
    let next = if month == 12 {
        ymd(year + 1, 1, 1)
    } else {
        ymd(year, month + 1, 1)
    };
    let last = next - Duration::days(1);
    last - Duration::days(i64::from(last.weekday().num_days_from_monday()))
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The bank holidays of one year by the rules alone, with substitute days.
fn rule_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let mut days = Vec::with_capacity(8);
    let new_year = ymd(year, 1, 1);
    days.push(match new_year.weekday() {
        Weekday::Sat => (
            new_year + Duration::days(2),
            "New Year’s Day (substitute day)",
        ),
        Weekday::Sun => (
            new_year + Duration::days(1),
            "New Year’s Day (substitute day)",
        ),
        _ => (new_year, "New Year’s Day"),
    });
    let easter = easter(year);
    days.push((easter - Duration::days(2), "Good Friday"));
    days.push((easter + Duration::days(1), "Easter Monday"));
    days.push((first_monday(year, 5), "Early May bank holiday"));
    days.push((last_monday(year, 5), "Spring bank holiday"));
    days.push((last_monday(year, 8), "Summer bank holiday"));
    // Christmas and Boxing Day: a holiday at the weekend moves to the next free weekday.
    let christmas = ymd(year, 12, 25);
    let boxing = ymd(year, 12, 26);
    match christmas.weekday() {
        Weekday::Fri => {
            days.push((christmas, "Christmas Day"));
            days.push((ymd(year, 12, 28), "Boxing Day (substitute day)"));
        }
        Weekday::Sat => {
            days.push((ymd(year, 12, 27), "Christmas Day (substitute day)"));
            days.push((ymd(year, 12, 28), "Boxing Day (substitute day)"));
        }
        Weekday::Sun => {
            days.push((boxing, "Boxing Day"));
            days.push((ymd(year, 12, 27), "Christmas Day (substitute day)"));
        }
        _ => {
            days.push((christmas, "Christmas Day"));
            days.push((boxing, "Boxing Day"));
        }
    }
    days
}

/// The working-day calendar in force: the rules, the one-offs, and any overrides.
#[derive(Debug, Clone)]
pub struct Calendar {
    holidays: BTreeMap<NaiveDate, String>,
    /// One bit a day from 1 January of FIRST_YEAR: set for a day off (weekend or holiday).
    /// Deadlines are computed for every event, so this lookup is on the hot path.
    days_off: Vec<u64>,
    version: String,
}

fn day_index(date: NaiveDate) -> usize {
    let first = ymd(FIRST_YEAR, 1, 1);
    usize::try_from((date - first).num_days()).unwrap_or(0)
}

impl Default for Calendar {
    fn default() -> Self {
        Self::with_overrides(&BTreeMap::new(), 0)
    }
}

impl Calendar {
    /// The built-in calendar corrected by `overrides`, which are at revision `revision` (the
    /// store counts every change).
    pub fn with_overrides(overrides: &BTreeMap<NaiveDate, Override>, revision: u64) -> Self {
        let mut holidays = BTreeMap::new();
        for year in FIRST_YEAR..=LAST_YEAR {
            for (date, name) in rule_holidays(year) {
                holidays.insert(date, name.to_owned());
            }
            for (month, day, name) in one_offs(year) {
                let date = ymd(year, *month, *day);
                match name {
                    Some(name) => holidays.insert(date, (*name).to_owned()),
                    None => holidays.remove(&date),
                };
            }
        }
        for (date, o) in overrides {
            match o {
                Override::Holiday(name) => holidays.insert(*date, name.clone()),
                Override::WorkingDay => holidays.remove(date),
            };
        }
        let last = ymd(LAST_YEAR, 12, 31);
        let mut days_off = vec![0_u64; day_index(last) / 64 + 1];
        let mut day = ymd(FIRST_YEAR, 1, 1);
        while day <= last {
            if is_weekend(day) || holidays.contains_key(&day) {
                let i = day_index(day);
                days_off[i / 64] |= 1 << (i % 64);
            }
            day += Duration::days(1);
        }
        let version = if revision == 0 {
            RULES_VERSION.to_owned()
        } else {
            format!("{RULES_VERSION}+{revision}")
        };
        Self {
            holidays,
            days_off,
            version,
        }
    }

    /// Recorded with every deadline computed, so that any deadline can be recomputed exactly.
    pub fn version(&self) -> &str {
        &self.version
    }

    fn check(date: NaiveDate) -> Result<(), CalendarError> {
        if (FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
            Ok(())
        } else {
            Err(CalendarError::OutOfRange(date))
        }
    }

    /// The bank holiday on `date`, if it is one.
    pub fn holiday(&self, date: NaiveDate) -> Option<&str> {
        self.holidays.get(&date).map(String::as_str)
    }

    /// The bank holidays from `from` to `to`, both included, in order.
    pub fn holidays(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = (NaiveDate, &str)> {
        self.holidays
            .range(from..=to)
            .map(|(d, name)| (*d, name.as_str()))
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Self::check(date)?;
        let i = day_index(date);
        Ok(self.days_off[i / 64] & (1 << (i % 64)) == 0)
    }

    /// The date `n` working days after `date`: day 0 is `date`, and the answer is the n-th
    /// working day after it (so a Friday plus 1 is the Monday, or the Tuesday after a bank
    /// holiday Monday). `n = 0` gives `date` itself.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        Self::check(date)?;
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day = day.succ_opt().ok_or(CalendarError::OutOfRange(day))?;
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// How many working days fall after `a`, up to and including `b` (negative when `b` is
    /// before `a`). `working_days_between(d, add_working_days(d, n)) == n`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> Result<i64, CalendarError> {
        Self::check(a)?;
        Self::check(b)?;
        let (from, to, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let mut count = 0_i64;
        let mut day = from;
        while day < to {
            day = day.succ_opt().ok_or(CalendarError::OutOfRange(day))?;
            if self.is_working_day(day)? {
                count += 1;
            }
        }
        Ok(sign * count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn year(cal: &Calendar, y: i32) -> Vec<String> {
        cal.holidays(ymd(y, 1, 1), ymd(y, 12, 31))
            .map(|(date, _)| date.format("%m-%d").to_string())
            .collect()
    }

    /// England and Wales bank holidays as published for these years.
    #[test]
    fn known_years_match_the_published_lists() {
        let cal = Calendar::default();
        let published: &[(i32, &[&str])] = &[
            (
                1995,
                &[
                    "01-02", "04-14", "04-17", "05-08", "05-29", "08-28", "12-25", "12-26",
                ],
            ),
            (
                1999,
                &[
                    "01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28", "12-31",
                ],
            ),
            (
                2002,
                &[
                    "01-01", "03-29", "04-01", "05-06", "06-03", "06-04", "08-26", "12-25", "12-26",
                ],
            ),
            (
                2010,
                &[
                    "01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28",
                ],
            ),
            (
                2011,
                &[
                    "01-03", "04-22", "04-25", "04-29", "05-02", "05-30", "08-29", "12-26", "12-27",
                ],
            ),
            (
                2012,
                &[
                    "01-02", "04-06", "04-09", "05-07", "06-04", "06-05", "08-27", "12-25", "12-26",
                ],
            ),
            (
                2016,
                &[
                    "01-01", "03-25", "03-28", "05-02", "05-30", "08-29", "12-26", "12-27",
                ],
            ),
            (
                2019,
                &[
                    "01-01", "04-19", "04-22", "05-06", "05-27", "08-26", "12-25", "12-26",
                ],
            ),
            (
                2020,
                &[
                    "01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28",
                ],
            ),
            (
                2021,
                &[
                    "01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28",
                ],
            ),
            (
                2022,
                &[
                    "01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19",
                    "12-26", "12-27",
                ],
            ),
            (
                2023,
                &[
                    "01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26",
                ],
            ),
            (
                2024,
                &[
                    "01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26",
                ],
            ),
            (
                2025,
                &[
                    "01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26",
                ],
            ),
            (
                2026,
                &[
                    "01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28",
                ],
            ),
            (
                2027,
                &[
                    "01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28",
                ],
            ),
        ];
        for (y, days) in published {
            assert_eq!(year(&cal, *y), *days, "{y}");
        }
    }

    #[test]
    fn every_year_has_its_eight_rule_holidays_on_weekdays() {
        let cal = Calendar::default();
        for y in FIRST_YEAR..=LAST_YEAR {
            let days: Vec<_> = cal.holidays(ymd(y, 1, 1), ymd(y, 12, 31)).collect();
            assert!(days.len() >= 8, "{y}: {days:?}");
            assert!(days.iter().all(|(d, _)| !is_weekend(*d)), "{y}: {days:?}");
        }
        assert_eq!(easter(2100), d("2100-03-28"));
        assert_eq!(easter(2038), d("2038-04-25"));
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let cal = Calendar::default();
        // Christmas 2026: Fri 25 and Mon 28 (Boxing Day's substitute) are holidays.
        assert_eq!(
            cal.add_working_days(d("2026-12-24"), 3).unwrap(),
            d("2026-12-31")
        );
        assert_eq!(
            cal.add_working_days(d("2026-12-24"), 1).unwrap(),
            d("2026-12-29")
        );
        // Easter 2026: Good Friday 3 April, Easter Monday 6 April.
        assert_eq!(
            cal.add_working_days(d("2026-04-02"), 1).unwrap(),
            d("2026-04-07")
        );
        // New Year 2022 fell on a Saturday: Monday 3 January was the holiday.
        assert_eq!(
            cal.add_working_days(d("2021-12-31"), 1).unwrap(),
            d("2022-01-04")
        );
        // The State Funeral, a one-off Monday.
        assert_eq!(
            cal.add_working_days(d("2022-09-16"), 1).unwrap(),
            d("2022-09-20")
        );
        // A weekend day 0 counts from the next working day.
        assert_eq!(
            cal.add_working_days(d("2026-03-14"), 1).unwrap(),
            d("2026-03-16")
        );
        assert_eq!(
            cal.add_working_days(d("2026-03-14"), 0).unwrap(),
            d("2026-03-14")
        );
        assert_eq!(
            cal.add_working_days(d("2026-03-13"), 5).unwrap(),
            d("2026-03-20")
        );
    }

    #[test]
    fn between_is_the_inverse_of_add() {
        let cal = Calendar::default();
        let mut day = d("2019-11-01");
        while day < d("2027-03-01") {
            for n in [0, 1, 2, 5, 10, 28] {
                let due = cal.add_working_days(day, n).unwrap();
                assert_eq!(
                    cal.working_days_between(day, due).unwrap(),
                    i64::from(n),
                    "{day} + {n}"
                );
                assert_eq!(cal.working_days_between(due, day).unwrap(), -i64::from(n));
            }
            day += Duration::days(3);
        }
    }

    #[test]
    fn overrides_win_and_change_the_version() {
        let mut overrides = BTreeMap::new();
        overrides.insert(d("2026-06-15"), Override::Holiday("A new one-off".into()));
        overrides.insert(d("2026-08-31"), Override::WorkingDay);
        let cal = Calendar::with_overrides(&overrides, 3);
        assert_eq!(cal.version(), "ew-2026.1+3");
        assert_ne!(cal.version(), Calendar::default().version());
        assert_eq!(cal.holiday(d("2026-06-15")), Some("A new one-off"));
        assert!(cal.is_working_day(d("2026-08-31")).unwrap());
        assert!(!cal.is_working_day(d("2026-06-15")).unwrap());
    }

    #[test]
    fn the_london_date_follows_summer_time() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(london_date(at("2026-07-01T23:30:00Z")), d("2026-07-02"));
        assert_eq!(london_date(at("2026-01-01T23:30:00Z")), d("2026-01-01"));
        // The night the clocks go forward (29 March 2026, 01:00 UTC).
        assert_eq!(london_date(at("2026-03-28T23:59:00Z")), d("2026-03-28"));
        assert_eq!(london_date(at("2026-03-29T23:30:00Z")), d("2026-03-30"));
    }

    #[test]
    fn outside_the_covered_years_it_refuses() {
        let cal = Calendar::default();
        assert_eq!(
            cal.add_working_days(d("2100-12-30"), 5),
            Err(CalendarError::OutOfRange(d("2101-01-01")))
        );
        assert!(cal.is_working_day(d("1989-12-29")).is_err());
    }
}
