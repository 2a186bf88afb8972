//! The audit log: who saw or changed what, when and why. Append-only (the database refuses
//! updates and deletes) and chained: each record carries the SHA-256 of the one before, so
//! an edit made behind the database's back breaks the chain from that record on, and
//! [`Db::verify_audit`] names the first broken one. Details never hold personal data: they
//! name what was done ("searched by phone number"), not the values.

use crate::{Db, StoreError, for_each_backend, with_pool};
use chrono::{DateTime, SecondsFormat, Timelike, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Something to record.
#[derive(Debug, Clone, Default)]
pub struct AuditEntry {
    /// A username, or the name of a system ("victimcare", "ivr").
    pub actor: String,
    /// What was done, in a few words: "viewed case", "searched", "signed in".
    pub action: String,
    pub case_id: Option<i64>,
    pub victim_id: Option<i64>,
    /// The reason for access the person gave, if they were asked.
    pub reason: Option<String>,
    /// More about it, without personal data.
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AuditRecord {
    pub audit_id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub case_id: Option<i64>,
    pub victim_id: Option<i64>,
    pub reason: Option<String>,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Which records to read, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub case_id: Option<i64>,
    pub actor: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: i64,
}

/// What checking the chain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AuditCheck {
    /// Every record is in place; `head` is the last hash (keep it elsewhere: a chain cut
    /// short at the end can only be told by comparing with an older head).
    Intact {
        records: u64,
        head: String,
    },
    Broken {
        audit_id: i64,
        problem: String,
    },
}

/// Stored times keep microseconds (all PostgreSQL holds), so the hash of a record read back
/// is the hash it was written with.
fn micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.with_nanosecond(at.nanosecond() / 1000 * 1000)
        .unwrap_or(at)
}

fn chain_hash(prev: &str, id: i64, at: DateTime<Utc>, e: &AuditEntry) -> String {
    // A JSON array: no field's content can be mistaken for a separator.
    let canonical = serde_json::json!([
        prev,
        id,
        at.to_rfc3339_opts(SecondsFormat::Micros, true),
        e.actor,
        e.action,
        e.case_id,
        e.victim_id,
        e.reason,
        e.detail
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

impl Db {
    /// Appends a record; returns its id.
    pub async fn audit(&self, entry: &AuditEntry, now: DateTime<Utc>) -> Result<i64, StoreError> {
        let now = micros(now);
        match self {
            Db::Sqlite(s) => sqlite::append(&s.writer, entry, now).await,
            Db::Postgres(p) => postgres::append(&p.pool, entry, now).await,
        }
    }

    pub async fn audit_records(&self, f: &AuditFilter) -> Result<Vec<AuditRecord>, StoreError> {
        let rows = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT audit_id, at, actor, action, case_id, victim_id, reason, detail, prev_hash, \
             hash FROM audit_log WHERE ($1 IS NULL OR case_id = $1) \
             AND ($2 IS NULL OR actor = $2) AND ($3 IS NULL OR at >= $3) \
             AND ($4 IS NULL OR at < $4) ORDER BY audit_id DESC LIMIT $5"
        )
        .bind(f.case_id)
        .bind(f.actor.as_deref())
        .bind(f.from)
        .bind(f.to)
        .bind(f.limit.clamp(1, 1000))
        .fetch_all(p)
        .await
        })?;
        Ok(rows)
    }

    /// Walks the whole chain in order.
    pub async fn verify_audit(&self) -> Result<AuditCheck, StoreError> {
        let mut prev = GENESIS.to_owned();
        let mut expected_id = 1_i64;
        let mut records = 0_u64;
        loop {
            let page: Vec<AuditRecord> = with_pool!(self, |p| sqlx::query_as(
                "SELECT audit_id, at, actor, action, case_id, victim_id, reason, detail, \
                 prev_hash, hash FROM audit_log WHERE audit_id >= $1 \
                 ORDER BY audit_id LIMIT 5000"
            )
            .bind(expected_id)
            .fetch_all(p)
            .await)?;
            let Some(last) = page.last().map(|r| r.audit_id) else {
                return Ok(AuditCheck::Intact {
                    records,
                    head: prev,
                });
            };
            for r in page {
                let broken = |problem: &str| {
                    Ok(AuditCheck::Broken {
                        audit_id: r.audit_id,
                        problem: problem.to_owned(),
                    })
                };
                if r.audit_id != expected_id {
                    return broken(&format!("record {expected_id} is missing"));
                }
                if r.prev_hash != prev {
                    return broken("does not follow the record before it");
                }
                let entry = AuditEntry {
                    actor: r.actor,
                    action: r.action,
                    case_id: r.case_id,
                    victim_id: r.victim_id,
                    reason: r.reason,
                    detail: r.detail,
                };
                if chain_hash(&prev, r.audit_id, r.at, &entry) != r.hash {
                    return broken("its content does not match its hash");
                }
                prev = r.hash;
                expected_id += 1;
                records += 1;
            }
            expected_id = expected_id.max(last + 1);
        }
    }
}

for_each_backend! {
    pub(crate) async fn append(
        pool: &sqlx::Pool<DB>,
        entry: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let id = append_in(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Appends a record inside the caller's transaction, so the record and what it records
    /// commit together.
    pub(crate) async fn append_in(
        tx: &mut sqlx::Transaction<'_, DB>,
        entry: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let now = micros(now);
        // One writer of the chain at a time: each record must see the one before it.
        if let Some(lock) = LOCK_AUDIT {
            sqlx::query(lock).execute(&mut **tx).await?;
        }
        let last: Option<(i64, String)> =
            sqlx::query_as("SELECT audit_id, hash FROM audit_log ORDER BY audit_id DESC LIMIT 1")
                .fetch_optional(&mut **tx)
                .await?;
        let (id, prev) = last.map_or((1, GENESIS.to_owned()), |(id, h)| (id + 1, h));
        let hash = chain_hash(&prev, id, now, entry);
        sqlx::query(
            "INSERT INTO audit_log (audit_id, at, actor, action, case_id, victim_id, reason, \
             detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id)
        .bind(now)
        .bind(&entry.actor)
        .bind(&entry.action)
        .bind(entry.case_id)
        .bind(entry.victim_id)
        .bind(&entry.reason)
        .bind(&entry.detail)
        .bind(&prev)
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
        Ok(id)
    }
}
