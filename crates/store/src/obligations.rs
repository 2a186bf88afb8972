//! An obligation's life after ingest made it: met by a contact, not wanted, waived, breached
//! by the scheduler's pass (which also opens a task for a person, and keeps each victim's
//! periodic updates coming), and the compliance figures over all of them.

use crate::{Db, StoreError, dispatch};
use chrono::{DateTime, NaiveDate, Utc};
use domain::Problem;
use domain::contact::ContactReport;
use serde::Serialize;

pub const OPEN: &str = "open";
pub const MET: &str = "met";
pub const BREACHED: &str = "breached";
pub const WAIVED: &str = "waived";
pub const NOT_WANTED: &str = "not_wanted";

/// Task kinds.
pub const TASK_BREACHED: &str = "obligation_breached";

/// A breach opens a task only if it was due within this many days: a person can still act
/// on it. Older ones (a history just loaded) are recorded as breaches, for compliance, without
/// flooding the work queue with what nobody can now put right.
const TASK_WINDOW_DAYS: u64 = 28;

/// Rows a scheduler transaction handles at most, so it never holds the write lock for long.
const PASS_BATCH: i64 = 5000;

/// Who closes what the system closes by itself.
const SYSTEM: &str = "victimcare";

/// The week `date` falls in, counted from 1 January 1970 (rounding towards that day, as both
/// databases divide): the key of the index of open obligations. Obligations made together fall
/// due on a few hundred different days but a few dozen different weeks, and each key's new
/// entries go at the end of its run, so a batch writes to far fewer pages of the index.
/// A day never falls in a later week than a later day does, so every obligation due before
/// a day is due in that day's week or earlier.
pub(crate) fn due_week(date: NaiveDate) -> i64 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date")).num_days() / 7
}

/// What recording a contact did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactRecorded {
    pub contact_id: i64,
    /// The same contact (source and id) was recorded before; nothing changed.
    pub duplicate: bool,
    /// Obligations this contact met, closed as not wanted, or left open (an attempt).
    pub met: Vec<i64>,
    pub not_wanted: Vec<i64>,
}

/// What a scheduler pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TickReport {
    /// False when another instance held the pass (PostgreSQL): this one did nothing.
    pub ran: bool,
    pub breached: u64,
    pub tasks_opened: u64,
    pub periodic_created: u64,
    pub periodic_lapsed: u64,
}

/// How compliance figures are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Rule,
    Borough,
    Month,
}

impl GroupBy {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "rule" => Some(Self::Rule),
            "borough" => Some(Self::Borough),
            "month" => Some(Self::Month),
            _ => None,
        }
    }
}

/// Obligations due in a period, by outcome. `on_time_percent` is met on time out of those
/// whose outcome is settled against the deadline (met on time, met late, breached); waived,
/// not wanted and still-open obligations are counted but not in the percentage. An
/// obligation breached and then waived or declined counts as breached. An
/// obligation breached and then waived or declined counts as breached.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ComplianceRow {
    pub group: String,
    pub due: u64,
    pub met_on_time: u64,
    pub met_late: u64,
    pub breached: u64,
    pub waived: u64,
    pub not_wanted: u64,
    pub open: u64,
    pub on_time_percent: Option<f64>,
}

impl ComplianceRow {
    fn add(&mut self, status: &str, on_time: Option<bool>, n: u64) {
        self.due += n;
        match (status, on_time) {
            (MET, Some(true)) => self.met_on_time += n,
            (MET, _) => self.met_late += n,
            (BREACHED, _) => self.breached += n,
            (WAIVED, _) => self.waived += n,
            (NOT_WANTED, _) => self.not_wanted += n,
            _ => self.open += n,
        }
    }

    fn finish(&mut self) {
        let settled = self.met_on_time + self.met_late + self.breached;
        self.on_time_percent = (settled > 0).then(|| {
            let percent = self.met_on_time as f64 * 100.0 / settled as f64;
            (percent * 10.0).round() / 10.0
        });
    }
}

/// The figures for each group, sorted by group, then the total of all of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compliance {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub groups: Vec<ComplianceRow>,
    pub total: ComplianceRow,
}

/// The columns of [`ObligationView`], for the queries that read it (a macro, so that each
/// query stays one literal string).
macro_rules! obligation_view_select {
    () => {
        "SELECT o.obligation_id, v.victim_ref AS victim, o.rule_id AS rule, \
         o.code_right AS \"right\", o.source, o.source_event_id AS event, o.due_on, \
         o.enhanced, o.reasons, o.explanation, o.status, o.breached_at, o.closed_at, \
         o.on_time, o.waiver_reason, o.approved_by, o.rule_set, o.calendar, \
         e.event_type, e.occurred_at AS event_occurred_at, e.received_at AS event_received_at, \
         o.facts_source, o.facts_event, f.occurred_at AS facts_at \
         FROM obligation o JOIN victim v ON v.victim_id = o.victim_id \
         LEFT JOIN case_event e ON e.source = o.source AND e.source_event_id = o.source_event_id \
         LEFT JOIN case_event f ON f.source = o.facts_source AND f.source_event_id = o.facts_event"
    };
}

/// An obligation as read, with what its explanation is written from.
#[derive(sqlx::FromRow)]
struct ViewRow {
    #[sqlx(flatten)]
    view: ObligationView,
    #[sqlx(flatten)]
    event: EventFacts,
    #[sqlx(flatten)]
    facts: FactsSetBy,
}

