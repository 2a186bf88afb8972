//! Subject access: everything held about one victim, gathered from every table that names
//! them, so a table added later is never left out of an answer. Other people are never in
//! it: events are listed by kind and time (their payloads name other victims), and staff are
//! named only by the records that already name them.

use crate::{Db, StoreError, with_pool};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

/// Columns never exported: secrets that protect the victim, and digests that are only keys.
fn withheld(column: &str) -> bool {
    column.ends_with("_hash")
        || column.ends_with("_index")
        || column == "lookup_key"
        || column == "hash"
        || column == "prev_hash"
}

/// A case the victim is in, as they may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SubjectCase {
    pub case_id: i64,
    pub crime_reference: String,
    pub offence: Option<String>,
    pub borough: Option<String>,
    pub phase: String,
    pub reported_at: Option<DateTime<Utc>>,
}

/// One event of their case: what happened and when, without the payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SubjectEvent {
    pub case_id: i64,
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
}

/// Everything held about one victim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubjectAccess {
    pub victim_id: i64,
    pub exported_at: DateTime<Utc>,
    /// Their record as the crime recording system last sent it.
    pub victim: Value,
    pub cases: Vec<SubjectCase>,
    pub events: Vec<SubjectEvent>,
    /// Every other table's rows that name them, by table.
    pub records: Vec<(String, Vec<Value>)>,
}

