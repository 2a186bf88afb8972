//! Finding a victim for staff: by crime reference, or through the lookup digests by phone
//! number, email address, or date of birth with a name. A hit carries only enough to pick the
//! right person; the case view shows the rest, after an audited open.

use crate::seal::StoredJson;
use crate::{Db, StoreError, for_each_backend, with_pool, with_writer};
use chrono::Datelike;
use domain::victim::{DateOfBirth, Email, Phone, VictimRecord};
use domain::{CrimeReference, Phase};
use serde::Serialize;

macro_rules! hit_select {
    () => {
        "SELECT c.case_id, c.crime_reference, c.phase, c.offence, v.victim_id, v.victim_ref, \
         v.details FROM crime_case c JOIN case_victim cv ON cv.case_id = c.case_id \
         JOIN victim v ON v.victim_id = cv.victim_id"
    };
}
/// Every block of 65,536 ids of `$table` (see the `lookup_blocks` migration): the indexes
/// searched by digest or collar number are keyed by block first, so a search seeks once in each.
macro_rules! blocks_of {
    ($id:literal, $table:literal) => {
        concat!(
            "WITH RECURSIVE block (n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM block WHERE n < \
             (SELECT COALESCE(MAX(",
            $id,
            "), 0) >> 16 FROM ",
            $table,
            ")) "
        )
    };
}
/// At most this many hits: a search that matches more is too loose to pick from.
pub const MAX_HITS: i64 = 50;

/// One victim of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchHit {
    pub case_id: i64,
    pub crime_reference: String,
    pub phase: Phase,
    pub offence: Option<String>,
    pub victim_id: i64,
    pub victim_ref: String,
    pub name: String,
    pub birth_year: Option<i32>,
    /// The first half of the postcode ("E8"): enough to tell two people apart.
    pub postcode_district: Option<String>,
}

/// What to search by.
#[derive(Debug, Clone)]
pub enum SearchBy {
    Reference(CrimeReference),
    Phone(Phone),
    Email(Email),
    NameAndBirth(String, DateOfBirth),
}

impl SearchBy {
    /// Words for the audit log: the kind of search, never the value searched for.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Reference(_) => "crime reference",
            Self::Phone(_) => "phone number",
            Self::Email(_) => "email address",
            Self::NameAndBirth(..) => "name and date of birth",
        }
    }
}

type HitRow = (i64, String, String, Option<String>, i64, String, StoredJson);

fn hit(row: HitRow, sealer: &crate::Sealer) -> Result<SearchHit, StoreError> {
    let (case_id, crime_reference, phase, offence, victim_id, victim_ref, details) = row;
    let record = sealer.victim(victim_id, &details)?;
    Ok(SearchHit {
        case_id,
        crime_reference,
        phase: Phase::parse(&phase).ok_or_else(|| StoreError::Corrupt {
            what: "case",
            id: case_id,
            problem: format!("unknown phase {phase}"),
        })?,
        offence,
        victim_id,
        victim_ref,
        name: record.name.to_string(),
        birth_year: record.date_of_birth.map(|d| d.date().year()),
        postcode_district: record.address.map(|a| a.postcode.outward().to_owned()),
    })
}

/// Newest case first, then the case's victims in order.
fn newest_first(hits: &mut [SearchHit]) {
    hits.sort_by(|a, b| {
        b.case_id
            .cmp(&a.case_id)
            .then(a.victim_id.cmp(&b.victim_id))
    });
}

/// Every word typed appears in the name, ignoring case.
fn name_matches(name: &str, typed: &str) -> bool {
    let name = name.to_lowercase();
    let mut words = typed.split_whitespace().peekable();
    words.peek().is_some() && words.all(|w| name.contains(&w.to_lowercase()))
}

impl Db {
    pub async fn search_victims(&self, by: &SearchBy) -> Result<Vec<SearchHit>, StoreError> {
        let lookup = self.lookup();
        let rows: Vec<HitRow> = match by {
            SearchBy::Reference(r) => with_pool!(self, |p| sqlx::query_as(SELECT_BY_REFERENCE)
                .bind(r.as_str())
                .bind(MAX_HITS)
                .fetch_all(p)
                .await)?,
            SearchBy::Phone(phone) => {
                return self.victims_by_phone_digest(lookup.phone(phone)).await;
            }
            SearchBy::Email(email) => with_pool!(self, |p| sqlx::query_as(SELECT_BY_EMAIL)
                .bind(lookup.email(email))
                .bind(MAX_HITS)
                .fetch_all(p)
                .await)?,
            // A date of birth is shared by many: read more, then keep the names that match.
            SearchBy::NameAndBirth(_, dob) => with_pool!(self, |p| sqlx::query_as(SELECT_BY_DOB)
                .bind(lookup.date_of_birth(*dob))
                .bind(MAX_HITS * 40)
                .fetch_all(p)
                .await)?,
        };
        let mut hits = rows
            .into_iter()
            .map(|r| hit(r, self.sealer()))
            .collect::<Result<Vec<_>, _>>()?;
        newest_first(&mut hits);
        if let SearchBy::NameAndBirth(name, _) = by {
            hits.retain(|h| name_matches(&h.name, name));
            hits.truncate(MAX_HITS as usize);
        }
        Ok(hits)
    }

