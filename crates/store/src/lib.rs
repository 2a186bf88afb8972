//! victimcare's storage: one [`Db`] over SQLite (the embedded default) or PostgreSQL (for
//! production), with the same behaviour on both. Every query is written once; the
//! `for_each_backend!` macro compiles it once per backend, so each is type-checked against its
//! own driver. The conformance suite in `tests/` runs the same stories against both.

mod api_keys;
mod attendance;
mod audit;
mod backup;
mod bench;
mod bulk;
mod calendar;
mod calls;
mod capacity;
mod cases;
mod checkpoint;
mod contact_log;
mod error;
mod feedback;
mod figures;
mod holds;
mod ingest;
mod lookup;
mod message_texts;
mod messages;
#[cfg(test)]
mod migration_tests;
mod obligations;
mod panel;
mod portal;
mod rebuild;
mod reseal;
mod retention;
mod rule_sets;
#[cfg(feature = "scratch")]
pub mod scratch;
mod seal;
mod search;
mod staff;
mod subject_access;
mod support;
mod surveys;
mod tasks;

pub use api_keys::{ApiKey, ApiKeyInfo, ApiScope, NewApiKey};
pub use attendance::{AttendanceRow, TASK_UNATTENDED, Unattended};
pub use audit::{AuditCheck, AuditEntry, AuditFilter, AuditRecord};
pub use backup::TableCount;
pub use bench::{RawInsertTiming, set_engine_off_for_benchmark};
pub use calendar::CalendarChange;
pub use calls::{CallEnd, MAX_CALL_CHECKS, StaffCall, TelephonyCall};
pub use capacity::{CallOutcome, CallRecord, CapacityPolicy, Imported, PlanRequest, StaffingPlan};
pub use cases::{CaseDetail, CaseSummary, StoredEvent, StoredObligation, VictimSummary};
pub use contact_log::{DIRECTIONS, LogView, Logged, NewLogEntry, TASK_CALLBACK_PROMISED, WHO};
pub use error::StoreError;
pub use feedback::StoredFeedback;
pub use figures::FigureFilter;
pub use holds::{HoldDecision, MessageHold};
pub use ingest::IngestOutcome;
pub use lookup::LookupKey;
pub use message_texts::MessageText;
pub use messages::{
    DueMessage, MessageRecipient, MessageStep, MessageView, Outcome as MessageOutcome, Receipt,
    TASK_MESSAGE, detail_hash,
};
pub use obligations::{
    Compliance, ComplianceRow, ContactRecorded, GroupBy, ObligationView, TickReport,
};
pub use panel::{NewPanelSession, PANEL_INVITATION_KIND, PanelSession, PanelVolunteer};
pub use portal::{Answer, IssuedAccess, LINK_LIFETIME, PinCheck, PortalSession, Verification};
pub use rebuild::RebuildReport;
pub use reseal::{KeyUse, ResealReport};
pub use retention::{LegalHold, RetentionReport};
pub use rule_sets::RuleSetInfo;
pub use seal::{
    FieldKeys, KEY_FILE_CHECK, SEALED_COLUMNS, SealError, SealedColumn, Sealer, StoredJson,
    key_id_of,
};
pub use search::{MAX_HITS, SearchBy, SearchHit};
pub use staff::{
    CreatedStaffUser, NewStaffUser, SESSION_LIFETIME, SignIn, StaffSession, StaffUser, totp_code,
};
pub use subject_access::{SubjectAccess, SubjectCase, SubjectEvent};
pub use support::{
    AgencyFigures, AgencyReferral, NewReferral, REFERRAL_RULE, Referral, Shared, StoredAssessment,
    TASK_REFERRAL_UNANSWERED,
};
pub use surveys::{
    DimensionFigure, INVITATION_KIND, OpenInvitation, SatisfactionFigures, StoredResponse,
    SurveyMoment,
};
pub use tasks::{
    DueSoon, HELPLINE_KINDS, QueueFilter, RESPONSE_KINDS, TaskView, VICTIM_CARE_KINDS, team_of,
};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// Compiles the items once per backend, in modules `sqlite` and `postgres`, with `DB` the
/// backend's `sqlx::Database` type and the dialect's constants alongside. `peers(m, …)` makes
/// the same backend's module of `crate::m` available as `m`.
macro_rules! for_each_backend {
    (peers($($peer:ident),*) $($item:item)*) => {
        #[allow(dead_code)]
        pub(crate) mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(#[allow(unused_imports)] use crate::$peer::sqlite as $peer;)*
            pub(crate) type DB = sqlx::Sqlite;
            /// SQLite upgrades a read transaction to a write one only if nobody else wrote in
            /// between; taking the write lock up front avoids that failure.
            pub(crate) const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";
            /// SQLite has one writer at a time already.
            pub(crate) const LOCK_INGEST: Option<&str> = None;
            /// SQLite's write lock already makes scheduler passes take turns.
            pub(crate) const TRY_LOCK_SCHEDULER: Option<&str> = None;
            /// SQLite's write lock already orders the audit chain.
            pub(crate) const LOCK_AUDIT: Option<&str> = None;
            /// The week an obligation is due, as the index of open obligations has it (see
            /// `obligations::due_week`).
            pub(crate) const DUE_WEEK: &str = "(unixepoch(due_on) / 604800)";
            /// Bound values per multi-row statement (a chunk of n-column rows holds this / n
            /// rows): SQLite allows 32,766.
            pub(crate) const ROWS_PER_STATEMENT: usize = crate::SQLITE_BINDS;
            $($item)*
        }
        #[allow(dead_code)]
        pub(crate) mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(#[allow(unused_imports)] use crate::$peer::postgres as $peer;)*
            pub(crate) type DB = sqlx::Postgres;
            pub(crate) const BEGIN_WRITE: &str = "BEGIN";
            /// Ingest updates stored projections incrementally, so two batches touching one
            /// case at once would lose an update. One ingest at a time keeps that impossible.
            pub(crate) const LOCK_INGEST: Option<&str> =
                Some("SELECT pg_advisory_xact_lock(7318001)");
            /// One scheduler pass at a time across every instance: the one that gets the lock
            /// leads; the others skip this round rather than queue behind it.
            pub(crate) const TRY_LOCK_SCHEDULER: Option<&str> =
                Some("SELECT pg_try_advisory_xact_lock(7318002)");
            /// Audit records are chained: one is appended at a time.
            pub(crate) const LOCK_AUDIT: Option<&str> =
                Some("SELECT pg_advisory_xact_lock(7318003)");
            /// The week an obligation is due, as the index of open obligations has it (see
            /// `obligations::due_week`).
            pub(crate) const DUE_WEEK: &str = "((due_on - DATE '1970-01-01') / 7)";
            /// PostgreSQL allows 65,535 bound values.
            pub(crate) const ROWS_PER_STATEMENT: usize = crate::POSTGRES_BINDS;
            $($item)*
        }
    };
    ($($item:item)*) => {
        $crate::for_each_backend!(peers() $($item)*);
    };
}
pub(crate) use for_each_backend;

