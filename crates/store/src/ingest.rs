//! Ingest: a batch of validated events goes in as one transaction. New events are appended,
//! resent ones are counted and ignored, and every case they touch has its projection brought
//! up to date before the transaction commits, so readers never see events without their effect.

use crate::{Db, StoreError, for_each_backend};
use chrono::{DateTime, Utc};
use domain::code::EngineEvent;
use domain::enhanced::VictimFactors;
use domain::projection::FactsSource;
use domain::victim::{VictimRecord, VictimRef};
use domain::{CaseState, Event};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct IngestOutcome {
    /// Events stored for the first time.
    pub accepted: u64,
    /// Events we already had (same source and event id), including repeats within the batch.
    pub duplicates: u64,
}

impl Db {
    /// Stores a batch of events atomically. Resending a batch changes nothing.
    pub async fn ingest(
        &self,
        events: &[Event],
        now: DateTime<Utc>,
    ) -> Result<IngestOutcome, StoreError> {
        if events.is_empty() {
            return Ok(IngestOutcome::default());
        }
        // Sealing is done before the batch waits for the writer, so that with several
        // callers one batch is sealed while another is written.
        let prepared = Prepared::new(events, self.lookup(), self.sealer());
        match self {
            Db::Sqlite(s) => {
                sqlite::ingest(&s.writer, &s.reader, prepared, &s.lookup, &s.sealer, now).await
            }
            Db::Postgres(p) => {
                postgres::ingest(&p.pool, &p.pool, prepared, &p.lookup, &p.sealer, now).await
            }
        }
    }
}

/// A batch with the work done that needs no database: repeats within the batch dropped,
/// every payload sealed, and each victim's latest record sealed with its search digests.
pub(crate) struct Prepared<'a> {
    events: &'a [Event],
    /// The first of each (source, id), in batch order.
    fresh: Vec<&'a Event>,
    repeats: u64,
    /// The sealed payload of each of `fresh`.
    payloads: Vec<String>,
    /// Each victim's latest record in `fresh`, by reference.
    records: Vec<(&'a VictimRef, Latest<'a>)>,
    /// `records` as written, in the same order.
    victims: Vec<crate::bulk::VictimRow<'a>>,
    /// Each of `fresh` as the Code engine reads it (none when the engine is off).
    engine_events: Vec<EngineEvent>,
}

impl<'a> Prepared<'a> {
    fn new(events: &'a [Event], lookup: &crate::LookupKey, sealer: &crate::Sealer) -> Self {
        let (fresh, repeats) = dedupe(events);
        let payloads = fresh
            .iter()
            .map(|e| sealer.seal_json_text(crate::seal::EVENT_PAYLOAD, &domain::Payload(&e.body)))
            .collect();
        let indexed: Vec<(i64, &Event)> = fresh
            .iter()
            .enumerate()
            .map(|(i, e)| (crate::to_i64(i), *e))
            .collect();
        let records = sorted_records(&indexed);
        let victims = crate::bulk::victim_rows(&records, lookup, sealer);
        let engine_events = if crate::bench::engine_on() {
            fresh.iter().map(|e| EngineEvent::from(*e)).collect()
        } else {
            Vec::new()
        };
        Self {
            events,
            fresh,
            repeats,
            payloads,
            records,
            victims,
            engine_events,
        }
    }
}

/// Each victim's latest record among `new_events`, in a stable order (by reference), which
/// makes victim ids (and so every listing) the same on every run.
fn sorted_records<'a>(new_events: &[(i64, &'a Event)]) -> Vec<(&'a VictimRef, Latest<'a>)> {
    let mut records: Vec<_> = latest_victim_records(new_events).into_iter().collect();
    records.sort_unstable_by(|a, b| a.0.cmp(b.0));
    records
}

