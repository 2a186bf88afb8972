//! The yardstick for ingest: how fast the same rows go into a bare table with plain multi-row
//! INSERTs on the same backend, with the same batching. Our ingest is judged against it.

use crate::{Db, StoreError, with_writer};
use domain::{Event, Payload};
use sqlx::QueryBuilder;
use sqlx::types::Json;
use std::time::Instant;

/// Whether ingest runs the Code engine. Always, except while `victimcare bench ingest`
/// measures what the engine costs by turning it off for one of its runs.
static ENGINE_OFF: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// For the benchmark only: ingest without making obligations.
pub fn set_engine_off_for_benchmark(off: bool) {
    ENGINE_OFF.store(off, std::sync::atomic::Ordering::Relaxed);
}

pub(crate) fn engine_on() -> bool {
    !ENGINE_OFF.load(std::sync::atomic::Ordering::Relaxed)
}

#[derive(Debug, Clone, Copy)]
pub struct RawInsertTiming {
    pub rows: u64,
    pub seconds: f64,
}

const SQLITE_TABLE: &str = "CREATE TABLE bench_raw_event (crime_reference TEXT, source TEXT, \
    source_event_id TEXT, event_type TEXT, occurred_at TEXT, received_at TEXT, \
    ingested_at TEXT, payload TEXT)";
const POSTGRES_TABLE: &str = "CREATE TABLE bench_raw_event (crime_reference TEXT, source TEXT, \
    source_event_id TEXT, event_type TEXT, occurred_at TIMESTAMPTZ, received_at TIMESTAMPTZ, \
    ingested_at TIMESTAMPTZ, payload JSONB)";

impl Db {
    /// Inserts `batches` into a fresh bare table, one transaction per batch, and times it. The
    /// table is dropped afterwards.
    pub async fn bench_raw_insert(
        &self,
        batches: &[Vec<Event>],
    ) -> Result<RawInsertTiming, StoreError> {
        let now = chrono::Utc::now();
        let ddl = match self {
            Self::Sqlite(_) => SQLITE_TABLE,
            Self::Postgres(_) => POSTGRES_TABLE,
        };
        // The same rows per statement as ingest uses for events (8 columns).
        let rows_per_statement = match self {
            Self::Sqlite(_) => crate::SQLITE_BINDS / 8,
            Self::Postgres(_) => crate::POSTGRES_BINDS / 8,
        };
        with_writer!(self, |p| sqlx::query(
            "DROP TABLE IF EXISTS bench_raw_event"
        )
        .execute(p)
        .await
        .map(|_| ()))?;
        with_writer!(self, |p| sqlx::query(ddl).execute(p).await.map(|_| ()))?;
        let started = Instant::now();
        let mut rows = 0_u64;
        for batch in batches {
            with_writer!(self, |p| {
                let mut tx = p.begin().await?;
                for chunk in batch.chunks(rows_per_statement) {
                    let mut qb = QueryBuilder::new(
                        "INSERT INTO bench_raw_event (crime_reference, source, source_event_id, \
                         event_type, occurred_at, received_at, ingested_at, payload) ",
                    );
                    qb.push_values(chunk, |mut row, e| {
                        row.push_bind(e.crime_reference.as_str())
                            .push_bind(e.source.as_str())
                            .push_bind(e.id.as_str())
                            .push_bind(e.event_type().as_str())
                            .push_bind(e.occurred_at)
                            .push_bind(e.received_at)
                            .push_bind(now)
                            .push_bind(Json(Payload(&e.body)));
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                tx.commit().await
            })?;
            rows += batch.len() as u64;
        }
        let seconds = started.elapsed().as_secs_f64();
        with_writer!(self, |p| sqlx::query("DROP TABLE bench_raw_event")
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(RawInsertTiming { rows, seconds })
    }
}

impl Db {
    /// For `victimcare bench notify` only: puts every message back in the queue, untried, so
    /// the same outbox can be sent again by a different number of workers.
    pub async fn requeue_all_messages_for_benchmark(
        &self,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        with_writer!(self, |p| sqlx::query(
            "UPDATE message SET status = 'queued', attempts = 0, lease_until = NULL, \
             sent_at = NULL, channel = NULL, provider_ref = NULL, next_attempt_at = $1"
        )
        .bind(at)
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(())
    }
}