/// The event that set the case facts an obligation's victim's rights were judged on (see
/// migration `obligation_facts`): named by the obligation, its time read from the event.
#[derive(sqlx::FromRow)]
struct FactsSetBy {
    facts_source: Option<String>,
    facts_event: Option<String>,
    facts_at: Option<DateTime<Utc>>,
}

/// What an obligation's victim's rights rested on, as the API gives it: `reasons` (the stored
/// list of reasons for enhanced rights, empty for standard rights) and `case_facts_set_by`.
fn rights_basis(reasons: serde_json::Value, facts: FactsSetBy) -> serde_json::Value {
    if reasons.is_object() {
        // Written in the old shape (see `stored_reasons`): it says it all itself.
        return reasons;
    }
    let mut basis = serde_json::Map::new();
    basis.insert("reasons".to_owned(), reasons);
    if let (Some(source), Some(event)) = (facts.facts_source, facts.facts_event) {
        let mut set_by = serde_json::Map::new();
        set_by.insert("source".to_owned(), source.into());
        set_by.insert("event".to_owned(), event.into());
        if let Some(at) = facts.facts_at {
            set_by.insert(
                "at".to_owned(),
                serde_json::to_value(at).unwrap_or_default(),
            );
        }
        basis.insert("case_facts_set_by".to_owned(), set_by.into());
    }
    basis.into()
}

/// The event that started an obligation's clock (none for a periodic update).
#[derive(sqlx::FromRow)]
pub(crate) struct EventFacts {
    pub(crate) event_type: Option<String>,
    pub(crate) event_occurred_at: Option<DateTime<Utc>>,
    pub(crate) event_received_at: Option<DateTime<Utc>>,
}

/// The list of reasons in an obligation's stored `reasons`: the whole value since migration
/// 29, or its `reasons` member in a row written in the old shape (one object with the facts
/// event too) by an instance still running the binary before it, during an upgrade.
fn stored_reasons(reasons: &serde_json::Value) -> &serde_json::Value {
    reasons.get("reasons").unwrap_or(reasons)
}

/// An obligation's explanation: the stored words if it has them (a periodic update), else
/// written again from its rule, due date, reasons and event (see `bulk::stored_explanation`).
pub(crate) fn explained(
    book: &domain::code::RuleBook,
    stored: String,
    made: (&str, &str, NaiveDate, bool),
    reasons: &serde_json::Value,
    event: &EventFacts,
) -> String {
    if !stored.is_empty() {
        return stored;
    }
    let (rule_set, rule, due, enhanced) = made;
    let reasons: Vec<domain::enhanced::EnhancedReason> =
        serde_json::from_value(stored_reasons(reasons).clone()).unwrap_or_default();
    let words = match (
        event
            .event_type
            .as_deref()
            .and_then(domain::EventType::parse),
        event.event_occurred_at,
        event.event_received_at,
    ) {
        (Some(event), Some(occurred_at), Some(received_at)) => book.explain(&domain::code::Made {
            rule_set,
            rule,
            due,
            enhanced,
            reasons: &reasons,
            event,
            occurred_at,
            received_at,
        }),
        _ => None,
    };
    // Only a rule set or an event that has gone (neither is ever deleted) leaves the bare
    // facts.
    words.unwrap_or_else(|| {
        format!(
            "due {due}: rule {rule} of {rule_set}; {}",
            domain::code::rights_words(&reasons)
        )
    })
}

impl ViewRow {
    fn explained(self, book: &domain::code::RuleBook) -> ObligationView {
        let Self {
            mut view,
            event,
            facts,
        } = self;

        let made = (
            view.rule_set.as_str(),
            view.rule.as_str(),
            view.due_on,
            view.enhanced,
        );
        let explanation = explained(
            book,
            std::mem::take(&mut view.explanation),
            made,
            &view.reasons.0,
            &event,
        );
        view.reasons.0 = rights_basis(std::mem::take(&mut view.reasons.0), facts);
        ObligationView {
            explanation,
            ..view
        }
    }
}

/// An obligation with its case's reference, for the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ObligationView {
    pub obligation_id: i64,
    pub victim: String,
    pub rule: String,
    pub right: i16,
    pub source: String,
    pub event: String,
    pub due_on: NaiveDate,
    pub enhanced: bool,
    /// Why the victim has enhanced rights (`reasons`, empty for standard rights) and the event
    /// that set the case facts they were judged on (`case_facts_set_by`).
    pub reasons: sqlx::types::Json<serde_json::Value>,
    pub explanation: String,
    pub status: String,
    pub breached_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub on_time: Option<bool>,
    pub waiver_reason: Option<String>,
    pub approved_by: Option<String>,
    pub rule_set: String,
    pub calendar: String,
}

impl Db {
    /// Records a contact with a victim and closes the obligations it carried. Everything is
    /// checked first; if anything is wrong nothing is written and every problem is returned.
    pub async fn record_contact(
        &self,
        contact: &ContactReport,
        recorded_by: &str,
        now: DateTime<Utc>,
    ) -> Result<ContactRecorded, StoreError> {
        dispatch!(self, obligations::record_contact(contact, recorded_by, now))
    }

    /// Waives an open or breached obligation, with the reason and the person who approved it.
    pub async fn waive_obligation(
        &self,
        obligation_id: i64,
        reason: &str,
        waived_by: &str,
        approved_by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        dispatch!(
            self,
            obligations::waive(obligation_id, reason, waived_by, approved_by, now)
        )
    }