/// Runs the same expression with `$p` bound to whichever pool reads this database.
macro_rules! with_pool {
    ($db:expr, |$p:ident| $body:expr) => {
        match $db {
            $crate::Db::Sqlite(sqlite) => {
                let $p = &sqlite.reader;
                $body
            }
            $crate::Db::Postgres(pg) => {
                let $p = &pg.pool;
                $body
            }
        }
    };
}
pub(crate) use with_pool;

/// Runs the same expression with `$p` bound to whichever pool writes to this database.
macro_rules! with_writer {
    ($db:expr, |$p:ident| $body:expr) => {
        match $db {
            $crate::Db::Sqlite(sqlite) => {
                let $p = &sqlite.writer;
                $body
            }
            $crate::Db::Postgres(pg) => {
                let $p = &pg.pool;
                $body
            }
        }
    };
}
pub(crate) use with_writer;

/// Calls the function of the same path in the backend's module, with the pool that writes.
macro_rules! dispatch {
    ($db:expr, $module:ident :: $func:ident ( $($arg:expr),* )) => {
        match $db {
            $crate::Db::Sqlite(s) => $crate::$module::sqlite::$func(&s.writer $(, $arg)*).await,
            $crate::Db::Postgres(p) => $crate::$module::postgres::$func(&p.pool $(, $arg)*).await,
        }
    };
}
pub(crate) use dispatch;

