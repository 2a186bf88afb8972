//! Fresh databases for tests: a temporary SQLite file always, and a new PostgreSQL database on
//! the server named by `VICTIMCARE_TEST_PG` when it is set. With `VICTIMCARE_TEST_PG_REQUIRED=1`
//! (as in CI) a missing server is a failure, not a skip.

use crate::Db;
use rand::Rng;

pub const PG_ENV: &str = "VICTIMCARE_TEST_PG";
pub const PG_REQUIRED_ENV: &str = "VICTIMCARE_TEST_PG_REQUIRED";

/// A database that lives as long as the test. PostgreSQL databases are dropped by
/// [`TestDb::cleanup`]; one left by a failed test is named `vc_test_…` and harmless.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let db = Db::connect(&url).await.expect("a fresh SQLite database");
        Self {
            db,
            url,
            _dir: Some(dir),
            pg: None,
        }
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
        let name = format!("vc_test_{:016x}", rand::rng().random::<u64>());
        let admin = sqlx::PgPool::connect(&admin_url)
            .await
            .expect("the PostgreSQL server in VICTIMCARE_TEST_PG answers");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .expect("permission to create a test database");
        admin.close().await;
        let url = with_database(&admin_url, &name);
        let db = Db::connect(&url).await.expect("the new test database");
        Some(Self {
            db,
            url,
            _dir: None,
            pg: Some((admin_url, name)),
        })
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
