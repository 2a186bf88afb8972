//! The bulk writes of ingest and rebuild, one implementation per backend, because the fast way
//! to move ten thousand rows differs: SQLite (in-process) takes multi-row statements with
//! bound values cheaply, while PostgreSQL spends most of such a statement planning its VALUES
//! list. There, plain appends go through `COPY` and upserts bind one array per column and
//! `UNNEST` them, so each write is one short statement whatever the batch size.

use crate::ingest::{Latest, Owed};
use crate::seal::{CASE_STATE, VICTIM_DETAILS};
use crate::{Sealer, StoreError};
use chrono::{DateTime, Utc};
use domain::victim::VictimRef;
use domain::{CaseState, Event};

/// A new event with the case it belongs to and its payload, sealed.
pub(crate) type NewEvent<'a> = (i64, &'a Event, &'a str);

/// A victim's latest record as it is written: sealed, with its search digests.
pub(crate) struct VictimRow<'a> {
    pub(crate) victim_ref: &'a VictimRef,
    pub(crate) kind: &'static str,
    /// When the record was true (its event's time): an older record never replaces a newer.
    pub(crate) as_of: DateTime<Utc>,
    pub(crate) details: String,
    pub(crate) digests: crate::lookup::Digests,
}

/// Each victim's record sealed, with its search digests. Pure work on the processor, so
/// ingest does it before it waits for the writer.
pub(crate) fn victim_rows<'a>(
    records: &[(&'a VictimRef, Latest<'a>)],
    lookup: &crate::LookupKey,
    sealer: &Sealer,
) -> Vec<VictimRow<'a>> {
    records
        .iter()
        .map(|(victim_ref, (as_of, _, record))| VictimRow {
            victim_ref,
            kind: record.kind.as_str(),
            as_of: *as_of,
            details: sealer.seal_json_text(VICTIM_DETAILS, *record),
            digests: lookup.digests(record),
        })
        .collect()
}

pub(crate) trait Bulk: sqlx::Database {
    /// `(source, source event id, event_id)` of the events among `events` already stored.
    async fn known_events(
        conn: &mut Self::Connection,
        events: &[&Event],
    ) -> Result<Vec<(String, String, i64)>, StoreError>;