impl Db {
    /// Gathers everything held about a victim; `None` for a victim we do not hold.
    pub async fn subject_access(
        &self,
        victim_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<SubjectAccess>, StoreError> {
        let Some(victim) = self.row_json("victim", victim_id).await?.into_iter().next() else {
            return Ok(None);
        };
        let cases: Vec<SubjectCase> = with_pool!(self, |p| sqlx::query_as(
            "SELECT c.case_id, c.crime_reference, c.offence, c.borough, c.phase, c.reported_at \
             FROM crime_case c JOIN case_victim cv ON cv.case_id = c.case_id \
             WHERE cv.victim_id = $1 ORDER BY c.case_id"
        )
        .bind(victim_id)
        .fetch_all(p)
        .await)?;
        let events: Vec<SubjectEvent> = with_pool!(self, |p| sqlx::query_as(
            "SELECT e.case_id, e.event_type, e.occurred_at FROM case_event e \
             JOIN case_victim cv ON cv.case_id = e.case_id WHERE cv.victim_id = $1 \
             ORDER BY e.case_id, e.occurred_at"
        )
        .bind(victim_id)
        .fetch_all(p)
        .await)?;
        let mut records: Vec<(String, Vec<Value>)> = Vec::new();
        for table in self.tables_naming_victims().await? {
            if table == "victim" {
                continue;
            }
            let rows = self.row_json(&table, victim_id).await?;
            if !rows.is_empty() {
                records.push((table, rows));
            }
        }
        // An event rule's obligation stores its facts, not its words (decision 17): the
        // export gives the words, as every other reader does.
        if let Some((_, rows)) = records.iter_mut().find(|(t, _)| t == "obligation") {
            let mut words: std::collections::HashMap<i64, String> =
                std::collections::HashMap::new();
            for case in &cases {
                for o in self.obligations_of_victim(case.case_id, victim_id).await? {
                    words.insert(o.obligation_id, o.explanation);
                }
            }
            for row in rows.iter_mut() {
                let id = row.get("obligation_id").and_then(Value::as_i64);
                if let (Some(text), Some(Value::String(stored))) = (
                    id.and_then(|id| words.remove(&id)),
                    row.get_mut("explanation"),
                ) {
                    *stored = text;
                }
            }
        }
        Ok(Some(SubjectAccess {
            victim_id,
            exported_at: now,
            victim,
            cases,
            events,
            records,
        }))
    }

    /// Every table with a `victim_id` column.
    async fn tables_naming_victims(&self) -> Result<Vec<String>, StoreError> {
        let tables: Vec<String> = with_pool!(self, |p| sqlx::query_scalar(match self {
            Db::Sqlite(_) =>
                "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c \
                 WHERE m.type = 'table' AND c.name = 'victim_id' ORDER BY m.name",
            Db::Postgres(_) =>
                "SELECT table_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND column_name = 'victim_id' \
                 ORDER BY table_name",
        })
        .fetch_all(p)
        .await)?;
        Ok(tables)
    }

    async fn columns(&self, table: &str) -> Result<Vec<String>, StoreError> {
        let columns: Vec<String> = with_pool!(self, |p| sqlx::query_scalar(match self {
            Db::Sqlite(_) => "SELECT name FROM pragma_table_info($1) ORDER BY cid",
            Db::Postgres(_) =>
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 \
                 ORDER BY ordinal_position",
        })
        .bind(table)
        .fetch_all(p)
        .await)?;
        Ok(columns)
    }

    /// A table's rows for the victim as JSON objects, without the withheld columns.
    async fn row_json(&self, table: &str, victim_id: i64) -> Result<Vec<Value>, StoreError> {
        let columns: Vec<String> = self
            .columns(table)
            .await?
            .into_iter()
            .filter(|c| !withheld(c))
            .collect();
        if columns.is_empty() {
            return Ok(Vec::new());
        }
        // Names from the catalogue, never from input; quoted all the same.
        let quote = |c: &str| format!("\"{}\"", c.replace('"', "\"\""));
        let pairs: Vec<String> = columns
            .iter()
            .map(|c| format!("'{}', t.{}", c.replace('\'', "''"), quote(c)))
            .collect();
        let object = match self {
            Db::Sqlite(_) => format!("json_object({})", pairs.join(", ")),
            Db::Postgres(_) => format!("json_build_object({})::text", pairs.join(", ")),
        };
        let sql = format!(
            "SELECT {object} FROM {} t WHERE t.victim_id = $1",
            quote(table)
        );
        let rows: Vec<String> = with_pool!(self, |p| sqlx::query_scalar(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(victim_id)
        .fetch_all(p)
        .await)?;
        rows.iter()
            .map(|r| {
                let mut v: Value = serde_json::from_str(r).map_err(|e| StoreError::Corrupt {
                    what: "row",
                    id: victim_id,
                    problem: e.to_string(),
                })?;
                if let Value::Object(map) = &mut v {
                    // Sealed values are opened: the export is for the person they are about.
                    for column in crate::SEALED_COLUMNS.iter().filter(|c| c.table == table) {
                        if let Some(value) = map.get_mut(column.column) {
                            *value = self
                                .opened(*column, value)
                                .map_err(|e| e.at("row", victim_id))?;
                        }
                    }
                    // JSON held as text (answers, lists) reads as JSON, not a string.
                    for value in map.values_mut() {
                        if let Value::String(s) = value
                            && (s.starts_with('{') || s.starts_with('['))
                            && let Ok(inner) = serde_json::from_str::<Value>(s)
                        {
                            *value = inner;
                        }
                    }
                }
                Ok(v)
            })
            .collect()
    }

    /// A sealed column's value as the catalogue query gave it (a JSON string, quoted again on
    /// SQLite), opened.
    fn opened(
        &self,
        column: crate::SealedColumn,
        value: &Value,
    ) -> Result<Value, crate::SealError> {
        let Value::String(s) = value else {
            return Ok(value.clone());
        };
        let token = serde_json::from_str::<String>(s).unwrap_or_else(|_| s.clone());
        let plain = self.sealer().open(column, &token)?;
        if column.json {
            serde_json::from_slice(&plain).map_err(|e| crate::SealError::unreadable(&e))
        } else {
            String::from_utf8(plain)
                .map(Value::String)
                .map_err(|_| crate::SealError::Damaged)
        }
    }
}
