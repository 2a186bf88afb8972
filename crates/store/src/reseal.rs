//! Key rotation's database half: how many values each key sealed, and sealing again under the
//! current key every value that is under an older one (or was written before sealing began).
//! It runs beside live traffic: rows are read and rewritten in small batches, and a row that
//! changed between the read and the write is left for the next pass rather than overwritten.

use crate::seal::{SEALED_COLUMNS, SealedColumn};
use crate::{Backend, Db, StoreError, with_pool, with_writer};
use serde::Serialize;

/// Rows resealed per statement batch: small enough that a writer never waits long.
const BATCH: i64 = 500;

/// How many values of one column are under one key (`None`: not sealed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyUse {
    pub column: String,
    pub key_id: Option<String>,
    pub values: i64,
}

/// What a resealing pass did, by column.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ResealReport {
    pub key_id: String,
    pub resealed: Vec<(String, u64)>,
    /// Rows that changed while being resealed, left for the next pass.
    pub skipped: u64,
}

impl ResealReport {
    pub fn total(&self) -> u64 {
        self.resealed.iter().map(|(_, n)| n).sum()
    }
}

/// The condition that leaves out values never sealed, for a text column.
fn left_as_is(column: SealedColumn) -> String {
    if column.json {
        String::new()
    } else {
        format!(" AND {} <> '{LEFT_AS_IS}'", column.column)
    }
}

/// SQL for the key id of a stored value, or NULL when it is not sealed.
fn key_id_sql(backend: Backend, column: SealedColumn) -> String {
    let c = column.column;
    match (backend, column.json) {
        (Backend::Sqlite, true) => {
            format!("CASE WHEN substr({c}, 1, 5) = '\"vc1:' THEN substr({c}, 6, 8) END")
        }
        (Backend::Postgres, true) => format!(
            "CASE WHEN jsonb_typeof({c}) = 'string' AND left({c} #>> '{{}}', 4) = 'vc1:' \
             THEN substr({c} #>> '{{}}', 5, 8) END"
        ),
        (_, false) => format!("CASE WHEN substr({c}, 1, 4) = 'vc1:' THEN substr({c}, 5, 8) END"),
    }
}

/// Values that are never sealed: what erasure leaves in the contact log.
const LEFT_AS_IS: &str = "[erased]";

impl Db {
    /// Refuses keys that cannot open this database: the newest value of each sealed column
    /// must be under a key held. Cheap (one row per column by its key), so every command and
    /// instance checks at start-up, and a command run with a key file of its own (a new one,
    /// made in the wrong folder) stops at once instead of writing what no one else can read.
    pub async fn check_keys(&self) -> Result<(), StoreError> {
        let keys = self.sealer().keys();
        let mut missing = Vec::new();
        for column in SEALED_COLUMNS {
            let read = match (self.backend(), column.json) {
                (Backend::Postgres, true) => format!("{}::text", column.column),
                _ => column.column.to_owned(),
            };
            let sql = format!(
                "SELECT {read} FROM {} WHERE {} IS NOT NULL ORDER BY {} DESC LIMIT 1",
                column.table, column.column, column.id
            );
            // Built from constants only.
            let newest: Option<String> = with_pool!(self, |p| sqlx::query_scalar(
                sqlx::AssertSqlSafe(sql.clone())
            )
            .fetch_optional(p)
            .await)?;
            if let Some(id) = newest.as_deref().and_then(crate::seal::key_id_of)
                && !keys.ids().contains(&id)
                && !missing.iter().any(|m: &String| m == id)
            {
                missing.push(id.to_owned());
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(StoreError::MissingKeys(missing))
        }
    }

    /// How many values each key sealed, column by column.
    pub async fn key_use(&self) -> Result<Vec<KeyUse>, StoreError> {
        let mut out = Vec::new();
        for column in SEALED_COLUMNS {
            let sql = format!(
                "SELECT k, COUNT(*) FROM (SELECT {} AS k FROM {} WHERE {} IS NOT NULL{}) s \
                 GROUP BY k ORDER BY k",
                key_id_sql(self.backend(), *column),
                column.table,
                column.column,
                left_as_is(*column)
            );
            // Built from constants only.
            let rows: Vec<(Option<String>, i64)> =
                with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                    .fetch_all(p)
                    .await)?;
            for (key_id, values) in rows {
                out.push(KeyUse {
                    column: column.label().to_owned(),
                    key_id,
                    values,
                });
            }
        }
        Ok(out)
    }

    /// Seals again, under the key that seals now, every value under another key or none.
    pub async fn reseal(&self) -> Result<ResealReport, StoreError> {
        let active = self.sealer().active_id();
        let mut report = ResealReport {
            key_id: active.clone(),
            ..ResealReport::default()
        };
        for column in SEALED_COLUMNS {
            let (done, skipped) = self.reseal_column(*column, &active).await?;
            report.resealed.push((column.label().to_owned(), done));
            report.skipped += skipped;
        }
        Ok(report)
    }

    async fn reseal_column(
        &self,
        column: SealedColumn,
        active: &str,
    ) -> Result<(u64, u64), StoreError> {
        let SealedColumn {
            table,
            id,
            column: c,
            ..
        } = column;
        let key = key_id_sql(self.backend(), column);
        // The value is read as text on both databases, and written back only if it is still
        // the value read.
        let (read_value, write_value, compare) = match (self.backend(), column.json) {
            (Backend::Postgres, true) => (format!("{c}::text"), "$1::jsonb", format!("{c}::text")),
            _ => (c.to_owned(), "$1", c.to_owned()),
        };
        let select = format!(
            "SELECT {id}, {read_value} FROM {table} \
             WHERE {id} > $1 AND {c} IS NOT NULL{skip} AND ({key} IS NULL OR {key} <> $2) \
             ORDER BY {id} LIMIT $3",
            skip = left_as_is(column)
        );
        let update =
            format!("UPDATE {table} SET {c} = {write_value} WHERE {id} = $2 AND {compare} = $3");
        let (mut done, mut skipped, mut after) = (0_u64, 0_u64, 0_i64);
        loop {
            // Built from constants only.
            let rows: Vec<(i64, String)> = with_pool!(self, |p| sqlx::query_as(
                sqlx::AssertSqlSafe(select.clone())
            )
            .bind(after)
            .bind(active)
            .bind(BATCH)
            .fetch_all(p)
            .await)?;
            let Some(last) = rows.last() else { break };
            after = last.0;
            let mut fresh = Vec::with_capacity(rows.len());
            for (row_id, stored) in &rows {
                let plain = if column.json {
                    self.sealer().open_json_text(column, stored)
                } else {
                    self.sealer().open_text(column, stored)
                }
                .map_err(|e| e.at(table, *row_id))?;
                // The opened text is sealed as it is: nothing is parsed or reordered.
                let sealed = self.sealer().seal_stored(column, plain.as_bytes());
                fresh.push((*row_id, stored, sealed));
            }
            let changed = with_writer!(self, |p| {
                let mut tx = p.begin().await?;
                let mut changed = 0_u64;
                for (row_id, stored, sealed) in &fresh {
                    changed += sqlx::query(sqlx::AssertSqlSafe(update.clone()))
                        .bind(sealed)
                        .bind(*row_id)
                        .bind(*stored)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                }
                tx.commit().await?;
                Ok::<u64, sqlx::Error>(changed)
            })?;
            done += changed;
            skipped += fresh.len() as u64 - changed;
        }
        Ok((done, skipped))
    }
}
