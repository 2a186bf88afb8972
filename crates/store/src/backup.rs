//! Backups. SQLite: an online, consistent copy made while the service runs (`VACUUM INTO`
//! reads one snapshot, so writers carry on and the copy is never half a transaction).
//! PostgreSQL: `pg_dump`, which the operations guide describes; nothing here replaces it.

use crate::{Db, StoreError, with_pool};
use serde::Serialize;
use std::path::Path;

/// What a backup holds, to compare with the database it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableCount {
    pub table: String,
    pub rows: i64,
}

impl Db {
    /// Writes a consistent copy of a SQLite database to `to`, which must not exist yet.
    pub async fn backup_to(&self, to: &Path) -> Result<(), StoreError> {
        let Self::Sqlite(s) = self else {
            return Err(StoreError::Refused(vec![domain::Problem::new(
                "database_url",
                "a PostgreSQL database is backed up with pg_dump (see docs/operations.md)",
            )]));
        };
        if to.exists() {
            return Err(StoreError::Refused(vec![domain::Problem::new(
                "out",
                "already exists: a backup never overwrites a file",
            )]));
        }
        let path = to.to_str().ok_or_else(|| {
            StoreError::Refused(vec![domain::Problem::new(
                "out",
                "must be a path in plain characters",
            )])
        })?;
        // A reader: it holds one snapshot of the WAL database while writers go on.
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&s.reader)
            .await?;
        // A copy of every victim's data: readable by the service's own user only.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o600)).map_err(|e| {
                StoreError::Refused(vec![domain::Problem::new(
                    "out",
                    format!("the copy was made but its permissions cannot be set: {e}"),
                )])
            })?;
        }
        Ok(())
    }

    /// Rows in every table of the schema, by name: what a restore test compares.
    pub async fn table_counts(&self) -> Result<Vec<TableCount>, StoreError> {
        let tables: Vec<String> = with_pool!(self, |p| {
            sqlx::query_scalar(match self {
            Db::Sqlite(_) =>
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_sqlx%' ESCAPE '\\' ORDER BY name",
            Db::Postgres(_) =>
                "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() \
                 AND tablename NOT LIKE '\\_sqlx%' ORDER BY tablename",
        })
        .fetch_all(p)
        .await
        })?;
        let mut out = Vec::with_capacity(tables.len());
        for table in tables {
            // The names come from the catalogue, not from anyone's input; quoted anyway.
            let sql = format!("SELECT COUNT(*) FROM \"{}\"", table.replace('"', "\"\""));
            let rows: i64 = with_pool!(self, |p| sqlx::query_scalar(sqlx::AssertSqlSafe(
                sql.clone()
            ))
            .fetch_one(p)
            .await)?;
            out.push(TableCount { table, rows });
        }
        Ok(out)
    }
}
