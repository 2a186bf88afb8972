//! Throwaway databases for tests and benchmarks: a temporary SQLite file, or a new PostgreSQL
//! database on a given server. Tests use the server named by `VICTIMCARE_TEST_PG` when it is
//! set; with `VICTIMCARE_TEST_PG_REQUIRED=1` (as in CI) a missing server is a failure, not a skip.

use crate::{Db, StoreError};
use rand::Rng;

pub const PG_ENV: &str = "VICTIMCARE_TEST_PG";
pub const PG_REQUIRED_ENV: &str = "VICTIMCARE_TEST_PG_REQUIRED";

/// A database that lives as long as the test. PostgreSQL databases are dropped by
/// [`ScratchDb::cleanup`]; one left by a failed test is named `vc_scratch_…` and harmless.
pub struct ScratchDb {
    pub db: Db,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl ScratchDb {
    pub async fn sqlite() -> Result<Self, StoreError> {
        let dir = tempfile::tempdir()
            .map_err(|e| StoreError::BadUrl(format!("no temporary folder: {e}")))?;
        let url = format!("sqlite://{}", dir.path().join("scratch.db").display());
        let db = Db::connect(&url, crate::Keys::generate()).await?;
        Ok(Self {
            db,
            url,
            _dir: Some(dir),
            pg: None,
        })
    }

    /// A new, empty database on the PostgreSQL server that `admin_url` reaches.
    pub async fn postgres_on(admin_url: &str) -> Result<Self, StoreError> {
        let name = format!("vc_scratch_{:016x}", rand::rng().random::<u64>());
        let admin = sqlx::PgPool::connect(admin_url).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await?;
        admin.close().await;
        let url = with_database(admin_url, &name);
        let db = Db::connect(&url, crate::Keys::generate()).await?;
        Ok(Self {
            db,
            url,
            _dir: None,
            pg: Some((admin_url.to_owned(), name)),
        })
    }

    /// A fresh PostgreSQL database, or `None` when no server is configured (and none is required).
    pub async fn postgres() -> Option<Self> {
        let Ok(admin_url) = std::env::var(PG_ENV) else {
            assert!(
                std::env::var(PG_REQUIRED_ENV).as_deref() != Ok("1"),
                "{PG_REQUIRED_ENV}=1 but {PG_ENV} is not set"
            );
            eprintln!("skipped: set {PG_ENV} to run this test on PostgreSQL");
            return None;
        };
        Some(
            Self::postgres_on(&admin_url)
                .await
                .expect("a new database on the server in VICTIMCARE_TEST_PG"),
        )
    }

    /// Drops a PostgreSQL test database (SQLite files go with the temporary directory).
    pub async fn cleanup(self) {
        self.db.close().await;
        if let Some((admin_url, name)) = self.pg
            && let Ok(admin) = sqlx::PgPool::connect(&admin_url).await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&admin)
            .await;
            admin.close().await;
        }
    }
}

/// The same server URL with another database name.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_and_path = &base[scheme_end..];
    let host = host_and_path.split('/').next().unwrap_or(host_and_path);
    let mut out = format!("{}{host}/{name}", &base[..scheme_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn swaps_the_database_name() {
        assert_eq!(
            with_database("postgres://u@127.0.0.1:5432/postgres", "x"),
            "postgres://u@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://127.0.0.1?sslmode=disable", "x"),
            "postgres://127.0.0.1/x?sslmode=disable"
        );
    }
}