    /// Victims whose phone number has this digest (for screen-pop).
    pub async fn victims_by_phone_digest(&self, digest: i64) -> Result<Vec<SearchHit>, StoreError> {
        let rows: Vec<HitRow> = with_pool!(self, |p| sqlx::query_as(SELECT_BY_PHONE)
            .bind(digest)
            .bind(MAX_HITS)
            .fetch_all(p)
            .await)?;
        let mut hits = rows
            .into_iter()
            .map(|r| hit(r, self.sealer()))
            .collect::<Result<Vec<_>, _>>()?;
        newest_first(&mut hits);
        Ok(hits)
    }

    /// The cases whose officer in the case has this collar number, newest first.
    pub async fn cases_of_officer(&self, collar: &str) -> Result<Vec<SearchHit>, StoreError> {
        let rows: Vec<HitRow> = with_pool!(self, |p| sqlx::query_as(SELECT_BY_OFFICER)
            .bind(collar)
            .bind(MAX_HITS * 20)
            .fetch_all(p)
            .await)?;
        let mut hits = rows
            .into_iter()
            .map(|r| hit(r, self.sealer()))
            .collect::<Result<Vec<_>, _>>()?;
        newest_first(&mut hits);
        Ok(hits)
    }

    /// Makes the lookup digests of victims indexed under another key (or none), in batches;
    /// returns how many. Runs at start-up, so a changed key never leaves victims unfindable.
    pub async fn reindex_lookups(&self) -> Result<u64, StoreError> {
        let key_id = self.lookup().id().to_owned();
        let mut done = 0;
        loop {
            let stored: Vec<(i64, StoredJson)> = with_writer!(self, |p| sqlx::query_as(
                "SELECT victim_id, details FROM victim \
                 WHERE lookup_key IS NULL OR lookup_key <> $1 LIMIT 2000"
            )
            .bind(&key_id)
            .fetch_all(p)
            .await)?;
            if stored.is_empty() {
                return Ok(done);
            }
            let rows = stored
                .iter()
                .map(|(id, details)| Ok((*id, self.sealer().victim(*id, details)?)))
                .collect::<Result<Vec<_>, StoreError>>()?;
            done += rows.len() as u64;
            match self {
                Db::Sqlite(s) => sqlite::write_digests(&s.writer, self.lookup(), &rows).await?,
                Db::Postgres(p) => postgres::write_digests(&p.pool, self.lookup(), &rows).await?,
            }
        }
    }
}

const SELECT_BY_REFERENCE: &str = concat!(
    hit_select!(),
    " WHERE c.crime_reference = $1 ORDER BY v.victim_id LIMIT $2"
);
// The victims are found first, in a subquery of their own (its LIMIT keeps the planner from
// folding it into the join), then their cases. Written as one join with ORDER BY and LIMIT,
// a planner without fresh statistics (just after a bulk load) walked every case newest first
// and tested each victim: a quarter of a second instead of a millisecond. The few hits are
// put in order afterwards.
/// Victims found through one digest column, in every block of ids.
macro_rules! select_by_digest {
    ($column:literal) => {
        concat!(
            blocks_of!("victim_id", "victim"),
            hit_select!(),
            " WHERE v.victim_id IN (SELECT victim_id FROM victim \
             WHERE (victim_id >> 16) IN (SELECT n FROM block) AND ",
            $column,
            " = $1 LIMIT $2)"
        )
    };
}
const SELECT_BY_PHONE: &str = select_by_digest!("phone_index");
const SELECT_BY_EMAIL: &str = select_by_digest!("email_index");
const SELECT_BY_DOB: &str = select_by_digest!("dob_index");
const SELECT_BY_OFFICER: &str = concat!(
    blocks_of!("case_id", "crime_case"),
    hit_select!(),
    " WHERE (c.case_id >> 16) IN (SELECT n FROM block) AND c.officer_collar = $1 LIMIT $2"
);

for_each_backend! {
    use crate::LookupKey;

    pub(crate) async fn write_digests(
        pool: &sqlx::Pool<DB>,
        lookup: &LookupKey,
        rows: &[(i64, VictimRecord)],
        ) -> Result<(), StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        for (victim_id, record) in rows {
            let (phone, email, dob) = lookup.digests(record);
            sqlx::query(
                "UPDATE victim SET phone_index = $1, email_index = $2, dob_index = $3, \
                 lookup_key = $4 WHERE victim_id = $5",
            )
            .bind(phone)
            .bind(email)
            .bind(dob)
            .bind(lookup.id())
            .bind(victim_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::name_matches;

    #[test]
    fn names_match_on_every_word_typed() {
        assert!(name_matches("Ada Lovelace-Byron", "ada byron"));
        assert!(!name_matches("Ada Lovelace", "ada jones"));
        assert!(!name_matches("Ada Lovelace", "  "));
    }
}
