//! The circuit breaker on messages to victims. When more messages of one kind than a limit
//! are queued within a short window, the worker holds them all and a supervisor decides: a
//! real burst (a court's busy morning) is released, a feed error is discarded. Either way no
//! victim is told something false eight thousand times over.

use crate::{Db, StoreError};
use chrono::{DateTime, Utc};

/// A held burst, for a supervisor.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct MessageHold {
    pub hold_id: i64,
    pub kind: String,
    pub since: DateTime<Utc>,
    pub held_at: DateTime<Utc>,
    pub held: i32,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub decision: Option<String>,
}

/// What a supervisor decided about a hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldDecision {
    /// They go out.
    Release,
    /// They never go; the obligations they carried stay open for people to handle.
    Discard,
}

impl Db {
    /// Messages of each kind queued since `since` (whatever became of them), for the kinds
    /// given: what the breaker counts.
    pub async fn messages_queued_since(
        &self,
        kinds: &[String],
        since: DateTime<Utc>,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let mut counts = Vec::with_capacity(kinds.len());
        for kind in kinds {
            let n: i64 = crate::with_pool!(self, |p| sqlx::query_scalar(
                "SELECT COUNT(*) FROM message WHERE kind = $1 AND created_at >= $2 \
                 AND status <> 'discarded'"
            )
            .bind(kind)
            .bind(since)
            .fetch_one(p)
            .await)?;
            counts.push((kind.clone(), n));
        }
        Ok(counts)
    }

    /// Whether a supervisor released a burst of `kind` at or after `since`: then the burst is
    /// known, and more of the same in the window may go.
    pub async fn burst_released(
        &self,
        kind: &str,
        since: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n: i64 = crate::with_pool!(self, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM message_hold WHERE kind = $1 AND decided_at >= $2 \
             AND decision = 'released'"
        )
        .bind(kind)
        .bind(since)
        .fetch_one(p)
        .await)?;
        Ok(n > 0)
    }

    /// Holds every waiting message of `kind` queued since `since`, opening a hold for a
    /// supervisor (or adding to the open one). Returns how many are held now.
    /// Messages another worker is sending (under a lease that still runs) are left to it;
    /// `claimed` are the caller's own, held with the rest.
    pub async fn hold_burst(
        &self,
        kind: &str,
        since: DateTime<Utc>,
        claimed: &[i64],
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        crate::dispatch!(self, holds::hold(kind, since, claimed, now))
    }

    /// Holds waiting for a supervisor (or, with `all`, every hold), newest first.
    pub async fn message_holds(&self, all: bool) -> Result<Vec<MessageHold>, StoreError> {
        Ok(crate::with_pool!(self, |p| sqlx::query_as(
            "SELECT hold_id, kind, since, held_at, held, decided_at, decided_by, decision \
             FROM message_hold WHERE $1 OR decision IS NULL ORDER BY hold_id DESC"
        )
        .bind(all)
        .fetch_all(p)
        .await)?)
    }

    /// A supervisor's decision on an open hold; returns how many messages it moved.
    pub async fn decide_hold(
        &self,
        hold_id: i64,
        decision: HoldDecision,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        crate::dispatch!(self, holds::decide(hold_id, decision, by, now))
    }
}

crate::for_each_backend! {
    pub(crate) async fn hold(
        pool: &sqlx::Pool<DB>,
        kind: &str,
        since: DateTime<Utc>,
        claimed: &[i64],
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let mut qb = sqlx::QueryBuilder::<DB>::new(
            "UPDATE message SET status = 'held', lease_until = NULL WHERE kind = ",
        );
        qb.push_bind(kind)
            .push(" AND created_at >= ")
            .push_bind(since)
            .push(" AND (status = 'queued' OR (status = 'sending' AND (lease_until <= ")
            .push_bind(now)
            .push(" OR message_id IN (");
        let mut ids = qb.separated(", ");
        // An id no message has keeps the list valid when the caller holds none of its own.
        ids.push_bind(-1_i64);
        for id in claimed {
            ids.push_bind(*id);
        }
        qb.push("))))");
        let held = qb.build().execute(&mut *tx).await?.rows_affected();
        let open: Option<i64> = sqlx::query_scalar(
            "SELECT hold_id FROM message_hold WHERE kind = $1 AND decision IS NULL",
        )
        .bind(kind)
        .fetch_optional(&mut *tx)
        .await?;
        let total = i32::try_from(held).unwrap_or(i32::MAX);
        match open {
            Some(hold_id) => {
                sqlx::query("UPDATE message_hold SET held = held + $1 WHERE hold_id = $2")
                    .bind(total)
                    .bind(hold_id)
                    .execute(&mut *tx)
                    .await?;
            }
            None if held > 0 => {
                sqlx::query(
                    "INSERT INTO message_hold (kind, since, held_at, held) VALUES ($1, $2, $3, $4)",
                )
                .bind(kind)
                .bind(since)
                .bind(now)
                .bind(total)
                .execute(&mut *tx)
                .await?;
            }
            None => {}
        }
        tx.commit().await?;
        Ok(held)
    }

    pub(crate) async fn decide(
        pool: &sqlx::Pool<DB>,
        hold_id: i64,
        decision: HoldDecision,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let found: Option<(String, DateTime<Utc>)> = sqlx::query_as(
            "SELECT kind, since FROM message_hold WHERE hold_id = $1 AND decision IS NULL",
        )
        .bind(hold_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((kind, since)) = found else {
            tx.rollback().await?;
            return Err(StoreError::NotFound { what: "open hold" });
        };
        let (status, word) = match decision {
            HoldDecision::Release => ("queued", "released"),
            HoldDecision::Discard => ("discarded", "discarded"),
        };
        let moved = sqlx::query(
            "UPDATE message SET status = $1, next_attempt_at = $2 WHERE kind = $3 \
             AND created_at >= $4 AND status = 'held'",
        )
        .bind(status)
        .bind(now)
        .bind(&kind)
        .bind(since)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query(
            "UPDATE message_hold SET decision = $1, decided_by = $2, decided_at = $3 \
             WHERE hold_id = $4",
        )
        .bind(word)
        .bind(by)
        .bind(now)
        .bind(hold_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(moved)
    }
}
