//! Background checkpoints for SQLite. A commit appends the changed pages to the write-ahead
//! log; a checkpoint later copies them into the database file and syncs it. By default the
//! connection that commits also checkpoints, so a large commit waits for a second copy and a
//! second sync before the next write can start. Here a connection of its own checkpoints a
//! few times a second, on the other core, while the writer carries on.
//!
//! The writer still checkpoints by itself once the log passes [`WRITER_FALLBACK_PAGES`], so
//! the log stays bounded if this task falls behind or could not start.

use sqlx::SqlitePool;
use std::sync::{Arc, Weak};
use std::time::Duration;

/// 64 MiB of 4 KiB pages: about three of the largest batches.
pub(crate) const WRITER_FALLBACK_PAGES: u32 = 16_384;

/// How often the log is copied into the database.
const PERIOD: Duration = Duration::from_millis(100);

/// Keeps the background task running: it stops once every clone of its database is dropped
/// or closed.
#[derive(Clone, Debug)]
pub(crate) struct Checkpoints {
    pool: SqlitePool,
    _alive: Arc<()>,
}

impl Checkpoints {
    /// Starts checkpointing through `pool` (one read-write connection of its own).
    pub(crate) fn start(pool: SqlitePool) -> Self {
        let alive = Arc::new(());
        tokio::spawn(run(pool.clone(), Arc::downgrade(&alive)));
        Self {
            pool,
            _alive: alive,
        }
    }

    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }
}

async fn run(pool: SqlitePool, database: Weak<()>) {
    let mut every = tokio::time::interval(PERIOD);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if database.strong_count() == 0 || pool.is_closed() {
            break;
        }
        // PASSIVE: copies what it can without waiting for the writer or any reader, so it
        // never delays a request.
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            // A full disk or a read-only file: the writer's own checkpoints take over.
            tracing::debug!(error = %e, "background checkpoint failed");
        }
    }
    pool.close().await;
}
