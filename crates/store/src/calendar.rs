//! The calendar's overrides: an append-only log of administrators' corrections.

use crate::{Db, StoreError, with_pool, with_writer};
use chrono::{DateTime, NaiveDate, Utc};
use domain::calendar::{Calendar, Override};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// A change an administrator makes to one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarChange {
    Set(Override),
    /// Withdraw the override: the built-in rules apply to the day again.
    Revert,
}

pub(crate) type ChangeRow = (i64, NaiveDate, Option<String>, bool);

pub(crate) const CHANGES: &str =
    "SELECT change_id, day, holiday_name, reverted FROM calendar_change ORDER BY change_id";

/// The calendar from the change log, oldest change first. Building it walks 111 years, and
/// ingest needs it for every batch, so the last one built is kept while the log is unchanged.
pub(crate) fn cached(rows: Vec<ChangeRow>) -> Arc<Calendar> {
    static LAST: Mutex<Option<(Vec<ChangeRow>, Arc<Calendar>)>> = Mutex::new(None);
    let mut last = LAST
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((seen, calendar)) = last.as_ref()
        && *seen == rows
    {
        return calendar.clone();
    }
    let calendar = Arc::new(build(rows.clone()));
    *last = Some((rows, calendar.clone()));
    calendar
}

/// The calendar from the change log, oldest change first.
pub(crate) fn build(rows: Vec<ChangeRow>) -> Calendar {
    let mut overrides = BTreeMap::new();
    let mut revision = 0_u64;
    for (change_id, day, name, reverted) in rows {
        revision = u64::try_from(change_id).unwrap_or(0);
        if reverted {
            overrides.remove(&day);
        } else {
            overrides.insert(day, name.map_or(Override::WorkingDay, Override::Holiday));
        }
    }
    Calendar::with_overrides(&overrides, revision)
}

impl Db {
    /// The calendar in force: the built-in rules corrected by every override.
    pub async fn calendar(&self) -> Result<Calendar, StoreError> {
        let rows: Vec<ChangeRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT change_id, day, holiday_name, reverted FROM calendar_change ORDER BY change_id"
        )
        .fetch_all(p)
        .await
        })?;
        Ok(build(rows))
    }

    /// Records a change; the calendar's version changes with it.
    pub async fn change_calendar(
        &self,
        day: NaiveDate,
        change: &CalendarChange,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (name, reverted) = match change {
            CalendarChange::Set(Override::Holiday(name)) => (Some(name.as_str()), false),
            CalendarChange::Set(Override::WorkingDay) => (None, false),
            CalendarChange::Revert => (None, true),
        };
        with_writer!(self, |p| sqlx::query(
            "INSERT INTO calendar_change (day, holiday_name, reverted, changed_by, changed_at) \
             VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(day)
        .bind(name)
        .bind(reverted)
        .bind(by)
        .bind(now)
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(())
    }
}