    /// One pass of the scheduler at `now`: marks overdue obligations breached and opens a
    /// task for each, lapses periodic updates of cases that left investigation, and makes
    /// each victim's next periodic update. Safe to run on many instances at once.
    pub async fn tick(&self, now: DateTime<Utc>) -> Result<TickReport, StoreError> {
        // The periodic pass reads every victim under investigation: on SQLite it reads through
        // the read-only connections, so the one writer (and ingest) waits only for the writes.
        match self {
            Db::Sqlite(s) => sqlite::tick(&s.writer, &s.reader, self.sealer(), now).await,
            Db::Postgres(p) => postgres::tick(&p.pool, &p.pool, self.sealer(), now).await,
        }
    }

    /// Obligations due from `from` to `to` (inclusive), by outcome, grouped.
    pub async fn compliance(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        group_by: GroupBy,
    ) -> Result<Compliance, StoreError> {
        let filter = crate::FigureFilter {
            from,
            to,
            borough: None,
            offence: None,
        };
        self.compliance_for(&filter, group_by).await
    }

    /// The same, for one borough and crime type when the filter names them.
    pub async fn compliance_for(
        &self,
        filter: &crate::FigureFilter,
        group_by: GroupBy,
    ) -> Result<Compliance, StoreError> {
        let (from, to) = (filter.from, filter.to);
        let rows: Vec<(String, String, Option<bool>, i64)> = crate::with_pool!(self, |p| {
            // A breach stays a breach when the obligation is later waived or declined: only
            // a contact, however late, turns it into "met late".
            let sql = match group_by {
                GroupBy::Rule => {
                    "SELECT x.k, x.st, x.on_time, COUNT(*) FROM (SELECT o.rule_id AS k, \
                     CASE WHEN o.breached_at IS NOT NULL AND o.status <> 'met' \
                     THEN 'breached' ELSE o.status END AS st, o.on_time \
                     FROM obligation o JOIN crime_case c ON c.case_id = o.case_id \
                     WHERE o.due_on >= $1 AND o.due_on <= $2 \
                     AND ($3 IS NULL OR c.borough = $3) AND ($4 IS NULL OR c.offence = $4)) x \
                     GROUP BY x.k, x.st, x.on_time"
                }
                GroupBy::Borough => {
                    "SELECT x.k, x.st, x.on_time, COUNT(*) FROM (SELECT COALESCE(c.borough, 'Not recorded') AS k, \
                     CASE WHEN o.breached_at IS NOT NULL AND o.status <> 'met' \
                     THEN 'breached' ELSE o.status END AS st, o.on_time \
                     FROM obligation o JOIN crime_case c ON c.case_id = o.case_id \
                     WHERE o.due_on >= $1 AND o.due_on <= $2 \
                     AND ($3 IS NULL OR c.borough = $3) AND ($4 IS NULL OR c.offence = $4)) x \
                     GROUP BY x.k, x.st, x.on_time"
                }
                // The month is taken from the date in Rust: the two databases spell date
                // formatting differently.
                GroupBy::Month => {
                    "SELECT x.k, x.st, x.on_time, COUNT(*) FROM (SELECT CAST(o.due_on AS TEXT) AS k, \
                     CASE WHEN o.breached_at IS NOT NULL AND o.status <> 'met' \
                     THEN 'breached' ELSE o.status END AS st, o.on_time \
                     FROM obligation o JOIN crime_case c ON c.case_id = o.case_id \
                     WHERE o.due_on >= $1 AND o.due_on <= $2 \
                     AND ($3 IS NULL OR c.borough = $3) AND ($4 IS NULL OR c.offence = $4)) x \
                     GROUP BY x.k, x.st, x.on_time"
                }
            };
            sqlx::query_as(sql)
                .bind(from)
                .bind(to)
                .bind(filter.borough.as_deref())
                .bind(filter.offence.as_deref())
                .fetch_all(p)
                .await
        })?;
        let mut groups: std::collections::BTreeMap<String, ComplianceRow> = Default::default();
        let mut total = ComplianceRow {
            group: "all".into(),
            ..ComplianceRow::default()
        };
        for (key, status, on_time, n) in rows {
            let key = match group_by {
                GroupBy::Month => key.get(..7).unwrap_or(&key).to_owned(),
                _ => key,
            };
            let n = u64::try_from(n).unwrap_or(0);
            groups
                .entry(key.clone())
                .or_insert_with(|| ComplianceRow {
                    group: key,
                    ..ComplianceRow::default()
                })
                .add(&status, on_time, n);
            total.add(&status, on_time, n);
        }
        let mut groups: Vec<ComplianceRow> = groups.into_values().collect();
        for g in &mut groups {
            g.finish();
        }
        total.finish();
        Ok(Compliance {
            from,
            to,
            groups,
            total,
        })
    }

    /// The obligations of a case (all victims, or one), soonest due first.
    pub async fn obligations_by_reference(
        &self,
        crime_reference: &domain::CrimeReference,
        victim: Option<&domain::victim::VictimRef>,
    ) -> Result<Option<Vec<ObligationView>>, StoreError> {
        let case_id: Option<i64> = crate::with_pool!(self, |p| sqlx::query_scalar(
            "SELECT case_id FROM crime_case WHERE crime_reference = $1"
        )
        .bind(crime_reference.as_str())
        .fetch_optional(p)
        .await)?;
        let Some(case_id) = case_id else {
            return Ok(None);
        };
        let rows: Vec<ViewRow> = crate::with_pool!(self, |p| sqlx::query_as(concat!(
            obligation_view_select!(),
            " WHERE o.case_id = $1 AND ($2 IS NULL OR v.victim_ref = $2) \
                 ORDER BY o.due_on, o.obligation_id"
        ))
        .bind(case_id)
        .bind(victim.map(|v| v.as_str()))
        .fetch_all(p)
        .await)?;
        let book = self.rule_book().await?;
        Ok(Some(rows.into_iter().map(|r| r.explained(&book)).collect()))
    }