/// The first of each (source, id) in the batch, and how many repeats were dropped.
fn dedupe(events: &[Event]) -> (Vec<&Event>, u64) {
    let mut seen = HashSet::with_capacity(events.len());
    let fresh: Vec<&Event> = events
        .iter()
        .filter(|e| seen.insert((e.source.as_str(), e.id.as_str())))
        .collect();
    let repeats = (events.len() - fresh.len()) as u64;
    (fresh, repeats)
}

/// A victim's record with when it was true and which event carried it.
pub(crate) type Latest<'a> = (DateTime<Utc>, i64, &'a VictimRecord);

/// For each victim, the record from the latest event (by time, then by storage order).
fn latest_victim_records<'a>(
    new_events: &[(i64, &'a Event)],
) -> HashMap<&'a VictimRef, Latest<'a>> {
    let mut latest: HashMap<&VictimRef, Latest<'a>> = HashMap::new();
    for &(event_id, event) in new_events {
        for record in event.body.victim_records() {
            let candidate = (event.occurred_at, event_id, record);
            latest
                .entry(&record.victim_ref)
                .and_modify(|held| {
                    if (candidate.0, candidate.1) > (held.0, held.1) {
                        *held = candidate;
                    }
                })
                .or_insert(candidate);
        }
    }
    latest
}

/// Where an ingest spends its time, logged at debug level for tuning.
struct PhaseTimer {
    last: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl PhaseTimer {
    fn start() -> Self {
        Self {
            last: std::time::Instant::now(),
            laps: Vec::with_capacity(16),
        }
    }

    fn lap(&mut self, phase: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((phase, now - self.last));
        self.last = now;
    }

    /// Time spent on another task meanwhile, not counted in the laps around it.
    fn alongside(&mut self, phase: &'static str, took: std::time::Duration) {
        self.laps.push((phase, took));
    }

    fn report(&self, events: usize) {
        if tracing::enabled!(tracing::Level::DEBUG) {
            let laps: Vec<String> = self
                .laps
                .iter()
                .map(|(p, d)| format!("{p}={:.1}ms", d.as_secs_f64() * 1000.0))
                .collect();
            tracing::debug!(events, phases = %laps.join(" "), "ingest timings");
        }
    }
}

/// A victim's id and reference, with their details when asked for.
type VictimIdRow = (
    i64,
    String,
    Option<sqlx::types::Json<Box<serde_json::value::RawValue>>>,
    i32,
);

/// An obligation on its way to the database.
pub(crate) struct Owed {
    pub(crate) case_id: i64,
    pub(crate) victim_id: i64,
    /// The event that set the case facts the victim's rights were judged on.
    pub(crate) facts_set_by: Option<FactsSource>,
    pub(crate) obligation: domain::code::Obligation,
    /// Whether its explanation is stored as words. An event rule's is not: its rule, due
    /// date, reasons and event say it all, and it is written again from them when read.
    pub(crate) words_stored: bool,
}

/// The case facts as they stood at one event, and the event that set them.
pub(crate) type Facts = (domain::code::CaseFacts, Option<FactsSource>);

/// What the Code engine needs of a victim's record. Vulnerability, intimidation and persistent
/// targeting come from the needs assessment (see [`assessed`]), which the feed does not carry.
pub(crate) fn victim_factors(record: &VictimRecord) -> VictimFactors {
    VictimFactors {
        kind: record.kind,
        date_of_birth: record.date_of_birth.map(domain::victim::DateOfBirth::date),
        vulnerable: false,
        intimidated: false,
        persistently_targeted: false,
    }
}

/// Adds what the latest staff needs assessment said (`victim.assessed_factors`).
fn assessed(factors: &mut VictimFactors, bits: i32) {
    let (vulnerable, intimidated, persistently_targeted) = crate::support::factors_from_bits(bits);
    factors.vulnerable |= vulnerable;
    factors.intimidated |= intimidated;
    factors.persistently_targeted |= persistently_targeted;
}

/// A case as found at the start of the batch.
struct Loaded {
    case_id: i64,
    state: Stored,
}

enum Stored {
    /// A case this batch creates.
    New,
    Readable(Box<CaseState>),
    /// A stored projection the code can no longer read (an older shape): rebuilt from events.
    Unreadable,
}

/// One touched case as the Code engine sees it: its new events, each with the case facts as
/// they stood then, and every victim of the case.
struct CaseWork {
    case_id: i64,
    offence_date: chrono::NaiveDate,
    victims: Vec<String>,
    events: Vec<(domain::code::EngineEvent, Facts)>,
}

/// What the engine is asked about one batch, owned, so that another task can answer while
/// this one writes the batch.
struct EngineAsk {
    cases: Vec<CaseWork>,
    /// Every victim of a touched case, each once.
    wanted: Vec<String>,
    /// What the batch itself says of its victims, by reference.
    factors: HashMap<String, VictimFactors>,
}

/// The touched cases' new events, each with the case facts as they stood then (moved out of
/// `facts_at` and `engine_events`, both by position among the new events), and their victims.
fn engine_ask(
    states: &[(i64, CaseState)],
    by_case: &HashMap<&str, Vec<(i64, &Event)>>,
    mut facts_at: Vec<Option<Facts>>,
    mut engine_events: Vec<Option<EngineEvent>>,
    records: &[(&VictimRef, Latest<'_>)],
) -> Result<EngineAsk, StoreError> {
    use domain::calendar::london_date;
    let mut cases = Vec::with_capacity(states.len());
    for (case_id, state) in states {
        let Some(new) = by_case.get(state.crime_reference.as_str()) else {
            continue;
        };
        let mut events = Vec::with_capacity(new.len());
        for (i, e) in new {
            let engine_event =
                take(&mut engine_events, *i).unwrap_or_else(|| EngineEvent::from(*e));
            // Noted for every new event of every projected case, unless a stored projection
            // names another case's reference.
            let facts = take(&mut facts_at, *i).ok_or_else(|| StoreError::Corrupt {
                what: "case projection",
                id: *case_id,
                problem: "it names another case's reference".to_owned(),
            })?;
            events.push((engine_event, facts));
        }
        cases.push(CaseWork {
            case_id: *case_id,
            offence_date: london_date(state.reported_at.unwrap_or(new[0].1.occurred_at)),
            victims: state
                .victims
                .iter()
                .map(|v| v.as_str().to_owned())
                .collect(),
            events,
        });
    }
    let mut wanted: Vec<String> = states
        .iter()
        .flat_map(|(_, s)| s.victims.iter().map(|v| v.as_str().to_owned()))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let factors = records
        .iter()
        .map(|(r, (_, _, record))| (r.as_str().to_owned(), victim_factors(record)))
        .collect();
    Ok(EngineAsk {
        cases,
        wanted,
        factors,
    })
}

/// What the slot of a new event (by its position in the batch) holds, taken out.
fn take<T>(slots: &mut [Option<T>], position: i64) -> Option<T> {
    slots.get_mut(usize::try_from(position).ok()?)?.take()
}

/// What the engine has read for one batch, with the ids of the victims already stored, and
/// when it started.
struct EngineRead {
    work: EngineWork,
    ids: HashMap<String, i64>,
    started: std::time::Instant,
}

/// A task working alongside the request, stopped if the request stops waiting for it (an
/// error, or the request dropped): its answer would be thrown away.
struct Alongside<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for Alongside<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Everything the engine needs for one batch, owned, so that it can run on another thread
/// while the batch is written.
struct EngineWork {
    calendar: std::sync::Arc<domain::calendar::Calendar>,
    book: std::sync::Arc<domain::code::RuleBook>,
    /// By victim reference; a victim missing here (details unreadable) is owed nothing now.
    factors: HashMap<String, VictimFactors>,
    cases: Vec<CaseWork>,
}

impl EngineWork {
    /// The obligations owed, each with its victim's reference (its id is filled in by the
    /// caller).
    fn evaluate(self) -> Result<Vec<(String, Owed)>, StoreError> {
        let mut owed = Vec::new();
        for case in &self.cases {
            for victim_ref in &case.victims {
                let Some(victim) = self.factors.get(victim_ref) else {
                    continue;
                };
                // An event that names one victim (a witness warning, a review request) is owed
                // to that victim alone.
                let theirs: Vec<&(domain::code::EngineEvent, Facts)> = case
                    .events
                    .iter()
                    .filter(|(e, _)| e.victim.as_deref().is_none_or(|v| v == victim_ref))
                    .collect();
                // Runs of events under the same case facts are judged together.
                for run in theirs.chunk_by(|a, b| a.1.0 == b.1.0) {
                    let (facts, set_by) = &run[0].1;
                    let ordered: Vec<&domain::code::EngineEvent> =
                        run.iter().map(|(e, _)| e).collect();
                    let made = self.book.evaluate_from(
                        &self.calendar,
                        facts,
                        victim,
                        case.offence_date,
                        &ordered,
                        domain::code::Words::Left,
                    )?;
                    owed.extend(made.into_iter().map(|obligation| {
                        let o = Owed {
                            case_id: case.case_id,
                            victim_id: 0,
                            facts_set_by: set_by.clone(),
                            obligation,
                            words_stored: false,
                        };
                        (victim_ref.clone(), o)
                    }));
                }
            }
        }
        Ok(owed)
    }
}

/// A task's answer once it has ended: its own panic is raised here, as if it had run on
/// this thread, and so is its being stopped (only the request's own end stops it).
fn joined<T>(ended: Result<T, tokio::task::JoinError>) -> T {
    match ended {
        Ok(answer) => answer,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => std::panic::panic_any(e.to_string()),
    }
}

/// How long ingest, holding the write lock, waits for a reader connection for the Code engine
/// before it reads in its own transaction instead. Opening a connection takes a few
/// milliseconds; a pool whose every reader is busy may take seconds.
const READER_WAIT: std::time::Duration = std::time::Duration::from_millis(100);

/// On PostgreSQL, ingests in this process wait here, not holding a pooled connection while
/// they wait for the database's ingest lock, so waiting writers cannot starve readers.
static POSTGRES_GATE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

for_each_backend! {
    peers(rule_sets, messages)
    use crate::bulk::Bulk;
    use crate::cases::stored_event;
    use chrono::{DateTime, Utc};
    use domain::{CaseState, Event};
    use serde_json::value::RawValue;
    use sqlx::types::Json;
    use sqlx::QueryBuilder;
    use std::collections::HashMap;
    use tracing::Instrument as _;

    /// The positions in `events` of resends whose content differs from what is stored (or
    /// from an earlier event of the same batch with the same id).
    async fn conflicting_resends(
        conn: &mut <DB as sqlx::Database>::Connection,
        events: &[Event],
        known: &HashMap<(String, String), i64>,
        sealer: &crate::Sealer,
    ) -> Result<Vec<usize>, StoreError> {
        let mut stored: HashMap<i64, Event> = HashMap::new();
        let ids: Vec<i64> = known.values().copied().collect();
        for chunk in ids.chunks(ROWS_PER_STATEMENT) {
            let mut qb = QueryBuilder::<DB>::new(
                "SELECT e.case_id, e.event_id, e.source, e.source_event_id, e.event_type, \
                 e.occurred_at, e.received_at, e.payload, c.crime_reference \
                 FROM case_event e JOIN crime_case c ON c.case_id = e.case_id \
                 WHERE e.event_id IN (",
            );
            let mut list = qb.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            qb.push(")");
            let rows: Vec<crate::cases::EventRowWithReference> =
                qb.build_query_as().fetch_all(&mut *conn).await?;
            for row in rows {
                let event_id = row.row.event_id;
                stored.insert(
                    event_id,
                    stored_event(&row.crime_reference, row.row, sealer)?,
                );
            }
        }
        let mut first: HashMap<(&str, &str), &Event> = HashMap::new();
        let mut conflicts = Vec::new();
        for (index, e) in events.iter().enumerate() {
            let key = (e.source.as_str(), e.id.as_str());
            let earlier = first.entry(key).or_insert(e);
            let same_as_batch = std::ptr::eq(*earlier, e) || *earlier == e;
            let same_as_stored = known
                .get(&(key.0.to_owned(), key.1.to_owned()))
                .and_then(|id| stored.get(id))
                .is_none_or(|s| s == e);
            if !(same_as_batch && same_as_stored) {
                conflicts.push(index);
            }
        }
        Ok(conflicts)
    }

    /// `reader` answers what the Code engine needs to know while `writer` writes the batch.
    pub(crate) async fn ingest(
        writer: &sqlx::Pool<DB>,
        reader: &sqlx::Pool<DB>,
        prepared: Prepared<'_>,
        lookup: &crate::LookupKey,
        sealer: &std::sync::Arc<crate::Sealer>,
        now: DateTime<Utc>,
    ) -> Result<IngestOutcome, StoreError> {
        let Prepared { events, fresh, repeats, payloads, mut records, mut victims, engine_events } =
            prepared;
        let _gate = match LOCK_INGEST {
            Some(_) => Some(POSTGRES_GATE.lock().await),
            None => None,
        };
        let mut tx = writer.begin_with(BEGIN_WRITE).await?;
        if let Some(lock) = LOCK_INGEST {
            sqlx::query(lock).execute(&mut *tx).await?;
        }
        let mut timer = PhaseTimer::start();

        // 1. Which events do we already have? Asking first (rather than INSERT … RETURNING)
        //    keeps the answer to a handful of rows: a resend is rare.
        let known: HashMap<(String, String), i64> = <DB as Bulk>::known_events(&mut tx, &fresh)
            .await?
            .into_iter()
            .map(|(s, e, id)| ((s, e), id))
            .collect();
        // A resend must be the same event. Different content under a known id would be lost
        // without a word, so the whole batch is refused instead.
        let conflicts = if known.is_empty() && repeats == 0 {
            Vec::new()
        } else {
            conflicting_resends(&mut tx, events, &known, sealer).await?
        };
        if !conflicts.is_empty() {
            tx.rollback().await?;
            return Err(StoreError::ConflictingResend { indexes: conflicts });
        }
        // The position in the batch orders events that happened at the same moment, exactly
        // as the event id (given in the same order) does once they are stored.
        let is_new = |e: &Event| {
            known.is_empty()
                || !known.contains_key(&(e.source.as_str().to_owned(), e.id.as_str().to_owned()))
        };
        let mut new_events: Vec<(i64, &Event)> = Vec::with_capacity(fresh.len());
        let mut new_payloads: Vec<&str> = Vec::with_capacity(fresh.len());
        let mut new_engine_events: Vec<Option<EngineEvent>> = Vec::with_capacity(engine_events.len());
        let mut engine_events = engine_events.into_iter();
        for (e, payload) in fresh.iter().zip(&payloads) {
            let engine_event = engine_events.next();
            if is_new(e) {
                new_events.push((crate::to_i64(new_events.len()), *e));
                new_payloads.push(payload);
                new_engine_events.push(engine_event);
            }
        }
        if !known.is_empty() {
            // Resent events carry no news: victims' latest records are those of the new ones.
            records = sorted_records(&new_events);
            victims = crate::bulk::victim_rows(&records, lookup, sealer);
        }
        let accepted = new_events.len() as u64;
        let outcome = IngestOutcome {
            accepted,
            duplicates: repeats + (fresh.len() as u64 - accepted),
        };
        if accepted == 0 {
            tx.rollback().await?;
            return Ok(outcome);
        }
        timer.lap("known");

        // 2. Find the cases; new ones get the next ids (we hold the ingest lock, so nobody
        //    else is making cases).
        let mut by_case: HashMap<&str, Vec<(i64, &Event)>> = HashMap::new();
        let mut refs: Vec<&str> = Vec::new();
        for &(i, e) in &new_events {
            let r = e.crime_reference.as_str();
            by_case
                .entry(r)
                .or_insert_with(|| {
                    refs.push(r);
                    Vec::new()
                })
                .push((i, e));
        }
        let mut cases: HashMap<&str, Loaded> = HashMap::with_capacity(refs.len());
        for chunk in refs.chunks(ROWS_PER_STATEMENT) {
            let mut qb = QueryBuilder::<DB>::new(
                "SELECT case_id, crime_reference, state FROM crime_case WHERE crime_reference IN (",
            );
            let mut list = qb.separated(", ");
            for r in chunk {
                list.push_bind(*r);
            }
            qb.push(")");
            let rows: Vec<(i64, String, Json<Box<RawValue>>)> =
                qb.build_query_as().fetch_all(&mut *tx).await?;
            for (case_id, crime_reference, Json(raw)) in rows {
                let state = match sealer.open_json::<CaseState>(crate::seal::CASE_STATE, raw.get()) {
                    Ok(state) => Stored::Readable(Box::new(state)),
                    Err(e) => {
                        // The kind of failure, never serde's message, which would quote data.
                        tracing::warn!(case_id, problem = e.kind(), "stored projection unreadable; rebuilding it");
                        Stored::Unreadable
                    }
                };
                if let Some(r) = chunk.iter().find(|r| **r == crime_reference) {
                    cases.insert(r, Loaded { case_id, state });
                }
            }
        }
        let mut next_id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(case_id), 0) FROM crime_case")
            .fetch_one(&mut *tx)
            .await?;
        for r in &refs {
            cases.entry(r).or_insert_with(|| {
                next_id += 1;
                Loaded { case_id: next_id, state: Stored::New }
            });
        }
        timer.lap("cases");

        // 3. Bring each touched case's projection up to date, in memory, noting the case facts
        //    (offence, flags) as they stood at each new event: a victim's rights are judged
        //    on those, so a change mid-case shortens later deadlines only.
        let mut states: Vec<(i64, CaseState)> = Vec::with_capacity(refs.len());
        let mut facts_at: Vec<Option<Facts>> = Vec::new();
        facts_at.resize_with(new_events.len(), || None);
        let note = |facts_at: &mut Vec<Option<Facts>>, i: i64, state: &CaseState| {
            let facts = domain::code::CaseFacts { offence: state.offence, flags: state.flags };
            if let Some(slot) = usize::try_from(i).ok().and_then(|i| facts_at.get_mut(i)) {
                *slot = Some((facts, state.facts_set_by.clone()));
            }
        };
        let mut rebuild: Vec<(i64, &str)> = Vec::new();
        for r in &refs {
            let new = by_case.get_mut(r).expect("every ref has events");
            new.sort_by_key(|(i, e)| (e.occurred_at, *i));
            let loaded = &cases[r];
            let mut state = match &loaded.state {
                Stored::New => CaseState::new(new[0].1.crime_reference.clone(), new[0].1.occurred_at),
                Stored::Readable(state) if state.can_append(new[0].1.occurred_at) => (**state).clone(),
                Stored::Readable(_) | Stored::Unreadable => {
                    rebuild.push((loaded.case_id, r));
                    continue;
                }
            };
            for (i, e) in new.iter() {
                state.apply(e);
                note(&mut facts_at, *i, &state);
            }
            states.push((loaded.case_id, state));
        }
        for chunk in rebuild.chunks(ROWS_PER_STATEMENT) {
            let names: HashMap<i64, &str> = chunk.iter().copied().collect();
            let mut qb = QueryBuilder::<DB>::new(
                "SELECT case_id, event_id, source, source_event_id, event_type, occurred_at, \
                 received_at, payload FROM case_event WHERE case_id IN (",
            );
            let mut list = qb.separated(", ");
            for (case_id, _) in chunk {
                list.push_bind(*case_id);
            }
            qb.push(") ORDER BY case_id, event_id");
            let rows: Vec<crate::cases::EventRow> = qb.build_query_as().fetch_all(&mut *tx).await?;
            let mut per_case: HashMap<i64, Vec<Event>> = HashMap::new();
            for row in rows {
                let case_id = row.case_id;
                let event = stored_event(names[&case_id], row, sealer)?;
                per_case.entry(case_id).or_default().push(event);
            }
            for (case_id, r) in chunk {
                // Stored events first (they were stored earlier), then this batch's in order.
                let stored = per_case.remove(case_id).unwrap_or_default();
                let mut new = by_case[r].clone();
                new.sort_by_key(|(i, _)| *i);
                let all = stored
                    .iter()
                    .map(|e| (None, e))
                    .chain(new.iter().map(|(i, e)| (Some(*i), *e)));
                let rebuilt = CaseState::rebuild_watching(all, |i, state| {
                    if let Some(i) = i {
                        note(&mut facts_at, *i, state);
                    }
                });
                let Some(state) = rebuilt else { continue };
                states.push((*case_id, state));
            }
        }
        timer.lap("project");

        // 4. Victims first, so that every one has an id before the Code engine starts: it
        //    then makes each obligation's row whole while this task writes the rest.
        //    The engine reads on a reader connection, taken before this transaction writes
        //    anything: on PostgreSQL, a request holding the pool's last connection might
        //    otherwise be waiting for a row written here. With none to be had at once (every
        //    reader busy), it reads in this transaction instead: holding the write lock,
        //    ingest must not wait on readers.
        let reader = if crate::bench::engine_on() {
            match tokio::time::timeout(READER_WAIT, reader.acquire()).await {
                Ok(Ok(conn)) => Some(Some(conn)),
                _ => Some(None),
            }
        } else {
            None
        };
        let written = <DB as Bulk>::upsert_victims(&mut tx, &victims, lookup.id(), now).await?;
        timer.lap("victims");

        // 5. What the Code says the victims are now owed, worked out by a task of its own.
        //    A reader sees what was committed: on SQLite exactly what was there before this
        //    batch (this transaction holds the only write lock); on PostgreSQL, as any read
        //    in this transaction would. The writes below change none of it; the victims
        //    just written are taken from the batch itself.
        let engine = match reader {
            None => None,
            Some(reader) => {
                let ask = engine_ask(&states, &by_case, facts_at, new_engine_events, &records)?;
                let task = match reader {
                    Some(mut conn) => {
                        let sealer = sealer.clone();
                        let answer = async move {
                            let read = read_for_engine(&mut conn, ask, &sealer).await?;
                            // Back to the pool before the engine's own work.
                            drop(conn);
                            work_out(read, written, now).await
                        };
                        tokio::spawn(answer.in_current_span())
                    }
                    None => {
                        let read = read_for_engine(&mut tx, ask, sealer).await?;
                        tokio::spawn(work_out(read, written, now).in_current_span())
                    }
                };
                Some(Alongside(task))
            }
        };
        timer.lap("ask the engine");

        // 6. Cases (events refer to them), the events themselves, and the victims' links.
        <DB as Bulk>::upsert_states(&mut tx, &states, sealer, now).await?;
        timer.lap("write cases");
        let appended: Vec<crate::bulk::NewEvent<'_>> = new_events
            .iter()
            .zip(&new_payloads)
            .map(|((_, e), payload)| (cases[e.crime_reference.as_str()].case_id, *e, *payload))
            .collect();
        <DB as Bulk>::append_events(&mut tx, &appended, now).await?;
        timer.lap("events");
        let mut links: Vec<(i64, &str)> = Vec::new();
        for (_, e) in &new_events {
            let case_id = cases[e.crime_reference.as_str()].case_id;
            for record in e.body.victim_records() {
                links.push((case_id, record.victim_ref.as_str()));
            }
        }
        links.sort_unstable();
        links.dedup();
        <DB as Bulk>::link_victims(&mut tx, &links).await?;
        timer.lap("links");

        // 7. The obligations.
        if let Some(mut engine) = engine {
            let (owed, rows, took) = joined((&mut engine.0).await)?;
            timer.alongside("engine (alongside)", took);
            timer.lap("wait for the engine");
            <DB as Bulk>::write_obligations(&mut tx, rows).await?;
            timer.lap("write obligations");
            messages::enqueue(&mut tx, &owed, &new_events, now).await?;
            timer.lap("queue messages");
        }

        tx.commit().await?;
        timer.lap("commit");
        timer.report(events.len());
        Ok(outcome)
    }

    /// What the engine reads: the calendar, the rule book, and every victim of a touched
    /// case (their id always, their details when this batch did not carry them).
    async fn read_for_engine(
        conn: &mut <DB as sqlx::Database>::Connection,
        ask: EngineAsk,
        sealer: &crate::Sealer,
    ) -> Result<EngineRead, StoreError> {
        let started = std::time::Instant::now();
        let EngineAsk { cases, wanted, mut factors } = ask;
        let rows: Vec<crate::calendar::ChangeRow> =
            sqlx::query_as(crate::calendar::CHANGES).fetch_all(&mut *conn).await?;
        let calendar = crate::calendar::cached(rows);
        let book = rule_sets::rule_book(&mut *conn).await?;

        let mut ids: HashMap<String, i64> = HashMap::with_capacity(wanted.len());
        for chunk in wanted.chunks(ROWS_PER_STATEMENT) {
            let mut qb = QueryBuilder::<DB>::new(
                "SELECT victim_id, victim_ref, CASE WHEN victim_ref IN (",
            );
            let mut list = qb.separated(", ");
            for r in chunk.iter().filter(|r| !factors.contains_key(r.as_str())) {
                list.push_bind(r.as_str());
            }
            list.push_bind("");
            qb.push(") THEN details ELSE NULL END, assessed_factors FROM victim WHERE victim_ref IN (");
            let mut list = qb.separated(", ");
            for r in chunk {
                list.push_bind(r.as_str());
            }
            qb.push(")");
            let found: Vec<VictimIdRow> =
                qb.build_query_as().fetch_all(&mut *conn).await?;
            for (id, r, details, bits) in found {
                if let Some(Json(details)) = details {
                    match sealer.open_json::<domain::victim::VictimRecord>(crate::seal::VICTIM_DETAILS, details.get()) {
                        Ok(record) => {
                            factors.insert(r.clone(), victim_factors(&record));
                        }
                        Err(e) => tracing::warn!(problem = e.kind(), "victim details unreadable; no obligations computed for them"),
                    }
                }
                if bits != 0
                    && let Some(f) = factors.get_mut(&r)
                {
                    assessed(f, bits);
                }
                ids.insert(r, id);
            }
        }
        Ok(EngineRead { work: EngineWork { calendar, book, factors, cases }, ids, started })
    }

    /// The obligations the new events create, and their rows as the writer will send them,
    /// worked out on a blocking thread. `written` holds the ids of the victims this batch
    /// has just written.
    async fn work_out(
        read: EngineRead,
        written: Vec<(i64, String)>,
        now: DateTime<Utc>,
    ) -> Result<(Vec<Owed>, <DB as Bulk>::ObligationRows, std::time::Duration), StoreError> {
        let EngineRead { work, mut ids, started } = read;
        ids.extend(written.into_iter().map(|(id, r)| (r, id)));
        let made = tokio::task::spawn_blocking(move || {
            let owed: Vec<Owed> = work
                .evaluate()?
                .into_iter()
                .filter_map(|(victim_ref, mut o)| {
                    o.victim_id = *ids.get(&victim_ref)?;
                    Some(o)
                })
                .collect();
            let rows = <DB as Bulk>::obligation_rows(&owed, now);
            Ok::<_, StoreError>((owed, rows))
        });
        let (owed, rows) = joined(made.await)?;
        Ok((owed, rows, started.elapsed()))
    }
}