    /// Appends events that are known to be new.
    async fn append_events(
        conn: &mut Self::Connection,
        events: &[NewEvent<'_>],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Writes projections back to their case rows, creating the rows of new cases.
    async fn upsert_states(
        conn: &mut Self::Connection,
        states: &[(i64, CaseState)],
        sealer: &Sealer,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Writes each victim's latest record (with its lookup digests, made with the key named
    /// `lookup_key`), unless what is stored is newer. Answers `(victim_id, victim_ref)` of
    /// every victim it wrote.
    async fn upsert_victims(
        conn: &mut Self::Connection,
        victims: &[VictimRow<'_>],
        lookup_key: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<(i64, String)>, StoreError>;

    /// Links victims (by reference) to cases; links already there are left alone.
    async fn link_victims(
        conn: &mut Self::Connection,
        links: &[(i64, &str)],
    ) -> Result<(), StoreError>;

    /// Obligations as their statements will carry them: made away from the writer (ingest
    /// makes them on the engine's task while the batch is written), then sent by
    /// [`Bulk::write_obligations`].
    type ObligationRows: Send + 'static;

    fn obligation_rows(owed: &[Owed], now: DateTime<Utc>) -> Self::ObligationRows;

    /// Writes them, having checked first that each is owed to a victim of its case (neither
    /// table has a foreign key for it); if one is not, writes none.
    async fn write_obligations(
        conn: &mut Self::Connection,
        rows: Self::ObligationRows,
    ) -> Result<(), StoreError>;

    async fn insert_obligations(
        conn: &mut Self::Connection,
        owed: &[Owed],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        Self::write_obligations(conn, Self::obligation_rows(owed, now)).await
    }
}

/// The (case, victim) pairs `owed` is owed by, each once: each must be a link of
/// `case_victim`, which `write_obligations` checks before writing any.
fn linked_pairs(owed: &[Owed]) -> Vec<(i64, i64)> {
    let mut pairs: Vec<(i64, i64)> = owed.iter().map(|o| (o.case_id, o.victim_id)).collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// What is stored of an obligation's explanation: nothing for one an event rule made (see
/// [`Owed::words_stored`]; it is written again when read, by
/// [`crate::obligations::explained`]). At more than one obligation per event, its hundred
/// bytes of words were a quarter of all that ingest wrote.
fn stored_explanation(o: &Owed) -> &str {
    if o.words_stored {
        &o.obligation.explanation
    } else {
        ""
    }
}

/// The reasons for an obligation's victim's enhanced rights, as a JSON list of names: `[]` for
/// standard rights, most of them.
fn reasons(o: &Owed) -> String {
    if o.obligation.enhanced_reasons.is_empty() {
        "[]".to_owned()
    } else {
        json(&o.obligation.enhanced_reasons)
    }
}

/// The event that set the case facts the victim's rights were judged on, by source and id
/// (when it happened is read from the event).
fn facts_set_by(o: &Owed) -> (Option<&str>, Option<&str>) {
    match &o.facts_set_by {
        Some(f) => (Some(f.source.as_str()), Some(f.event.as_str())),
        None => (None, None),
    }
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    // Serialising our own types to a string cannot fail: they have string keys only.
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

mod sqlite {
    use super::*;
    use crate::SQLITE_BINDS as BINDS;
    use crate::cases::case_row_values;
    use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
    use std::collections::HashMap;
    use std::sync::Arc;

    impl Bulk for Sqlite {
        async fn known_events(
            conn: &mut SqliteConnection,
            events: &[&Event],
        ) -> Result<Vec<(String, String, i64)>, StoreError> {
            let mut known = Vec::new();
            for chunk in events.chunks(BINDS / 2) {
                // A scalar subquery per key: answered from the unique index, where a join or
                // IN may become a scan of the whole (ever growing) table.
                let mut qb = QueryBuilder::<Sqlite>::new(
                    "SELECT k.column1, k.column2, k.known FROM (SELECT l.column1, l.column2, \
                     (SELECT e.event_id FROM case_event e WHERE e.source = l.column1 \
                      AND e.source_event_id = l.column2) AS known FROM (",
                );
                qb.push_values(chunk, |mut row, e| {
                    row.push_bind(e.source.as_str()).push_bind(e.id.as_str());
                });
                qb.push(") AS l) AS k WHERE k.known IS NOT NULL");
                known.extend(qb.build_query_as().fetch_all(&mut *conn).await?);
            }
            Ok(known)
        }

        async fn append_events(
            conn: &mut SqliteConnection,
            events: &[NewEvent<'_>],
            now: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            for chunk in events.chunks(BINDS / 8) {
                let mut qb = QueryBuilder::<Sqlite>::new(
                    "INSERT INTO case_event (case_id, source, source_event_id, event_type, \
                     occurred_at, received_at, ingested_at, payload) ",
                );
                qb.push_values(chunk, |mut row, (case_id, e, payload)| {
                    row.push_bind(*case_id)
                        .push_bind(e.source.as_str())
                        .push_bind(e.id.as_str())
                        .push_bind(e.event_type().as_str())
                        .push_bind(e.occurred_at)
                        .push_bind(e.received_at)
                        .push_bind(now)
                        .push_bind(*payload);
                });
                qb.build().execute(&mut *conn).await?;
            }
            Ok(())
        }

        async fn upsert_states(
            conn: &mut SqliteConnection,
            states: &[(i64, CaseState)],
            sealer: &Sealer,
            now: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            for chunk in states.chunks(BINDS / 18) {
                let mut qb = QueryBuilder::<Sqlite>::new(
                    "INSERT INTO crime_case (case_id, crime_reference, offence, home_office_code, \
                     domestic_abuse, hate_crime, borough, reported_at, phase, phase_since, \
                     outcome, state, event_count, last_occurred_at, created_at, updated_at, \
                     officer_collar, attended_at) ",
                );
                qb.push_values(chunk, |mut row, (case_id, state)| {
                    let v = case_row_values(state);
                    row.push_bind(*case_id)
                        .push_bind(state.crime_reference.as_str())
                        .push_bind(v.offence)
                        .push_bind(v.home_office_code)
                        .push_bind(state.flags.domestic_abuse)
                        .push_bind(state.flags.hate_crime)
                        .push_bind(state.borough.as_deref())
                        .push_bind(state.reported_at)
                        .push_bind(state.phase.as_str())
                        .push_bind(state.phase_since)
                        .push_bind(v.outcome)
                        .push_bind(sealer.seal_json(CASE_STATE, state))
                        .push_bind(crate::to_i64(state.event_count))
                        .push_bind(state.last_occurred_at)
                        .push_bind(now)
                        .push_bind(now)
                        .push_bind(officer_collar(state))
                        .push_bind(state.attended.as_ref().map(|a| a.at));
                });
                qb.push(super::CASE_CONFLICT);
                qb.build().execute(&mut *conn).await?;
            }
            Ok(())
        }

        async fn upsert_victims(
            conn: &mut SqliteConnection,
            victims: &[VictimRow<'_>],
            lookup_key: &str,
            now: DateTime<Utc>,
        ) -> Result<Vec<(i64, String)>, StoreError> {
            let mut written = Vec::with_capacity(victims.len());
            for chunk in victims.chunks(BINDS / 10) {
                let mut qb = QueryBuilder::<Sqlite>::new(
                    "INSERT INTO victim (victim_ref, kind, details, details_as_of, created_at, \
                     updated_at, phone_index, email_index, dob_index, lookup_key) ",
                );
                qb.push_values(chunk, |mut row, v| {
                    let (phone, email, dob) = v.digests;
                    row.push_bind(v.victim_ref.as_str())
                        .push_bind(v.kind)
                        .push_bind(v.details.as_str())
                        .push_bind(v.as_of)
                        .push_bind(now)
                        .push_bind(now)
                        .push_bind(phone)
                        .push_bind(email)
                        .push_bind(dob)
                        .push_bind(lookup_key);
                });
                qb.push(super::VICTIM_CONFLICT);
                qb.push(" RETURNING victim_id, victim_ref");
                written.extend(qb.build_query_as().fetch_all(&mut *conn).await?);
            }
            Ok(written)
        }

        async fn link_victims(
            conn: &mut SqliteConnection,
            links: &[(i64, &str)],
        ) -> Result<(), StoreError> {
            for chunk in links.chunks(BINDS / 2) {
                // A scalar subquery, not a join, so that the victim is found through its index.
                let mut qb = QueryBuilder::<Sqlite>::new(
                    "INSERT INTO case_victim (case_id, victim_id) SELECT l.column1, \
                     (SELECT v.victim_id FROM victim v WHERE v.victim_ref = l.column2) FROM (",
                );
                qb.push_values(chunk, |mut row, (case_id, victim_ref)| {
                    row.push_bind(*case_id).push_bind(*victim_ref);
                });
                qb.push(") AS l WHERE true ON CONFLICT (case_id, victim_id) DO NOTHING");
                qb.build().execute(&mut *conn).await?;
            }
            Ok(())
        }

        /// One multi-row statement after another, and the pairs to check first.
        type ObligationRows = ObligationInserts;

        fn obligation_rows(owed: &[Owed], now: DateTime<Utc>) -> ObligationInserts {
            let mut statements = Vec::new();
            let mut shared = Shared::default();
            // What every obligation of a batch shares (the rule set, the calendar, the time
            // made, no words for an event rule's) is bound once per statement rather than once
            // per row. The rows come from a VALUES list alone, which SQLite reads row by row
            // into the table: joined with the shared values instead, it first copied every row
            // into a temporary table.
            let runs = owed.chunk_by(|a, b| {
                a.obligation.rule_set == b.obligation.rule_set
                    && a.obligation.calendar == b.obligation.calendar
                    && a.words_stored == b.words_stored
            });
            for run in runs {
                let words = run[0].words_stored;
                let own = if words { OWN + 1 } else { OWN };
                for chunk in run.chunks((BINDS - 3) / own) {
                    let first = &chunk[0].obligation;
                    let mut qb = QueryBuilder::<Sqlite>::new(
                        "INSERT INTO obligation (rule_set, calendar, status, created_at, \
                         explanation, case_id, victim_id, rule_id, code_right, source, \
                         source_event_id, due_on, enhanced, reasons, facts_source, facts_event) \
                         SELECT ",
                    );
                    qb.push_bind(first.rule_set.as_str())
                        .push(", ")
                        .push_bind(first.calendar.as_str())
                        .push(", 'open', ")
                        .push_bind(now)
                        .push(if words { ", o.column12" } else { ", ''" })
                        .push(
                            ", o.column1, o.column2, o.column3, o.column4, o.column5, o.column6, \
                             o.column7, o.column8, o.column9, o.column10, o.column11 FROM (",
                        );
                    qb.push_values(chunk, |mut row, o| {
                        let ob = &o.obligation;
                        let (facts_source, facts_event) = super::facts_set_by(o);
                        let reasons = if ob.enhanced_reasons.is_empty() {
                            shared.text("[]")
                        } else {
                            shared.owned(super::reasons(o))
                        };
                        row.push_bind(o.case_id)
                            .push_bind(o.victim_id)
                            .push_bind(shared.text(&ob.rule))
                            .push_bind(i16::from(ob.right))
                            .push_bind(shared.text(ob.source.as_deref().unwrap_or_default()))
                            .push_bind(ob.event.as_str())
                            .push_bind(shared.date(ob.due))
                            .push_bind(ob.enhanced)
                            .push_bind(reasons)
                            .push_bind(facts_source.map(|s| shared.text(s)))
                            .push_bind(facts_event);
                        if words {
                            row.push_bind(ob.explanation.as_str());
                        }
                    });
                    qb.push(") AS o");
                    statements.push(qb);
                }
            }
            ObligationInserts {
                pairs: linked_pairs(owed),
                statements,
            }
        }

        async fn write_obligations(
            conn: &mut SqliteConnection,
            inserts: ObligationInserts,
        ) -> Result<(), StoreError> {
            let ObligationInserts { pairs, statements } = inserts;
            // The table has no foreign key to case_victim (it was a tenth of this write): every
            // victim is checked against its case's links here, a statement's worth at a time.
            let mut unlinked: i64 = 0;
            for chunk in pairs.chunks(BINDS / 2) {
                let mut qb = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM (");
                qb.push_values(chunk, |mut row, (case_id, victim_id)| {
                    row.push_bind(*case_id).push_bind(*victim_id);
                });
                qb.push(
                    ") AS o WHERE NOT EXISTS (SELECT 1 FROM case_victim l \
                     WHERE l.case_id = o.column1 AND l.victim_id = o.column2)",
                );
                let count: i64 = qb.build_query_scalar().fetch_one(&mut *conn).await?;
                unlinked += count;
            }
            if unlinked > 0 {
                return Err(StoreError::UnlinkedObligations { count: unlinked });
            }
            for mut qb in statements {
                qb.build().execute(&mut *conn).await?;
            }
            Ok(())
        }
    }

    /// A batch of obligations as multi-row statements, with the (case, victim) pairs they are
    /// owed by, which must be linked.
    pub(crate) struct ObligationInserts {
        pairs: Vec<(i64, i64)>,
        statements: Vec<QueryBuilder<Sqlite>>,
    }

    /// The values each obligation row binds of its own, besides any words.
    const OWN: usize = 11;

    /// Texts that many obligations of a batch repeat (a rule, a sending system, a due date,
    /// a list of reasons), each made once and shared by every row that binds it. A text
    /// bound otherwise gets an allocation of its own for each row, which the writer's thread
    /// then frees: ten a row, on the thread every ingest waits for.
    #[derive(Default)]
    struct Shared<'a> {
        texts: HashMap<&'a str, Arc<str>>,
        owned: HashMap<String, Arc<str>>,
        dates: HashMap<chrono::NaiveDate, Arc<str>>,
    }

    impl<'a> Shared<'a> {
        fn text(&mut self, text: &'a str) -> Arc<str> {
            self.texts
                .entry(text)
                .or_insert_with(|| Arc::from(text))
                .clone()
        }

        fn owned(&mut self, text: String) -> Arc<str> {
            match self.owned.get(&text) {
                Some(shared) => shared.clone(),
                None => {
                    let shared: Arc<str> = Arc::from(text.as_str());
                    self.owned.insert(text, shared.clone());
                    shared
                }
            }
        }

        fn date(&mut self, date: chrono::NaiveDate) -> Arc<str> {
            self.dates
                .entry(date)
                .or_insert_with(|| Arc::from(iso_date(date)))
                .clone()
        }
    }

    /// A date as sqlx writes one for SQLite (`YYYY-MM-DD`), without chrono's pattern
    /// formatter, which reads its pattern again for every date: a million of them an hour.
    fn iso_date(d: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let year = d.year();
        if !(0..=9999).contains(&year) {
            return d.format("%F").to_string();
        }
        let mut out = String::with_capacity(10);
        let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
        let year = year.unsigned_abs();
        for n in [year / 1000, year / 100, year / 10, year] {
            out.push(digit(n));
        }
        out.push('-');
        out.push(digit(d.month() / 10));
        out.push(digit(d.month()));
        out.push('-');
        out.push(digit(d.day() / 10));
        out.push(digit(d.day()));
        out
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn a_date_is_written_as_sqlx_writes_it() {
            let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let mut d = day(1899, 1, 1);
            while d <= day(2101, 12, 31) {
                assert_eq!(super::iso_date(d), d.format("%F").to_string());
                d = d.succ_opt().unwrap();
            }
            let edges = [
                day(0, 1, 1),
                day(9, 9, 9),
                day(999, 12, 31),
                day(9999, 12, 31),
            ];
            for d in edges.into_iter().chain([day(-1, 1, 1), day(10000, 1, 1)]) {
                assert_eq!(super::iso_date(d), d.format("%F").to_string());
            }
            for d in [chrono::NaiveDate::MIN, chrono::NaiveDate::MAX] {
                assert_eq!(super::iso_date(d), d.format("%F").to_string());
            }
        }
    }
}

const CASE_CONFLICT: &str = " ON CONFLICT (case_id) DO UPDATE SET offence = excluded.offence, \
     home_office_code = excluded.home_office_code, \
     domestic_abuse = excluded.domestic_abuse, hate_crime = excluded.hate_crime, \
     borough = excluded.borough, reported_at = excluded.reported_at, \
     phase = excluded.phase, phase_since = excluded.phase_since, \
     outcome = excluded.outcome, state = excluded.state, \
     event_count = excluded.event_count, last_occurred_at = excluded.last_occurred_at, \
     updated_at = excluded.updated_at, officer_collar = excluded.officer_collar, \
     attended_at = excluded.attended_at";

/// The collar number of the case's officer: an officer in the case's own cases are found by it.
fn officer_collar(state: &CaseState) -> Option<&str> {
    state
        .officer
        .as_ref()
        .and_then(|o| o.collar_number.as_ref())
        .map(|c| c.as_str())
}

const VICTIM_CONFLICT: &str = " ON CONFLICT (victim_ref) DO UPDATE SET kind = excluded.kind, \
     details = excluded.details, details_as_of = excluded.details_as_of, \
     updated_at = excluded.updated_at, phone_index = excluded.phone_index, \
     email_index = excluded.email_index, dob_index = excluded.dob_index, \
     lookup_key = excluded.lookup_key \
     WHERE excluded.details_as_of >= victim.details_as_of";

const OBLIGATION_COLUMNS: &str = "obligation (case_id, victim_id, rule_id, code_right, \
     source, source_event_id, due_on, enhanced, reasons, explanation, rule_set, calendar, \
     status, created_at, facts_source, facts_event)";

mod postgres {
    use super::*;
    use crate::cases::case_row_values;
    use sqlx::{PgConnection, Postgres};
    use std::io::Write;

    /// A `COPY … FROM STDIN` body in PostgreSQL's text format: tab-separated columns,
    /// one row per line, backslash escapes.
    #[derive(Default)]
    pub(crate) struct CopyRows(Vec<u8>);

    /// A batch of obligations as `COPY` rows, with the (case, victim) pairs they are owed by,
    /// which must be linked.
    pub(crate) struct ObligationCopy {
        pairs: Vec<(i64, i64)>,
        rows: CopyRows,
    }

    impl CopyRows {
        fn with_capacity(bytes: usize) -> Self {
            Self(Vec::with_capacity(bytes))
        }

        fn text(&mut self, s: &str) -> &mut Self {
            for &b in s.as_bytes() {
                match b {
                    b'\\' => self.0.extend_from_slice(b"\\\\"),
                    b'\t' => self.0.extend_from_slice(b"\\t"),
                    b'\n' => self.0.extend_from_slice(b"\\n"),
                    b'\r' => self.0.extend_from_slice(b"\\r"),
                    _ => self.0.push(b),
                }
            }
            self.0.push(b'\t');
            self
        }

        fn display(&mut self, v: impl std::fmt::Display) -> &mut Self {
            // Numbers, dates and times: nothing in them needs escaping.
            let _ = write!(self.0, "{v}\t");
            self
        }

        fn null(&mut self) -> &mut Self {
            self.0.extend_from_slice(b"\\N\t");
            self
        }

        fn time(&mut self, t: DateTime<Utc>) -> &mut Self {
            let _ = write!(
                self.0,
                "{}\t",
                t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            );
            self
        }

        fn end_row(&mut self) {
            // The last column's tab becomes the end of the line.
            if let Some(last) = self.0.last_mut() {
                *last = b'\n';
            }
        }

        async fn send(self, conn: &mut PgConnection, statement: &str) -> Result<(), StoreError> {
            let mut copy = conn.copy_in_raw(statement).await?;
            copy.send(self.0).await?;
            copy.finish().await?;
            Ok(())
        }
    }

    impl Bulk for Postgres {
        async fn known_events(
            conn: &mut PgConnection,
            events: &[&Event],
        ) -> Result<Vec<(String, String, i64)>, StoreError> {
            let sources: Vec<&str> = events.iter().map(|e| e.source.as_str()).collect();
            let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
            // A scalar subquery per key, answered from the unique index.
            Ok(sqlx::query_as(
                "SELECT k.source, k.id, k.known FROM (SELECT l.source, l.id, \
                 (SELECT e.event_id FROM case_event e WHERE e.source = l.source \
                  AND e.source_event_id = l.id) AS known \
                 FROM UNNEST($1::text[], $2::text[]) AS l (source, id)) AS k \
                 WHERE k.known IS NOT NULL",
            )
            .bind(sources)
            .bind(ids)
            .fetch_all(&mut *conn)
            .await?)
        }

        async fn append_events(
            conn: &mut PgConnection,
            events: &[NewEvent<'_>],
            now: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            let mut rows = CopyRows::with_capacity(events.len() * 400);
            for (case_id, e, payload) in events {
                rows.display(case_id)
                    .text(e.source.as_str())
                    .text(e.id.as_str())
                    .text(e.event_type().as_str())
                    .time(e.occurred_at)
                    .time(e.received_at)
                    .time(now)
                    .text(payload)
                    .end_row();
            }
            rows.send(
                conn,
                "COPY case_event (case_id, source, source_event_id, event_type, occurred_at, \
                 received_at, ingested_at, payload) FROM STDIN",
            )
            .await
        }

        async fn upsert_states(
            conn: &mut PgConnection,
            states: &[(i64, CaseState)],
            sealer: &Sealer,
            now: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            let n = states.len();
            let mut case_id = Vec::with_capacity(n);
            let mut reference = Vec::with_capacity(n);
            let mut offence = Vec::with_capacity(n);
            let mut home_office_code = Vec::with_capacity(n);
            let mut domestic_abuse = Vec::with_capacity(n);
            let mut hate_crime = Vec::with_capacity(n);
            let mut borough = Vec::with_capacity(n);
            let mut reported_at = Vec::with_capacity(n);
            let mut phase = Vec::with_capacity(n);
            let mut phase_since = Vec::with_capacity(n);
            let mut outcome = Vec::with_capacity(n);
            let mut state_json = Vec::with_capacity(n);
            let mut event_count = Vec::with_capacity(n);
            let mut last_occurred_at = Vec::with_capacity(n);
            let mut collar = Vec::with_capacity(n);
            let mut attended = Vec::with_capacity(n);
            for (id, state) in states {
                let v = case_row_values(state);
                case_id.push(*id);
                reference.push(state.crime_reference.as_str());
                offence.push(v.offence);
                home_office_code.push(v.home_office_code);
                domestic_abuse.push(state.flags.domestic_abuse);
                hate_crime.push(state.flags.hate_crime);
                borough.push(state.borough.as_deref());
                reported_at.push(state.reported_at);
                phase.push(state.phase.as_str());
                phase_since.push(state.phase_since);
                outcome.push(v.outcome);
                state_json.push(sealer.seal_json_text(CASE_STATE, state));
                event_count.push(crate::to_i64(state.event_count));
                last_occurred_at.push(state.last_occurred_at);
                collar.push(officer_collar(state));
                attended.push(state.attended.as_ref().map(|a| a.at));
            }
            let sql = format!(
                "INSERT INTO crime_case (case_id, crime_reference, offence, home_office_code, \
                 domestic_abuse, hate_crime, borough, reported_at, phase, phase_since, outcome, \
                 state, event_count, last_occurred_at, created_at, updated_at, officer_collar, \
                 attended_at) \
                 SELECT c.case_id, c.reference, c.offence, c.code, c.da, c.hate, c.borough, \
                 c.reported_at, c.phase, c.since, c.outcome, c.state::jsonb, c.events, c.last, \
                 $15, $15, c.collar, c.attended FROM UNNEST($1::bigint[], $2::text[], \
                 $3::text[], $4::text[], $5::boolean[], $6::boolean[], $7::text[], \
                 $8::timestamptz[], $9::text[], $10::timestamptz[], $11::text[], $12::text[], \
                 $13::bigint[], $14::timestamptz[], $16::text[], $17::timestamptz[]) AS c \
                 (case_id, reference, offence, code, da, hate, borough, reported_at, phase, since, \
                 outcome, state, events, last, collar, attended){CASE_CONFLICT}"
            );
            // Built from constants only.
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(case_id)
                .bind(reference)
                .bind(offence)
                .bind(home_office_code)
                .bind(domestic_abuse)
                .bind(hate_crime)
                .bind(borough)
                .bind(reported_at)
                .bind(phase)
                .bind(phase_since)
                .bind(outcome)
                .bind(state_json)
                .bind(event_count)
                .bind(last_occurred_at)
                .bind(now)
                .bind(collar)
                .bind(attended)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        async fn upsert_victims(
            conn: &mut PgConnection,
            victims: &[VictimRow<'_>],
            lookup_key: &str,
            now: DateTime<Utc>,
        ) -> Result<Vec<(i64, String)>, StoreError> {
            let refs: Vec<&str> = victims.iter().map(|v| v.victim_ref.as_str()).collect();
            let kinds: Vec<&str> = victims.iter().map(|v| v.kind).collect();
            let details: Vec<&str> = victims.iter().map(|v| v.details.as_str()).collect();
            let as_of: Vec<DateTime<Utc>> = victims.iter().map(|v| v.as_of).collect();
            let (mut phones, mut emails, mut dobs) = (Vec::new(), Vec::new(), Vec::new());
            for v in victims {
                let (phone, email, dob) = v.digests;
                phones.push(phone);
                emails.push(email);
                dobs.push(dob);
            }
            let sql = format!(
                "INSERT INTO victim (victim_ref, kind, details, details_as_of, created_at, \
                 updated_at, phone_index, email_index, dob_index, lookup_key) \
                 SELECT v.r, v.kind, v.details::jsonb, v.as_of, $5, $5, v.phone, v.email, \
                 v.dob, $9 \
                 FROM UNNEST($1::text[], $2::text[], $3::text[], $4::timestamptz[], \
                 $6::bigint[], $7::bigint[], $8::bigint[]) \
                 AS v (r, kind, details, as_of, phone, email, dob){VICTIM_CONFLICT} \
                 RETURNING victim_id, victim_ref"
            );
            // Built from constants only.
            Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(refs)
                .bind(kinds)
                .bind(details)
                .bind(as_of)
                .bind(now)
                .bind(phones)
                .bind(emails)
                .bind(dobs)
                .bind(lookup_key)
                .fetch_all(&mut *conn)
                .await?)
        }

        async fn link_victims(
            conn: &mut PgConnection,
            links: &[(i64, &str)],
        ) -> Result<(), StoreError> {
            let cases: Vec<i64> = links.iter().map(|l| l.0).collect();
            let refs: Vec<&str> = links.iter().map(|l| l.1).collect();
            sqlx::query(
                "INSERT INTO case_victim (case_id, victim_id) SELECT l.case_id, \
                 (SELECT v.victim_id FROM victim v WHERE v.victim_ref = l.r) \
                 FROM UNNEST($1::bigint[], $2::text[]) AS l (case_id, r) \
                 ON CONFLICT (case_id, victim_id) DO NOTHING",
            )
            .bind(cases)
            .bind(refs)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        type ObligationRows = ObligationCopy;

        fn obligation_rows(owed: &[Owed], now: DateTime<Utc>) -> ObligationCopy {
            let pairs = linked_pairs(owed);
            let mut rows = CopyRows::with_capacity(owed.len() * 300);
            for o in owed {
                let ob = &o.obligation;
                rows.display(o.case_id)
                    .display(o.victim_id)
                    .text(&ob.rule)
                    .display(ob.right)
                    .text(ob.source.as_deref().unwrap_or_default())
                    .text(&ob.event)
                    .display(ob.due)
                    .text(if ob.enhanced { "t" } else { "f" })
                    .text(&reasons(o))
                    .text(stored_explanation(o))
                    .text(&ob.rule_set)
                    .text(&ob.calendar)
                    .text("open")
                    .time(now);
                match facts_set_by(o) {
                    (Some(source), Some(event)) => rows.text(source).text(event),
                    _ => rows.null().null(),
                };
                rows.end_row();
            }
            ObligationCopy { pairs, rows }
        }

        async fn write_obligations(
            conn: &mut PgConnection,
            copy: ObligationCopy,
        ) -> Result<(), StoreError> {
            let ObligationCopy { pairs, rows } = copy;
            if pairs.is_empty() {
                return Ok(());
            }
            // The table has no foreign key to case_victim (it cost two fifths of this write):
            // every victim is checked against its case's links here, at once, instead.
            let (cases, victims): (Vec<i64>, Vec<i64>) = pairs.into_iter().unzip();
            let unlinked: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM UNNEST($1::bigint[], $2::bigint[]) AS o (case_id, victim_id) \
                 WHERE NOT EXISTS (SELECT 1 FROM case_victim l \
                   WHERE l.case_id = o.case_id AND l.victim_id = o.victim_id)",
            )
            .bind(cases)
            .bind(victims)
            .fetch_one(&mut *conn)
            .await?;
            if unlinked > 0 {
                return Err(StoreError::UnlinkedObligations { count: unlinked });
            }
            rows.send(conn, &format!("COPY {OBLIGATION_COLUMNS} FROM STDIN"))
                .await
        }
    }
}

#[cfg(all(test, feature = "scratch"))]
mod tests {
    use super::Bulk;
    use crate::ingest::Owed;
    use crate::scratch::ScratchDb;
    use crate::{Db, StoreError};
    use chrono::Utc;

    /// An obligation owed by `victim_id` of case `case_id`.
    fn owed(case_id: i64, victim_id: i64) -> Owed {
        Owed {
            case_id,
            victim_id,
            facts_set_by: None,
            obligation: domain::code::Obligation {
                rule: "P12-arrest".to_owned(),
                right: 6,
                source: Some("cris".to_owned()),
                event: "e1".to_owned(),
                due: chrono::NaiveDate::from_ymd_opt(2026, 3, 9).unwrap(),
                enhanced: false,
                enhanced_reasons: Vec::new(),
                explanation: String::new(),
                rule_set: "vcop-2021/1".to_owned(),
                calendar: "ew-2026.1".to_owned(),
            },
            words_stored: false,
        }
    }

    /// Case 1 with its one victim (id 1), as ingest stores them.
    async fn one_case(db: &Db) {
        let event = serde_json::json!({"source": "cris", "id": "e1", "type": "reported",
            "crime_reference": "1000001/26", "occurred_at": "2026-03-02T10:00:00Z",
            "payload": {"offence": "robbery", "borough": "Lambeth",
                        "officer": {"name": "DC Moss"},
                        "victims": [{"ref": "V1", "kind": "person", "name": "Sam Okafor"}]}});
        let event = domain::Event::parse(&event.to_string(), Utc::now()).unwrap();
        db.ingest(&[event], Utc::now()).await.unwrap();
    }

    /// Neither table has a foreign key from obligation to case_victim: an obligation for
    /// someone who is not a victim of the case is refused, with the rest of its batch.
    async fn owed_only_to_a_victim_of_the_case<DB: Bulk>(db: &Db, pool: &sqlx::Pool<DB>) {
        one_case(db).await;
        let before = db.count_obligations().await.unwrap();
        let mut conn = pool.acquire().await.unwrap();
        let wrong = [owed(1, 1), owed(1, 2), owed(2, 1)];
        let refused = DB::insert_obligations(&mut *conn, &wrong, Utc::now()).await;
        assert!(
            matches!(refused, Err(StoreError::UnlinkedObligations { count: 2 })),
            "{refused:?}"
        );
        assert_eq!(db.count_obligations().await.unwrap(), before);
        DB::insert_obligations(&mut *conn, &[owed(1, 1)], Utc::now())
            .await
            .unwrap();
        assert_eq!(db.count_obligations().await.unwrap(), before + 1);
    }

    /// Dates either side of week boundaries, before 1970 too, in 2026 and far ahead.
    const WEEK_EDGES: [&str; 10] = [
        "1900-01-01",
        "1969-12-24",
        "1969-12-25",
        "1969-12-26",
        "1970-01-01",
        "1970-01-07",
        "1970-01-08",
        "2026-03-04",
        "2026-03-05",
        "2100-12-31",
    ];

    /// A query for the week `due_week_sql` (a database's index expression) puts a date in.
    fn week_query(due_week_sql: &str) -> String {
        format!("SELECT CAST({due_week_sql} AS BIGINT) FROM (SELECT $1 AS due_on) AS d")
    }

    fn edges() -> impl Iterator<Item = chrono::NaiveDate> {
        WEEK_EDGES.iter().map(|d| d.parse().unwrap())
    }

    // The week each database's index puts an obligation in is the week the breach pass and
    // the due list ask for (`obligations::due_week`).

    #[tokio::test]
    async fn sqlite_counts_weeks_as_the_scheduler_does() {
        let t = ScratchDb::sqlite().await.unwrap();
        let Db::Sqlite(sqlite) = &t.db else {
            unreachable!()
        };
        let sql = week_query(crate::obligations::sqlite::DUE_WEEK);
        for day in edges() {
            let week: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
                .bind(day)
                .fetch_one(&sqlite.reader)
                .await
                .unwrap();
            assert_eq!(week, crate::obligations::due_week(day), "{day}");
        }
    }

    #[tokio::test]
    async fn postgres_counts_weeks_as_the_scheduler_does() {
        let Some(t) = ScratchDb::postgres().await else {
            return;
        };
        let Db::Postgres(pg) = &t.db else {
            unreachable!()
        };
        let sql = week_query(crate::obligations::postgres::DUE_WEEK);
        for day in edges() {
            let week: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
                .bind(day)
                .fetch_one(&pg.pool)
                .await
                .unwrap();
            assert_eq!(week, crate::obligations::due_week(day), "{day}");
        }
        t.cleanup().await;
    }

    #[tokio::test]
    async fn sqlite_obligations_are_owed_only_to_victims_of_their_case() {
        let t = ScratchDb::sqlite().await.unwrap();
        let Db::Sqlite(sqlite) = &t.db else {
            unreachable!()
        };
        owed_only_to_a_victim_of_the_case(&t.db, &sqlite.writer).await;
    }

    #[tokio::test]
    async fn postgres_obligations_are_owed_only_to_victims_of_their_case() {
        let Some(t) = ScratchDb::postgres().await else {
            return;
        };
        let Db::Postgres(pg) = &t.db else {
            unreachable!()
        };
        owed_only_to_a_victim_of_the_case(&t.db, &pg.pool).await;
        t.cleanup().await;
    }
}