    /// One victim's obligations in one case, soonest due first.
    pub async fn obligations_of_victim(
        &self,
        case_id: i64,
        victim_id: i64,
    ) -> Result<Vec<ObligationView>, StoreError> {
        let rows: Vec<ViewRow> = crate::with_pool!(self, |p| sqlx::query_as(concat!(
            obligation_view_select!(),
            " WHERE o.case_id = $1 AND o.victim_id = $2 ORDER BY o.due_on, o.obligation_id"
        ))
        .bind(case_id)
        .bind(victim_id)
        .fetch_all(p)
        .await)?;
        let book = self.rule_book().await?;
        Ok(rows.into_iter().map(|r| r.explained(&book)).collect())
    }

    /// Open tasks, oldest due first (the work queue arrives with the helpline).
    pub async fn count_open_tasks(&self) -> Result<i64, StoreError> {
        Ok(crate::with_pool!(self, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM task WHERE closed_at IS NULL"
        )
        .fetch_one(p)
        .await)?)
    }
}

fn refused(field: impl Into<String>, problem: impl Into<String>) -> StoreError {
    StoreError::Refused(vec![Problem::new(field, problem)])
}

crate::for_each_backend! {
    peers(rule_sets, messages)
    use domain::calendar::london_date;
    use domain::contact::ContactOutcome;
    use sqlx::QueryBuilder;

    /// Was a contact at `at` in time for an obligation due at the end of `due` (London)?
    fn in_time(at: DateTime<Utc>, due: NaiveDate) -> bool {
        london_date(at) <= due
    }

    /// The contact stored under this source and id, if any: (id, case, victim, time,
    /// channel, outcome).
    type StoredContact = (i64, i64, i64, DateTime<Utc>, String, String);

    async fn stored_contact(
        conn: &mut <DB as sqlx::Database>::Connection,
        contact: &ContactReport,
    ) -> Result<Option<StoredContact>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT contact_id, case_id, victim_id, occurred_at, channel, outcome FROM contact \
             WHERE source = $1 AND source_contact_id = $2",
        )
        .bind(contact.source.as_str())
        .bind(contact.id.as_str())
        .fetch_optional(&mut *conn)
        .await?)
    }

    /// A resend must be the same contact; different content under a known id is refused,
    /// since accepting it would tell the caller obligations were met when they were not.
    fn resent(
        stored: StoredContact,
        contact: &ContactReport,
        link: Option<(i64, i64)>,
    ) -> Result<ContactRecorded, StoreError> {
        let (contact_id, case_id, victim_id, occurred_at, channel, outcome) = stored;
        let same = link == Some((case_id, victim_id))
            && occurred_at == contact.occurred_at
            && channel == contact.channel.as_str()
            && outcome == contact.outcome.as_str();
        if !same {
            return Err(refused(
                "id",
                "was used before for a different contact: a contact cannot be changed once \
                 recorded, so a correction needs a new id",
            ));
        }
        Ok(ContactRecorded { contact_id, duplicate: true, met: vec![], not_wanted: vec![] })
    }

    pub(crate) async fn record_contact(
        pool: &sqlx::Pool<DB>,
        contact: &ContactReport,
        recorded_by: &str,
        now: DateTime<Utc>,
    ) -> Result<ContactRecorded, StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let link: Option<(i64, i64)> = sqlx::query_as(
            "SELECT c.case_id, v.victim_id FROM crime_case c \
             JOIN case_victim cv ON cv.case_id = c.case_id \
             JOIN victim v ON v.victim_id = cv.victim_id \
             WHERE c.crime_reference = $1 AND v.victim_ref = $2",
        )
        .bind(contact.crime_reference.as_str())
        .bind(contact.victim.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(stored) = stored_contact(&mut tx, contact).await? {
            tx.rollback().await?;
            return resent(stored, contact, link);
        }
        let Some((case_id, victim_id)) = link else {
            tx.rollback().await?;
            // One answer for an unknown case and for a victim not in it: a caller learns
            // nothing about cases they did not name correctly.
            return Err(refused("victim", "is not a victim of a case with this crime reference"));
        };

        // Every named obligation must be this victim's in this case, still owed, and about
        // something that had happened by the time of the contact.
        type Found = (i64, String, NaiveDate, Option<DateTime<Utc>>, DateTime<Utc>);
        let mut found: Vec<Found> = Vec::new();
        if !contact.obligations.is_empty() {
            let mut qb = QueryBuilder::<DB>::new(
                "SELECT o.obligation_id, o.status, o.due_on, \
                 (SELECT e.occurred_at FROM case_event e WHERE e.source = o.source \
                  AND e.source_event_id = o.source_event_id), o.created_at \
                 FROM obligation o WHERE o.case_id = ",
            );
            qb.push_bind(case_id).push(" AND o.victim_id = ").push_bind(victim_id);
            qb.push(" AND o.obligation_id IN (");
            let mut list = qb.separated(", ");
            for id in &contact.obligations {
                list.push_bind(*id);
            }
            qb.push(")");
            found = qb.build_query_as().fetch_all(&mut *tx).await?;
        }
        let mut problems = Vec::new();
        for (i, id) in contact.obligations.iter().enumerate() {
            let field = format!("obligations[{i}]");
            match found.iter().find(|f| f.0 == *id) {
                None => problems.push(Problem::new(
                    field,
                    "is not an obligation owed to this victim in this case",
                )),
                Some((_, status, ..)) if status != OPEN && status != BREACHED => {
                    problems.push(Problem::new(
                        field,
                        format!("is already closed ({})", status.replace('_', " ")),
                    ));
                }
                // An event's obligation: the contact must come after the event. A periodic
                // update (no event): after the obligation was made.
                Some((_, _, _, happened, created))
                    if happened.unwrap_or(*created) > contact.occurred_at =>
                {
                    problems.push(Problem::new(
                        field,
                        "is about something that happened after this contact",
                    ));
                }
                Some(_) => {}
            }
        }
        if !problems.is_empty() {
            tx.rollback().await?;
            return Err(StoreError::Refused(problems));
        }

        let inserted: Result<i64, sqlx::Error> = sqlx::query_scalar(
            "INSERT INTO contact (source, source_contact_id, case_id, victim_id, occurred_at, \
             channel, outcome, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING contact_id",
        )
        .bind(contact.source.as_str())
        .bind(contact.id.as_str())
        .bind(case_id)
        .bind(victim_id)
        .bind(contact.occurred_at)
        .bind(contact.channel.as_str())
        .bind(contact.outcome.as_str())
        .bind(recorded_by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        let contact_id = match inserted {
            Ok(id) => id,
            // The same contact sent twice at once: the other one got in first.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                tx.rollback().await?;
                let mut conn = pool.acquire().await?;
                let stored = stored_contact(&mut conn, contact)
                    .await?
                    .ok_or(StoreError::NotFound { what: "contact" })?;
                return resent(stored, contact, Some((case_id, victim_id)));
            }
            Err(e) => return Err(e.into()),
        };

        // Each update is conditional on the obligation still being owed: a waiver committed
        // meanwhile wins, and this contact is refused rather than overwriting it.
        let mut recorded = ContactRecorded { contact_id, duplicate: false, met: vec![], not_wanted: vec![] };
        let close = |status: &'static str, id: i64, on_time: Option<bool>| {
            sqlx::query(
                "UPDATE obligation SET status = $1, closed_at = $2, contact_id = $3, \
                 on_time = $4 WHERE obligation_id = $5 AND status IN ('open', 'breached')",
            )
            .bind(status)
            .bind(contact.occurred_at)
            .bind(contact_id)
            .bind(on_time)
            .bind(id)
        };
        match contact.outcome {
            ContactOutcome::Attempted => {}
            ContactOutcome::Declined => {
                for (id, ..) in &found {
                    if close(NOT_WANTED, *id, None).execute(&mut *tx).await?.rows_affected() != 1 {
                        tx.rollback().await?;
                        return Err(refused("obligations", "changed while the contact was being recorded; send it again"));
                    }
                    recorded.not_wanted.push(*id);
                }
            }
            ContactOutcome::Informed => {
                for (id, _, due, ..) in &found {
                    let on_time = in_time(contact.occurred_at, *due);
                    if close(MET, *id, Some(on_time)).execute(&mut *tx).await?.rows_affected() != 1 {
                        tx.rollback().await?;
                        return Err(refused("obligations", "changed while the contact was being recorded; send it again"));
                    }
                    recorded.met.push(*id);
                }
                // Hearing from us at all is what a periodic update promises, so any contact
                // that reached the victim also meets the one they are owed in this case, if it
                // was owed by then.
                let book = rule_sets::rule_book(&mut tx).await?;
                for rule in book.sets().filter_map(|set| set.periodic.as_ref()) {
                    let periodic: Vec<(i64, NaiveDate)> = sqlx::query_as(
                        "SELECT obligation_id, due_on FROM obligation \
                         WHERE case_id = $1 AND victim_id = $2 AND rule_id = $3 \
                         AND status IN ('open', 'breached') AND created_at <= $4",
                    )
                    .bind(case_id)
                    .bind(victim_id)
                    .bind(rule.id.as_str())
                    .bind(contact.occurred_at)
                    .fetch_all(&mut *tx)
                    .await?;
                    for (id, due) in periodic {
                        if recorded.met.contains(&id) {
                            continue;
                        }
                        let on_time = in_time(contact.occurred_at, due);
                        if close(MET, id, Some(on_time)).execute(&mut *tx).await?.rows_affected() == 1 {
                            recorded.met.push(id);
                        }
                    }
                }
            }
        }
        close_tasks(&mut tx, recorded.met.iter().chain(&recorded.not_wanted), now).await?;
        tx.commit().await?;
        Ok(recorded)
    }

    /// Closes the tasks opened for obligations that are now closed.
    async fn close_tasks<'a>(
        conn: &mut <DB as sqlx::Database>::Connection,
        ids: impl Iterator<Item = &'a i64>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let ids: Vec<i64> = ids.copied().collect();
        for chunk in ids.chunks(ROWS_PER_STATEMENT / 2) {
            let mut qb = QueryBuilder::<DB>::new("UPDATE task SET closed_at = ");
            qb.push_bind(now);
            qb.push(" WHERE closed_at IS NULL AND obligation_id IN (");
            let mut list = qb.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            qb.push(")");
            qb.build().execute(&mut *conn).await?;
        }
        Ok(())
    }

    pub(crate) async fn waive(
        pool: &sqlx::Pool<DB>,
        obligation_id: i64,
        reason: &str,
        waived_by: &str,
        approved_by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM obligation WHERE obligation_id = $1")
                .bind(obligation_id)
                .fetch_optional(&mut *tx)
                .await?;
        match status.as_deref() {
            None => {
                tx.rollback().await?;
                return Err(StoreError::NotFound { what: "obligation" });
            }
            Some(OPEN | BREACHED) => {}
            Some(other) => {
                tx.rollback().await?;
                return Err(refused("obligation", format!("is already closed ({})", other.replace('_', " "))));
            }
        }
        // Conditional, so a contact committed meanwhile is never overwritten.
        let changed = sqlx::query(
            "UPDATE obligation SET status = $1, closed_at = $2, waiver_reason = $3, \
             waived_by = $4, approved_by = $5 \
             WHERE obligation_id = $6 AND status IN ('open', 'breached')",
        )
        .bind(WAIVED)
        .bind(now)
        .bind(reason)
        .bind(waived_by)
        .bind(approved_by)
        .bind(obligation_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            tx.rollback().await?;
            return Err(refused("obligation", "was closed meanwhile"));
        }
        close_tasks(&mut tx, [obligation_id].iter(), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes the scheduler's lock for this transaction (PostgreSQL); false if another
    /// instance holds it.
    async fn lead(conn: &mut <DB as sqlx::Database>::Connection) -> Result<bool, StoreError> {
        match TRY_LOCK_SCHEDULER {
            Some(try_lock) => Ok(sqlx::query_scalar(try_lock).fetch_one(&mut *conn).await?),
            None => Ok(true),
        }
    }

    pub(crate) async fn tick(
        pool: &sqlx::Pool<DB>,
        reader: &sqlx::Pool<DB>,
        sealer: &crate::Sealer,
        now: DateTime<Utc>,
    ) -> Result<TickReport, StoreError> {
        let mut report = TickReport::default();
        let today = london_date(now);
        let task_window = today - chrono::Days::new(TASK_WINDOW_DAYS);

        // 1. Obligations whose due day has ended are breached, and a person is told: a batch
        //    a transaction, so a backlog (a history just loaded) never holds the write lock
        //    for long. The status is written out (not bound) so that the planner can use the
        //    partial index of open obligations.
        loop {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            if !lead(&mut tx).await? {
                tx.rollback().await?;
                return Ok(report);
            }
            report.ran = true;
            // The earliest weeks first, in the index's order, so that a backlog is taken a
            // batch at a time without sorting it all for each.
            let mut qb =
                QueryBuilder::<DB>::new("UPDATE obligation SET status = 'breached', breached_at = ");
            qb.push_bind(now)
                .push(
                    " WHERE obligation_id IN (SELECT obligation_id FROM obligation \
                     WHERE status = 'open' AND ",
                )
                .push(DUE_WEEK)
                .push(" <= ")
                .push_bind(due_week(today))
                .push(" AND due_on < ")
                .push_bind(today)
                .push(" ORDER BY ")
                .push(DUE_WEEK)
                .push(" LIMIT ")
                .push_bind(PASS_BATCH)
                .push(") RETURNING obligation_id, case_id, victim_id, due_on");
            let breached: Vec<(i64, i64, i64, NaiveDate)> =
                qb.build_query_as().fetch_all(&mut *tx).await?;
            report.breached += breached.len() as u64;
            // A task only where a person can still act: not for deadlines long gone.
            let recent: Vec<&(i64, i64, i64, NaiveDate)> =
                breached.iter().filter(|b| b.3 >= task_window).collect();
            for chunk in recent.chunks(ROWS_PER_STATEMENT / 6) {
                let mut qb = QueryBuilder::<DB>::new(
                    "INSERT INTO task (kind, case_id, victim_id, obligation_id, due_at, opened_at) ",
                );
                qb.push_values(chunk, |mut row, (obligation_id, case_id, victim_id, _)| {
                    row.push_bind(TASK_BREACHED)
                        .push_bind(*case_id)
                        .push_bind(*victim_id)
                        .push_bind(*obligation_id)
                        .push_bind(now)
                        .push_bind(now);
                });
                qb.push(" ON CONFLICT (kind, obligation_id) DO NOTHING");
                report.tasks_opened += qb.build().execute(&mut *tx).await?.rows_affected();
            }
            tx.commit().await?;
            if breached.len() < usize::try_from(PASS_BATCH).unwrap_or(usize::MAX) {
                break;
            }
        }

        // 2. Periodic updates: none once the case has moved on; the next one for each victim
        //    of a case still under investigation who has none open, a batch of victims a
        //    transaction. Every rule set's periodic rule counts, so that a set that renames
        //    the rule cannot leave two open at once.
        let mut after: (i64, i64) = (0, 0);
        // One reading connection for the whole pass: its page cache stays warm from batch to
        // batch.
        let mut reading = reader.acquire().await?;
        loop {
            // Who is due one is worked out without the write lock; the write re-checks.
            let (owed, last) = periodic_candidates(&mut reading, today, after, sealer).await?;
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            if !lead(&mut tx).await? {
                tx.rollback().await?;
                return Ok(report);
            }
            let (lapsed, created) =
                periodic_write(&mut tx, now, today, owed, after == (0, 0)).await?;
            tx.commit().await?;
            report.periodic_lapsed += lapsed;
            report.periodic_created += created;
            match last {
                Some(last) => after = last,
                None => break,
            }
        }
        Ok(report)
    }

    /// The rule ids of every rule set's periodic rule, and the rule in force `today`.
    fn periodic_rules(
        book: &domain::code::RuleBook,
        today: NaiveDate,
    ) -> (Vec<String>, Option<domain::code::PeriodicRule>) {
        let ids = book
            .sets()
            .filter_map(|set| set.periodic.as_ref().map(|p| p.id.clone()))
            .collect();
        let rule = book
            .in_force(today)
            .periodic
            .clone()
            .filter(|r| !r.phases.is_empty());
        (ids, rule)
    }

    fn push_ids(qb: &mut QueryBuilder<DB>, ids: &[String]) {
        qb.push("o.rule_id IN (");
        let mut list = qb.separated(", ");
        for id in ids {
            list.push_bind(id.clone());
        }
        list.push_bind("");
        qb.push(")");
    }

    /// Lapses periodic updates of cases that moved on (on the first batch), and stores the
    /// `owed` ones still not owed by then (another pass may have made them meanwhile).
    async fn periodic_write(
        tx: &mut <DB as sqlx::Database>::Connection,
        now: DateTime<Utc>,
        today: NaiveDate,
        owed: Vec<crate::ingest::Owed>,
        first: bool,
    ) -> Result<(u64, u64), StoreError> {
        let book = rule_sets::rule_book(&mut *tx).await?;
        let (ids, rule) = periodic_rules(&book, today);
        let Some(rule) = rule else {
            return Ok((0, 0));
        };
        let mut lapsed = 0;
        if first {
            let mut qb = QueryBuilder::<DB>::new("UPDATE obligation SET status = ");
            qb.push_bind(WAIVED)
                .push(", closed_at = ").push_bind(now)
                .push(", waiver_reason = ").push_bind("the case is no longer under investigation")
                .push(", waived_by = ").push_bind(SYSTEM)
                .push(", approved_by = ").push_bind(SYSTEM)
                .push(" WHERE obligation_id IN (SELECT o.obligation_id FROM obligation o \
                       JOIN crime_case c ON c.case_id = o.case_id WHERE o.status = 'open' AND ");
            push_ids(&mut qb, &ids);
            qb.push(" AND c.phase NOT IN (");
            let mut list = qb.separated(", ");
            for p in &rule.phases {
                list.push_bind(p.as_str());
            }
            qb.push("))");
            lapsed = qb.build().execute(&mut *tx).await?.rows_affected();
        }
        if owed.is_empty() {
            return Ok((lapsed, 0));
        }
        // The status is bound, not written out: here the cases' own index is the way in, not
        // the partial index of every open obligation.
        let mut qb = QueryBuilder::<DB>::new(
            "SELECT o.case_id, o.victim_id FROM obligation o WHERE o.status = ",
        );
        qb.push_bind(OPEN).push(" AND ");
        push_ids(&mut qb, &ids);
        qb.push(" AND o.case_id IN (");
        let mut list = qb.separated(", ");
        for o in &owed {
            list.push_bind(o.case_id);
        }
        qb.push(")");
        let made: std::collections::HashSet<(i64, i64)> =
            qb.build_query_as().fetch_all(&mut *tx).await?.into_iter().collect();
        let owed: Vec<crate::ingest::Owed> = owed
            .into_iter()
            .filter(|o| !made.contains(&(o.case_id, o.victim_id)))
            .collect();
        <DB as crate::bulk::Bulk>::insert_obligations(&mut *tx, &owed, now).await?;
        messages::periodic(&mut *tx, &rule.id, &owed, now).await?;
        Ok((lapsed, owed.len() as u64))
    }

    /// The periodic updates owed to the next batch of victims after `after` (case id, victim
    /// id), read without writing; and the last victim looked at, if there may be more.
    async fn periodic_candidates(
        conn: &mut <DB as sqlx::Database>::Connection,
        today: NaiveDate,
        after: (i64, i64),
        sealer: &crate::Sealer,
    ) -> Result<(Vec<crate::ingest::Owed>, Option<(i64, i64)>), StoreError> {
        let book = rule_sets::rule_book(&mut *conn).await?;
        let (ids, rule) = periodic_rules(&book, today);
        let rules = book.in_force(today);
        let Some(rule) = rule else {
            return Ok((Vec::new(), None));
        };
        let phases: Vec<&str> = rule.phases.iter().map(|p| p.as_str()).collect();
        let push_ids = |qb: &mut QueryBuilder<DB>| push_ids(qb, &ids);
        let tx = conn;
        {
            // The contact agreement is sealed with the rest of the victim's details, so
            // victims who want no periodic updates are read and left out below.
            let mut qb = QueryBuilder::<DB>::new(
                "SELECT cv.case_id, cv.victim_id, v.details, c.reported_at, c.phase_since, \
                 (SELECT MAX(o.due_on) FROM obligation o WHERE o.case_id = cv.case_id \
                  AND o.victim_id = cv.victim_id AND o.status = 'breached' AND ",
            );
            push_ids(&mut qb);
            qb.push(
                ") AS last_due, (SELECT MAX(k.occurred_at) FROM contact k \
                 WHERE k.case_id = cv.case_id AND k.victim_id = cv.victim_id \
                 AND k.outcome = 'informed') AS last_contact \
                 FROM crime_case c JOIN case_victim cv ON cv.case_id = c.case_id \
                 JOIN victim v ON v.victim_id = cv.victim_id \
                 WHERE c.phase IN (",
            );
            let mut list = qb.separated(", ");
            for p in &phases {
                list.push_bind(*p);
            }
            qb.push(") AND (cv.case_id > ").push_bind(after.0);
            qb.push(" OR (cv.case_id = ").push_bind(after.0);
            qb.push(" AND cv.victim_id > ").push_bind(after.1);
            qb.push(
                ")) AND NOT EXISTS (SELECT 1 FROM obligation o WHERE o.case_id = cv.case_id \
                 AND o.victim_id = cv.victim_id AND o.status = 'open' AND ",
            );
            push_ids(&mut qb);
            qb.push(") ORDER BY cv.case_id, cv.victim_id LIMIT ").push_bind(PASS_BATCH);
            type Candidate = (
                i64,
                i64,
                sqlx::types::Json<Box<serde_json::value::RawValue>>,
                Option<DateTime<Utc>>,
                DateTime<Utc>,
                Option<NaiveDate>,
                Option<DateTime<Utc>>,
            );
            let candidates: Vec<Candidate> = qb.build_query_as().fetch_all(&mut *tx).await?;
            let candidates_len = candidates.len();
            let last = candidates.last().map(|c| (c.0, c.1));
            let rows: Vec<crate::calendar::ChangeRow> =
                sqlx::query_as(crate::calendar::CHANGES).fetch_all(&mut *tx).await?;
            let calendar = crate::calendar::cached(rows);
            let mut owed = Vec::new();
            for (case_id, victim_id, details, reported_at, phase_since, last_due, last_contact) in
                candidates
            {
                let frequency = match sealer.victim(victim_id, &details) {
                    Ok(record) => record.contact_agreement.frequency,
                    Err(e) => {
                        // The kind of failure only: the message could quote personal data.
                        tracing::warn!(victim_id, problem = %e, "victim details unreadable; periodic updates use the standard interval");
                        domain::victim::UpdateFrequency::Standard
                    }
                };
                // The interval runs from the last time we told them something or, when an
                // update was missed, from the day it was due; at first, from the report.
                // (An update lapsed because the case moved on was not missed.)
                let start = london_date(reported_at.unwrap_or(phase_since));
                let since = [Some(start), last_due, last_contact.map(london_date)]
                    .into_iter()
                    .flatten()
                    .max()
                    .unwrap_or(start);
                if let Some(obligation) =
                    domain::code::next_periodic_update(rules, &calendar, frequency, since, today)?
                {
                    let obligation = domain::code::Obligation {
                        source: Some(SYSTEM.to_owned()),
                        event: "schedule".to_owned(),
                        ..obligation
                    };
                    owed.push(crate::ingest::Owed {
                        case_id,
                        victim_id,
                        facts_set_by: None,
                        obligation,
                        // Made from no event: nothing else records how it was counted.
                        words_stored: true,
                    });
                }
            }
            let full = candidates_len == usize::try_from(PASS_BATCH).unwrap_or(usize::MAX);
            Ok((owed, last.filter(|_| full)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn arrest() -> EventFacts {
        let at: DateTime<Utc> = "2026-04-13T10:00:00Z".parse().unwrap();
        EventFacts {
            event_type: Some("arrested".to_owned()),
            event_occurred_at: Some(at),
            event_received_at: Some(at),
        }
    }

    fn facts(at: Option<&str>) -> FactsSetBy {
        FactsSetBy {
            facts_source: Some("cris".to_owned()),
            facts_event: Some("CRIS-1-00".to_owned()),
            facts_at: at.map(|t| t.parse().unwrap()),
        }
    }

    #[test]
    fn the_api_gets_the_reasons_and_the_facts_event_as_before() {
        let basis = rights_basis(
            json!(["domestic_abuse"]),
            facts(Some("2026-04-12T13:28:48Z")),
        );
        assert_eq!(
            basis,
            json!({"reasons": ["domestic_abuse"], "case_facts_set_by":
                {"source": "cris", "event": "CRIS-1-00", "at": "2026-04-12T13:28:48Z"}})
        );
        let none = FactsSetBy {
            facts_source: None,
            facts_event: None,
            facts_at: None,
        };
        assert_eq!(rights_basis(json!([]), none), json!({"reasons": []}));
    }

    /// An instance still on the binary before migration 29 writes the old shape until it is
    /// restarted: its rows read the same as everyone else's.
    #[test]
    fn an_obligation_written_in_the_old_shape_reads_the_same() {
        let old = json!({"reasons": ["domestic_abuse"], "case_facts_set_by":
            {"source": "cris", "event": "CRIS-1-00", "at": "2026-04-12T13:28:48Z"}});
        assert_eq!(rights_basis(old.clone(), facts(None)), old);
        let book = domain::code::RuleBook::builtin();
        let made = (
            "vcop-2021/1",
            "P12-arrest",
            "2026-04-14".parse().unwrap(),
            true,
        );
        let from_old = explained(&book, String::new(), made, &old, &arrest());
        let from_new = explained(
            &book,
            String::new(),
            made,
            &json!(["domestic_abuse"]),
            &arrest(),
        );
        assert_eq!(from_old, from_new);
        assert!(
            from_new.contains("enhanced rights (domestic abuse)"),
            "{from_new}"
        );
    }
}