/// The database: a pool of connections to SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqliteDb),
    Postgres(PgDb),
}

/// SQLite allows one writer at a time. Writes go through a pool of one connection, so writers
/// queue in order instead of sleeping and retrying on a locked file; reads use read-only
/// connections of their own, which WAL lets run alongside the writer.
#[derive(Clone, Debug)]
pub struct SqliteDb {
    pub reader: SqlitePool,
    pub writer: SqlitePool,
    /// Copies the write-ahead log into the database file in the background (absent if its
    /// connection could not be opened: the writer then does it).
    checkpoints: Option<checkpoint::Checkpoints>,
    lookup: Arc<LookupKey>,
    sealer: Arc<Sealer>,
}

#[derive(Clone, Debug)]
pub struct PgDb {
    pub pool: PgPool,
    lookup: Arc<LookupKey>,
    sealer: Arc<Sealer>,
}

/// The two secrets a database is opened with, both kept outside it: the key of the search
/// digests and the keys that seal personal data.
#[derive(Debug)]
pub struct Keys {
    pub lookup: LookupKey,
    pub fields: Sealer,
}

/// Whether a connection to PostgreSQL proves it reached the right server: a certificate
/// checked by authority and by name (`verify-full`), or a server on this machine (a Unix
/// socket or a loopback address) that nobody else can stand in for. `require` encrypts, but
/// anyone in the path could present their own certificate; `verify-ca` skips the name, and
/// sqlx trusts the public authorities too, so any publicly issued certificate would pass it.
fn certificate_checked(options: &PgConnectOptions) -> bool {
    matches!(
        options.get_ssl_mode(),
        sqlx::postgres::PgSslMode::VerifyFull
    ) || on_this_machine(options)
}

