//! Calls: the telephony platform's record of each call (for screen-pop and the capacity
//! figures), and a member of staff's dealing with one victim, with how the caller was
//! verified.

use crate::{Db, StoreError, with_pool, with_writer};
use chrono::{DateTime, Utc};
use domain::staff::Verification;
use serde::Serialize;

/// A member of staff's dealing with one victim of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffCall {
    pub call_id: i64,
    pub user_id: i64,
    pub case_id: i64,
    pub victim_id: i64,
    pub telephony_call_id: Option<i64>,
    pub reason: Option<String>,
    pub started_at: DateTime<Utc>,
    pub verification: Option<Verification>,
    pub failed_checks: i32,
}

/// Wrong answers on one call before verification by answers stops (call back instead).
pub const MAX_CALL_CHECKS: i32 = 3;

/// A call the telephony platform told us about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TelephonyCall {
    pub telephony_call_id: i64,
    pub provider_call_id: String,
    pub queue: String,
    pub caller_index: Option<i64>,
    pub agent: Option<String>,
    pub offered_at: DateTime<Utc>,
    pub outcome: String,
    pub wait_seconds: Option<i32>,
    pub talk_seconds: Option<i32>,
    pub wrap_seconds: Option<i32>,
}

/// How a call ended, from the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallEnd {
    /// answered or abandoned
    pub outcome: String,
    pub wait_seconds: Option<i32>,
    pub talk_seconds: Option<i32>,
    pub wrap_seconds: Option<i32>,
    pub ended_at: DateTime<Utc>,
}

type CallRow = (
    i64,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<String>,
    DateTime<Utc>,
    Option<String>,
    i32,
);

impl Db {
    pub async fn open_staff_call(
        &self,
        user_id: i64,
        case_id: i64,
        victim_id: i64,
        telephony_call_id: Option<i64>,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let id = with_writer!(self, |p| sqlx::query_scalar(
            "INSERT INTO staff_call (user_id, case_id, victim_id, telephony_call_id, reason, \
             started_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING call_id"
        )
        .bind(user_id)
        .bind(case_id)
        .bind(victim_id)
        .bind(telephony_call_id)
        .bind(reason)
        .bind(now)
        .fetch_one(p)
        .await)?;
        Ok(id)
    }

    pub async fn staff_call(&self, call_id: i64) -> Result<Option<StaffCall>, StoreError> {
        let row: Option<CallRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT call_id, user_id, case_id, victim_id, telephony_call_id, reason, \
             started_at, verification, failed_checks FROM staff_call WHERE call_id = $1"
        )
        .bind(call_id)
        .fetch_optional(p)
        .await)?;
        Ok(row.map(|r| StaffCall {
            call_id: r.0,
            user_id: r.1,
            case_id: r.2,
            victim_id: r.3,
            telephony_call_id: r.4,
            reason: r.5,
            started_at: r.6,
            verification: r.7.as_deref().and_then(Verification::parse),
            failed_checks: r.8,
        }))
    }

    /// Records how the caller was verified. Once verified, a call stays verified.
    pub async fn set_call_verification(
        &self,
        call_id: i64,
        how: Verification,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_writer!(self, |p| sqlx::query(
            "UPDATE staff_call SET verification = $1, verified_at = $2 WHERE call_id = $3 \
             AND (verification IS NULL OR verification = 'not_verified')"
        )
        .bind(how.as_str())
        .bind(now)
        .bind(call_id)
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Counts a wrong answer on the call; returns the count so far.
    pub async fn count_failed_check(&self, call_id: i64) -> Result<i32, StoreError> {
        let n = with_writer!(self, |p| sqlx::query_scalar(
            "UPDATE staff_call SET failed_checks = failed_checks + 1 WHERE call_id = $1 \
             RETURNING failed_checks"
        )
        .bind(call_id)
        .fetch_one(p)
        .await)?;
        Ok(n)
    }

    /// The most recent calls with a victim, newest first.
    pub async fn recent_calls(
        &self,
        case_id: i64,
        victim_id: i64,
    ) -> Result<Vec<(DateTime<Utc>, String, Option<String>)>, StoreError> {
        let rows = with_pool!(self, |p| sqlx::query_as(
            "SELECT c.started_at, u.display_name, c.verification FROM staff_call c \
             JOIN staff_user u ON u.user_id = c.user_id \
             WHERE c.case_id = $1 AND c.victim_id = $2 ORDER BY c.call_id DESC LIMIT 20"
        )
        .bind(case_id)
        .bind(victim_id)
        .fetch_all(p)
        .await)?;
        Ok(rows)
    }

    /// Records an incoming call; the same provider id again returns the call already held.
    pub async fn record_incoming_call(
        &self,
        provider_call_id: &str,
        queue: &str,
        caller_index: Option<i64>,
        agent: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let inserted: Option<i64> = with_writer!(self, |p| sqlx::query_scalar(
            "INSERT INTO telephony_call (provider_call_id, queue, caller_index, agent, \
             offered_at, outcome) VALUES ($1, $2, $3, $4, $5, 'offered') \
             ON CONFLICT (provider_call_id) DO NOTHING RETURNING telephony_call_id"
        )
        .bind(provider_call_id)
        .bind(queue)
        .bind(caller_index)
        .bind(agent)
        .bind(now)
        .fetch_optional(p)
        .await)?;
        if let Some(id) = inserted {
            return Ok(id);
        }
        let id = with_writer!(self, |p| sqlx::query_scalar(
            "SELECT telephony_call_id FROM telephony_call WHERE provider_call_id = $1"
        )
        .bind(provider_call_id)
        .fetch_one(p)
        .await)?;
        Ok(id)
    }

    /// Records how a call ended. Returns false for a call we never heard of.
    pub async fn end_telephony_call(
        &self,
        provider_call_id: &str,
        end: &CallEnd,
    ) -> Result<bool, StoreError> {
        let n = with_writer!(self, |p| sqlx::query(
            "UPDATE telephony_call SET outcome = $1, wait_seconds = $2, talk_seconds = $3, \
             wrap_seconds = $4, ended_at = $5 WHERE provider_call_id = $6"
        )
        .bind(&end.outcome)
        .bind(end.wait_seconds)
        .bind(end.talk_seconds)
        .bind(end.wrap_seconds)
        .bind(end.ended_at)
        .bind(provider_call_id)
        .execute(p)
        .await
        .map(|d| d.rows_affected()))?;
        Ok(n > 0)
    }

    pub async fn telephony_call(&self, id: i64) -> Result<Option<TelephonyCall>, StoreError> {
        let row = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT telephony_call_id, provider_call_id, queue, caller_index, agent, offered_at, \
             outcome, wait_seconds, talk_seconds, wrap_seconds FROM telephony_call \
             WHERE telephony_call_id = $1"
        )
        .bind(id)
        .fetch_optional(p)
        .await
        })?;
        Ok(row)
    }

    /// Calls offered from `from` to `to`, oldest first (for the capacity figures).
    pub async fn telephony_calls(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<TelephonyCall>, StoreError> {
        let rows = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT telephony_call_id, provider_call_id, queue, caller_index, agent, offered_at, \
             outcome, wait_seconds, talk_seconds, wrap_seconds FROM telephony_call \
             WHERE offered_at >= $1 AND offered_at < $2 ORDER BY offered_at"
        )
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await
        })?;
        Ok(rows)
    }
}
