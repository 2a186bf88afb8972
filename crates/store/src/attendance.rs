//! The promise of an officer at every reported home burglary: who was attended, how fast, and
//! who is still waiting.

use crate::figures::FigureFilter;
use crate::{Db, StoreError, with_pool, with_writer};
use chrono::{DateTime, Datelike as _, TimeDelta, Utc};
use chrono_tz::Europe::London;
use serde::Serialize;
use std::collections::BTreeMap;

/// Task kind: a home burglary nobody has attended after the configured hours.
pub const TASK_UNATTENDED: &str = "burglary_unattended";
const BURGLARY: &str = "burglary_residential";
/// Only burglaries reported in this many days are chased with a task.
const CHASE_DAYS: i64 = 30;

/// Attendance for one borough in one month (or all of them: `None`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttendanceRow {
    pub borough: Option<String>,
    /// `2026-11`, or `None` for the whole period.
    pub month: Option<String>,
    pub reported: u64,
    pub attended: u64,
    pub rate: Option<f64>,
    /// From report to the first officer's arrival, of those attended.
    pub median_minutes: Option<i64>,
    pub p90_minutes: Option<i64>,
}

/// A reported home burglary nobody has attended yet (nothing personal: the case view has
/// that).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Unattended {
    pub case_id: i64,
    pub crime_reference: String,
    pub borough: Option<String>,
    pub reported_at: DateTime<Utc>,
}

/// The value at or below which `q` of the sorted values lie (the nearest-rank method, so
/// every figure is a time that really happened).
pub fn nearest_rank(sorted: &[i64], q: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

fn row(
    borough: Option<String>,
    month: Option<String>,
    mut minutes: Vec<i64>,
    reported: u64,
) -> AttendanceRow {
    minutes.sort_unstable();
    let attended = minutes.len() as u64;
    AttendanceRow {
        borough,
        month,
        reported,
        attended,
        rate: (reported > 0).then(|| attended as f64 / reported as f64),
        median_minutes: nearest_rank(&minutes, 0.5),
        p90_minutes: nearest_rank(&minutes, 0.9),
    }
}

/// A home burglary's borough, report time and first attendance.
type ReportRow = (Option<String>, DateTime<Utc>, Option<DateTime<Utc>>);

impl Db {
    /// Attendance at home burglaries reported in the period, by borough and month (London),
    /// with the whole period's total last.
    pub async fn attendance(&self, f: &FigureFilter) -> Result<Vec<AttendanceRow>, StoreError> {
        let rows: Vec<ReportRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT borough, reported_at, attended_at FROM crime_case \
                 WHERE offence = $1 AND reported_at >= $2 AND reported_at < $3 \
                 AND ($4 IS NULL OR borough = $4)"
        )
        .bind(BURGLARY)
        .bind(f.start())
        .bind(f.end())
        .bind(f.borough.as_deref())
        .fetch_all(p)
        .await)?;
        let mut groups: BTreeMap<(Option<String>, String), (Vec<i64>, u64)> = BTreeMap::new();
        let mut all: (Vec<i64>, u64) = (Vec::new(), 0);
        for (borough, reported, attended) in rows {
            let local = reported.with_timezone(&London);
            let month = format!("{}-{:02}", local.year(), local.month());
            let g = groups.entry((borough, month)).or_default();
            g.1 += 1;
            all.1 += 1;
            if let Some(at) = attended {
                // An officer already there when the report was typed up waited no time.
                let m = (at - reported).num_minutes().max(0);
                g.0.push(m);
                all.0.push(m);
            }
        }
        let mut out: Vec<AttendanceRow> = groups
            .into_iter()
            .map(|((borough, month), (minutes, reported))| {
                row(borough, Some(month), minutes, reported)
            })
            .collect();
        out.push(row(None, None, all.0, all.1));
        Ok(out)
    }

    /// Reported home burglaries nobody has attended, oldest first.
    pub async fn unattended_burglaries(&self, limit: i64) -> Result<Vec<Unattended>, StoreError> {
        let rows = with_pool!(self, |p| sqlx::query_as(
            "SELECT case_id, crime_reference, borough, reported_at FROM crime_case \
             WHERE offence = $1 AND attended_at IS NULL AND reported_at IS NOT NULL \
             AND phase <> 'closed' ORDER BY reported_at, case_id LIMIT $2"
        )
        .bind(BURGLARY)
        .bind(limit.clamp(1, 1000))
        .fetch_all(p)
        .await)?;
        Ok(rows)
    }

    /// Burglaries unattended `after` their report become a task for the response team, once
    /// each; the tasks of burglaries since attended are closed. Returns (opened, closed).
    pub async fn chase_unattended(
        &self,
        after: TimeDelta,
        now: DateTime<Utc>,
    ) -> Result<(u64, u64), StoreError> {
        let opened = with_writer!(self, |p| sqlx::query(
            "INSERT INTO task (kind, case_id, due_at, opened_at, reason) \
             SELECT $1, case_id, $2, $2, 'Reported as a home burglary with no officer \
             attended yet: send an officer, or record the attendance' FROM crime_case \
             WHERE offence = $3 AND attended_at IS NULL AND reported_at <= $4 \
             AND reported_at >= $5 AND phase <> 'closed' \
             ON CONFLICT (case_id) WHERE kind = 'burglary_unattended' DO NOTHING"
        )
        .bind(TASK_UNATTENDED)
        .bind(now)
        .bind(BURGLARY)
        .bind(now - after)
        // Older ones are in the list and the figures; a task for each on the first pass
        // after the feature is switched on would bury the queue.
        .bind(now - TimeDelta::days(CHASE_DAYS))
        .execute(p)
        .await
        .map(|d| d.rows_affected()))?;
        let mut closed = 0;
        for (outcome, condition) in [
            ("An officer attended", "attended_at IS NOT NULL"),
            (
                "The case was closed without an attendance",
                "phase = 'closed'",
            ),
        ] {
            let sql = format!(
                "UPDATE task SET closed_at = $1, outcome = $3, closed_by = 'victimcare' \
                 WHERE kind = $2 AND closed_at IS NULL \
                 AND case_id IN (SELECT case_id FROM crime_case WHERE {condition})"
            );
            // Built from the constants above only.
            closed += with_writer!(self, |p| sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(now)
                .bind(TASK_UNATTENDED)
                .bind(outcome)
                .execute(p)
                .await
                .map(|d| d.rows_affected()))?;
        }
        Ok((opened, closed))
    }
}

#[cfg(test)]
mod tests {
    use super::nearest_rank;

    #[test]
    fn percentiles_are_times_that_happened() {
        let v = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
        assert_eq!(nearest_rank(&v, 0.5), Some(50));
        assert_eq!(nearest_rank(&v, 0.9), Some(90));
        assert_eq!(nearest_rank(&[7], 0.9), Some(7));
        assert_eq!(nearest_rank(&[], 0.5), None);
    }
}