/// A Unix socket or a loopback address.
fn on_this_machine(options: &PgConnectOptions) -> bool {
    let host = options.get_host();
    options.get_socket().is_some()
        || host.starts_with('/')
        || host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The connection settings from a URL. To a server on this machine, unless the URL (or
/// `PGSSLMODE`) says otherwise, without TLS: it protects nothing there (no one is in the path), and sqlx's TLS
/// cost a fifth of ingest's speed in `victimcare bench ingest` (6,397 against 7,858 events a
/// second on PostgreSQL).
fn pg_options(url: &str) -> Result<PgConnectOptions, StoreError> {
    let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::BadUrl(e.to_string()))?;
    let asked = std::env::var_os("PGSSLMODE").is_some()
        || url
            .split_once('?')
            .is_some_and(|(_, query)| query.split('&').any(|p| p.starts_with("sslmode=")));
    Ok(if !asked && on_this_machine(&options) {
        options.ssl_mode(sqlx::postgres::PgSslMode::Disable)
    } else {
        options
    })
}

impl Keys {
    /// New random keys, for a throwaway database.
    pub fn generate() -> Self {
        Self {
            lookup: LookupKey::generate(),
            fields: Sealer::new(FieldKeys::generate()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Db {
    /// Connects to `sqlite://PATH` (created if missing) or `postgres://…`, and brings the schema
    /// up to date.
    /// `keys.lookup` is the key of the search digests: it must be the same every time the
    /// same database is opened (victims indexed under another key are indexed again).
    /// `keys.fields` must hold every key that sealed something in it.
    pub async fn connect(url: &str, keys: Keys) -> Result<Self, StoreError> {
        let lookup = Arc::new(keys.lookup);
        let sealer = Arc::new(keys.fields);
        let db = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::BadUrl(e.to_string()))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL: a commit is on disk before we answer, so an accepted event survives a
                // power cut as well as a crash. Batches make the fsync cost small.
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(30))
                .foreign_keys(true)
                .pragma("cache_size", "-65536")
                // A background task checkpoints (see `checkpoint`); the writer only past this.
                .pragma(
                    "wal_autocheckpoint",
                    checkpoint::WRITER_FALLBACK_PAGES.to_string(),
                );
            if let Some(parent) = sqlite_file(url).and_then(|p| p.parent().map(ToOwned::to_owned))
                && !parent.as_os_str().is_empty()
            {
                std::fs::create_dir_all(&parent).map_err(|e| {
                    StoreError::BadUrl(format!("cannot create {}: {e}", parent.display()))
                })?;
            }
            // The writer stays open: read-only connections to a WAL database need the shared
            // memory file that the last writer to close would remove.
            let writer = SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .acquire_timeout(Duration::from_secs(120))
                // A multi-row statement keeps the old content of each page it changes (its
                // statement journal) until it ends: in a temporary file, that doubled the bytes
                // an import writes. A batch's statements change a few megabytes at most. Only
                // the writer: a reader's large sort may still spill to disk.
                .connect_with(options.clone().pragma("temp_store", "MEMORY"))
                .await
                .map_err(|e| read_only(url).unwrap_or(StoreError::Database(e)))?;
            // The writer has made the file (and WAL mode) before any reader opens it.
            sqlx::query("SELECT 1").execute(&writer).await?;
            let reader = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options.clone().read_only(true))
                .await?;
            let checkpoints = match SqlitePoolOptions::new()
                .max_connections(1)
                // Ten statements a second, every second: not worth a log line each.
                .connect_with(sqlx::ConnectOptions::disable_statement_logging(options))
                .await
            {
                Ok(pool) => Some(checkpoint::Checkpoints::start(pool)),
                Err(e) => {
                    tracing::warn!(error = %e, "no background checkpoints: the writer checkpoints instead");
                    None
                }
            };
            Self::Sqlite(SqliteDb {
                reader,
                writer,
                checkpoints,
                lookup,
                sealer,
            })
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let mut options = pg_options(url)?;
            // Named in `pg_stat_activity`, so a database administrator sees who is connected.
            if options.get_application_name().is_none() {
                options = options.application_name("victimcare");
            }
            if !certificate_checked(&options) {
                tracing::warn!(
                    host = options.get_host(),
                    "the connection to PostgreSQL is not checked against a certificate: \
                     across a network, add sslmode=verify-full and sslrootcert to the URL"
                );
            }
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            Self::Postgres(PgDb {
                pool,
                lookup,
                sealer,
            })
        } else {
            return Err(StoreError::BadUrl(
                "the database URL must start with sqlite:// or postgres://".into(),
            ));
        };
        db.migrate().await?;
        db.check_keys().await?;
        db.reindex_lookups().await?;
        Ok(db)
    }

    /// The same database with another key for the search digests (a new key: then
    /// [`Db::reindex_lookups`] makes the digests again).
    pub fn with_lookup_key(mut self, key: LookupKey) -> Self {
        let key = Arc::new(key);
        match &mut self {
            Self::Sqlite(s) => s.lookup = key,
            Self::Postgres(p) => p.lookup = key,
        }
        self
    }

    /// The same database with other field keys (to reseal under a new key, or to show what
    /// a reader without a key sees).
    pub fn with_sealer(mut self, sealer: Sealer) -> Self {
        let sealer = Arc::new(sealer);
        match &mut self {
            Self::Sqlite(s) => s.sealer = sealer,
            Self::Postgres(p) => p.sealer = sealer,
        }
        self
    }

    /// The key of the search digests.
    pub fn lookup(&self) -> &LookupKey {
        match self {
            Self::Sqlite(s) => &s.lookup,
            Self::Postgres(p) => &p.lookup,
        }
    }

    /// Seals and opens personal data.
    pub fn sealer(&self) -> &Sealer {
        match self {
            Self::Sqlite(s) => &s.sealer,
            Self::Postgres(p) => &p.sealer,
        }
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(s) => sqlx::migrate!("migrations/sqlite").run(&s.writer).await?,
            Self::Postgres(p) => sqlx::migrate!("migrations/postgres").run(&p.pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// Is the database answering?
    pub async fn ping(&self) -> Result<(), StoreError> {
        with_pool!(self, |p| sqlx::query("SELECT 1")
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Self::Sqlite(s) => {
                if let Some(c) = &s.checkpoints {
                    c.close().await;
                }
                s.reader.close().await;
                s.writer.close().await;
            }
            Self::Postgres(p) => p.pool.close().await,
        }
    }
}

/// Why a SQLite database could not be opened, when the reason is that its file cannot be
/// written: SQLite itself then says only "unable to open database file" (it needs to write
/// beside the file to share it between connections).
fn read_only(url: &str) -> Option<StoreError> {
    let path = sqlite_file(url)?;
    let refused = std::fs::OpenOptions::new().write(true).open(&path).err()?;
    matches!(
        refused.kind(),
        std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied
    )
    .then(|| StoreError::ReadOnly {
        path: path.display().to_string(),
    })
}

fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| path.into())
}

/// Bound values per multi-row statement on each backend: fewer, larger statements mean fewer
/// round trips, within each database's limit on bound values.
pub(crate) const SQLITE_BINDS: usize = 4000;
pub(crate) const POSTGRES_BINDS: usize = 8000;

/// Turns a row count into the `i64` both databases store, saturating rather than wrapping.
pub(crate) fn to_i64(n: impl TryInto<i64>) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::certificate_checked;
    use sqlx::postgres::PgConnectOptions;
    use std::str::FromStr;

    #[test]
    fn only_a_checked_certificate_or_this_machine_proves_the_server() {
        let checked = |url: &str| certificate_checked(&PgConnectOptions::from_str(url).unwrap());
        assert!(checked("postgres://vc@127.0.0.1/vc"));
        assert!(checked("postgres://vc@localhost:5433/vc"));
        assert!(checked("postgres:///vc?host=/var/run/postgresql"));
        assert!(checked(
            "postgres://vc@db.force.internal/vc?sslmode=verify-full&sslrootcert=/etc/vc/ca.pem"
        ));
        assert!(!checked("postgres://vc@db.force.internal/vc"));
        assert!(!checked(
            "postgres://vc@db.force.internal/vc?sslmode=require"
        ));
        assert!(!checked(
            "postgres://vc@db.force.internal/vc?sslmode=verify-ca&sslrootcert=/etc/vc/ca.pem"
        ));
        assert!(!checked("postgres://vc@10.0.0.9/vc"));
        assert!(checked("postgres://vc@127.0.0.2/vc"));
    }

    #[test]
    fn a_server_on_this_machine_is_reached_without_tls_unless_the_url_asks() {
        use sqlx::postgres::PgSslMode;
        let mode = |url: &str| super::pg_options(url).unwrap().get_ssl_mode();
        assert!(matches!(
            mode("postgres://vc@127.0.0.1/vc"),
            PgSslMode::Disable
        ));
        assert!(matches!(
            mode("postgres://vc@localhost/vc?sslmode=require"),
            PgSslMode::Require
        ));
        // Across a network, TLS whenever the server offers it (and a warning at start-up).
        assert!(matches!(
            mode("postgres://vc@10.0.0.9/vc"),
            PgSslMode::Prefer
        ));
    }
}
