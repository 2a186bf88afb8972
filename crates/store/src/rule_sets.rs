//! Rule sets loaded by an administrator, each in force from its effective date, alongside the
//! built-in one. Ingest and the scheduler judge every event by the set in force when it
//! happened; an obligation records the set that made it.

use crate::{Db, StoreError, with_pool, with_writer};
use chrono::{DateTime, NaiveDate, Utc};
use domain::Problem;
use domain::code::{RuleBook, RuleSet};
use serde::Serialize;
use std::sync::{Arc, Mutex};

/// A loaded rule set, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleSetInfo {
    /// `name/version`, as obligations record it.
    pub label: String,
    pub effective_from: NaiveDate,
    pub rules: usize,
    /// Who loaded it; `built in` for the one compiled into victimcare.
    pub loaded_by: String,
    pub loaded_at: Option<DateTime<Utc>>,
}

type Row = (i64, String, NaiveDate, String, DateTime<Utc>);

/// What identifies the loaded sets: their row ids and the moments they were loaded (so that
/// two databases in one process, say in tests, never share a book).
type Key = Vec<(i64, DateTime<Utc>)>;

pub(crate) const KEYS: &str =
    "SELECT rule_set_row_id, loaded_at FROM rule_set ORDER BY rule_set_row_id";
pub(crate) const ALL: &str = "SELECT rule_set_row_id, body, effective_from, loaded_by, loaded_at \
     FROM rule_set ORDER BY rule_set_row_id";

/// Reads a stored set: its text, with the effective date it was loaded with.
fn read(body: &str, effective_from: NaiveDate, row_id: i64) -> Result<RuleSet, StoreError> {
    let mut set = RuleSet::parse(body).map_err(|e| StoreError::Corrupt {
        what: "rule set",
        id: row_id,
        problem: e.to_string(),
    })?;
    set.effective_from = effective_from;
    Ok(set)
}

static LAST: Mutex<Option<(Key, Arc<RuleBook>)>> = Mutex::new(None);

/// The book last built, if the loaded sets are still the ones it was built from. Ingest asks
/// for the book every batch; parsing every set each time would be waste.
fn cached(key: &Key) -> Option<Arc<RuleBook>> {
    let last = LAST
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    last.as_ref()
        .filter(|(seen, _)| seen == key)
        .map(|(_, book)| book.clone())
}

fn build(key: Key, rows: Vec<Row>) -> Result<Arc<RuleBook>, StoreError> {
    let mut sets = vec![RuleSet::builtin_ref().clone().into()];
    for (row_id, body, effective_from, _, _) in rows {
        sets.push(Arc::new(read(&body, effective_from, row_id)?));
    }
    let book = Arc::new(RuleBook::new(sets));
    *LAST
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((key, book.clone()));
    Ok(book)
}

crate::for_each_backend! {

    /// The rule book in force, read on `conn` (inside the caller's transaction).
    pub(crate) async fn rule_book(
        conn: &mut <DB as sqlx::Database>::Connection,
    ) -> Result<Arc<RuleBook>, StoreError> {
        let key: Key = sqlx::query_as(KEYS).fetch_all(&mut *conn).await?;
        if let Some(book) = cached(&key) {
            return Ok(book);
        }
        let rows: Vec<Row> = sqlx::query_as(ALL).fetch_all(&mut *conn).await?;
        build(key, rows)
    }
}

impl Db {
    /// Every rule set the force has used, as ingest sees it: what explains the obligations
    /// they made. A stored set that no longer reads (a bug, or a format changed since) stops
    /// ingest, which must not judge events without it, but not the pages that show
    /// obligations: they fall back to the built-in set, and to the bare facts for any
    /// obligation it cannot explain.
    pub(crate) async fn rule_book(&self) -> Result<Arc<RuleBook>, StoreError> {
        let book = match self {
            Db::Sqlite(s) => sqlite::rule_book(&mut *s.reader.acquire().await?).await,
            Db::Postgres(p) => postgres::rule_book(&mut *p.pool.acquire().await?).await,
        };
        match book {
            Err(StoreError::Corrupt { what, id, .. }) => {
                // Never the parser's message: it may quote the stored text.
                tracing::error!(
                    what,
                    id,
                    "a stored rule set cannot be read; explaining with the built-in set"
                );
                Ok(Arc::new(RuleBook::builtin()))
            }
            other => other,
        }
    }

    /// Checks and stores a rule set, in force from `effective_from` (the file's own date when
    /// not given). A name and version can be loaded once: a correction is a new version.
    pub async fn load_rule_set(
        &self,
        text: &str,
        effective_from: Option<NaiveDate>,
        loaded_by: &str,
        now: DateTime<Utc>,
    ) -> Result<RuleSetInfo, StoreError> {
        let set = RuleSet::parse(text)
            .map_err(|e| StoreError::Refused(vec![Problem::new("rule set", e.to_string())]))?;
        let effective_from = effective_from.unwrap_or(set.effective_from);
        let builtin = RuleSet::builtin_ref();
        if set.id == builtin.id && set.version == builtin.version {
            return Err(StoreError::Refused(vec![Problem::new(
                "version",
                format!(
                    "{} is built in; give the changed rule set a new version",
                    builtin.version_label()
                ),
            )]));
        }
        let result = with_writer!(self, |p| sqlx::query(
            "INSERT INTO rule_set (name, version, effective_from, body, loaded_by, loaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(&set.id)
        .bind(i64::from(set.version))
        .bind(effective_from)
        .bind(text)
        .bind(loaded_by)
        .bind(now)
        .execute(p)
        .await
        .map(|_| ()));
        match result {
            Ok(_) => {}
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(StoreError::Refused(vec![Problem::new(
                    "version",
                    format!(
                        "{} was loaded before; give the changed rule set a new version",
                        set.version_label()
                    ),
                )]));
            }
            Err(e) => return Err(e.into()),
        }
        Ok(RuleSetInfo {
            label: set.version_label().to_owned(),
            effective_from,
            rules: set.rules.len(),
            loaded_by: loaded_by.to_owned(),
            loaded_at: Some(now),
        })
    }

    /// Every rule set, the built-in one first, then as loaded.
    pub async fn rule_sets(&self) -> Result<Vec<RuleSetInfo>, StoreError> {
        let rows: Vec<Row> = with_pool!(self, |p| sqlx::query_as(ALL).fetch_all(p).await)?;
        let builtin = RuleSet::builtin_ref();
        let mut list = vec![RuleSetInfo {
            label: builtin.version_label().to_owned(),
            effective_from: builtin.effective_from,
            rules: builtin.rules.len(),
            loaded_by: "built in".to_owned(),
            loaded_at: None,
        }];
        for (row_id, body, effective_from, loaded_by, loaded_at) in rows {
            let set = read(&body, effective_from, row_id)?;
            list.push(RuleSetInfo {
                label: set.version_label().to_owned(),
                effective_from,
                rules: set.rules.len(),
                loaded_by,
                loaded_at: Some(loaded_at),
            });
        }
        Ok(list)
    }
}
