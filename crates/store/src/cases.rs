//! Reading cases back: the list, one case with its victims and events, and counts.

use crate::seal::StoredJson;
use crate::{Db, StoreError, with_pool};
use chrono::{DateTime, Utc};
use domain::event::SourceEventId;
use domain::event::SourceName;
use domain::victim::VictimRecord;
use domain::{CaseState, CrimeReference, Event, EventBody, EventType, OffenceCategory, Phase};
use serde_json::value::RawValue;
use sqlx::types::Json;

/// An event as stored: `SELECT case_id, event_id, source, source_event_id, event_type,
/// occurred_at, received_at, payload`.
#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    pub case_id: i64,
    pub event_id: i64,
    source: String,
    source_event_id: String,
    event_type: String,
    occurred_at: DateTime<Utc>,
    received_at: DateTime<Utc>,
    payload: Json<Box<RawValue>>,
}

/// An event row with its case's crime reference (`… , c.crime_reference`).
#[derive(sqlx::FromRow)]
pub(crate) struct EventRowWithReference {
    #[sqlx(flatten)]
    pub row: EventRow,
    pub crime_reference: String,
}

/// Turns a stored row back into an event. A failure means the database holds something the
/// code cannot read, which is a bug or a hand edit, not bad input.
pub(crate) fn stored_event(
    crime_reference: &str,
    row: EventRow,
    sealer: &crate::Sealer,
) -> Result<Event, StoreError> {
    let EventRow {
        event_id,
        source,
        source_event_id,
        event_type,
        occurred_at,
        received_at,
        payload,
        ..
    } = row;
    let corrupt = |problem: String| StoreError::Corrupt {
        what: "event",
        id: event_id,
        problem,
    };
    let event_type = EventType::parse(&event_type)
        .ok_or_else(|| corrupt(format!("unknown type {event_type}")))?;
    let payload = sealer
        .open_json_text(crate::seal::EVENT_PAYLOAD, payload.0.get())
        .map_err(|e| corrupt(e.to_string()))?;
    let body = EventBody::from_payload(event_type, &payload)
        .map_err(|p| corrupt(format!("{}: {}", p.field, p.problem)))?;
    Ok(Event {
        source: SourceName::parse(&source).map_err(corrupt)?,
        id: SourceEventId::parse(&source_event_id).map_err(corrupt)?,
        crime_reference: CrimeReference::parse(crime_reference).map_err(corrupt)?,
        occurred_at,
        received_at,
        body,
    })
}

/// The columns of `crime_case` copied out of the projection for lists and filters.
pub(crate) struct CaseRowValues<'a> {
    pub offence: Option<&'static str>,
    pub home_office_code: Option<&'a str>,
    pub outcome: Option<&'static str>,
}

pub(crate) fn case_row_values(state: &CaseState) -> CaseRowValues<'_> {
    CaseRowValues {
        offence: state.offence.map(OffenceCategory::as_str),
        home_office_code: state.home_office_code.as_ref().map(|c| c.as_str()),
        outcome: state.outcome.map(|o| o.as_str()),
    }
}

/// An obligation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObligation {
    pub obligation_id: i64,
    pub victim_id: i64,
    pub rule_id: String,
    pub right: i16,
    pub source: String,
    pub source_event_id: String,
    pub due_on: chrono::NaiveDate,
    pub enhanced: bool,
    pub explanation: String,
    pub rule_set: String,
    pub calendar: String,
    pub status: String,
}

#[derive(sqlx::FromRow)]
struct ObligationRow {
    obligation_id: i64,
    victim_id: i64,
    rule_id: String,
    code_right: i16,
    source: String,
    source_event_id: String,
    due_on: chrono::NaiveDate,
    enhanced: bool,
    reasons: sqlx::types::Json<serde_json::Value>,
    explanation: String,
    rule_set: String,
    calendar: String,
    status: String,
    #[sqlx(flatten)]
    event: crate::obligations::EventFacts,
}

/// A line in a list of cases. It holds no personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSummary {
    pub case_id: i64,
    pub crime_reference: String,
    pub offence: Option<OffenceCategory>,
    pub borough: Option<String>,
    pub phase: Phase,
    pub phase_since: DateTime<Utc>,
    pub reported_at: Option<DateTime<Utc>>,
    pub victim_count: i64,
    pub event_count: i64,
}

/// A victim of a case, with their personal details. Whoever shows this must audit it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VictimSummary {
    pub victim_id: i64,
    pub record: VictimRecord,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub event_id: i64,
    pub event: Event,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseDetail {
    pub case_id: i64,
    pub state: CaseState,
    pub victims: Vec<VictimSummary>,
    /// In the order they happened (ties in the order they were stored).
    pub events: Vec<StoredEvent>,
}

type SummaryRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    i64,
    i64,
);

fn summary(row: SummaryRow) -> Result<CaseSummary, StoreError> {
    let (
        case_id,
        crime_reference,
        offence,
        borough,
        phase,
        phase_since,
        reported_at,
        victims,
        events,
    ) = row;
    let corrupt = |problem: String| StoreError::Corrupt {
        what: "case",
        id: case_id,
        problem,
    };
    Ok(CaseSummary {
        case_id,
        crime_reference,
        offence: match offence {
            Some(o) => {
                Some(OffenceCategory::parse(&o).ok_or_else(|| corrupt(format!("offence {o}")))?)
            }
            None => None,
        },
        borough,
        phase: Phase::parse(&phase).ok_or_else(|| corrupt(format!("phase {phase}")))?,
        phase_since,
        reported_at,
        victim_count: victims,
        event_count: events,
    })
}

impl Db {
    /// Cases newest first, `limit` at a time; pass the last `case_id` seen to get the next page.
    pub async fn list_cases(
        &self,
        phase: Option<Phase>,
        before_case_id: Option<i64>,
        limit: u32,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        let phase = phase.map(Phase::as_str);
        let before = before_case_id.unwrap_or(i64::MAX);
        let rows: Vec<SummaryRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT c.case_id, c.crime_reference, c.offence, c.borough, c.phase, c.phase_since, \
                    c.reported_at, \
                    (SELECT COUNT(*) FROM case_victim v WHERE v.case_id = c.case_id), \
                    c.event_count \
             FROM crime_case c \
             WHERE c.case_id < $1 AND ($2 IS NULL OR c.phase = $2) \
             ORDER BY c.case_id DESC LIMIT $3"
        )
        .bind(before)
        .bind(phase)
        .bind(i64::from(limit))
        .fetch_all(p)
        .await
        })?;
        rows.into_iter().map(summary).collect()
    }

    /// How many cases stand at each phase.
    pub async fn phase_counts(&self) -> Result<Vec<(Phase, i64)>, StoreError> {
        let rows: Vec<(String, i64)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT phase, COUNT(*) FROM crime_case GROUP BY phase"
        )
        .fetch_all(p)
        .await)?;
        let mut counts: Vec<(Phase, i64)> = Phase::ALL.iter().map(|p| (*p, 0)).collect();
        for (phase, n) in rows {
            if let Some(slot) = counts.iter_mut().find(|(p, _)| p.as_str() == phase) {
                slot.1 = n;
            }
        }
        Ok(counts)
    }

    pub async fn count_events(&self) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM case_event"
        )
        .fetch_one(p)
        .await)?)
    }

    pub async fn count_victims(&self) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM victim"
        )
        .fetch_one(p)
        .await)?)
    }

    /// The obligations of one case, soonest due first.
    pub async fn obligations_of_case(
        &self,
        case_id: i64,
    ) -> Result<Vec<StoredObligation>, StoreError> {
        let rows: Vec<ObligationRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT o.obligation_id, o.victim_id, o.rule_id, o.code_right, o.source, \
                    o.source_event_id, o.due_on, o.enhanced, o.reasons, o.explanation, \
                    o.rule_set, o.calendar, o.status, e.event_type, \
                    e.occurred_at AS event_occurred_at, e.received_at AS event_received_at \
             FROM obligation o LEFT JOIN case_event e \
               ON e.source = o.source AND e.source_event_id = o.source_event_id \
             WHERE o.case_id = $1 ORDER BY o.due_on, o.obligation_id"
        )
        .bind(case_id)
        .fetch_all(p)
        .await)?;
        let book = self.rule_book().await?;
        Ok(rows
            .into_iter()
            .map(|mut r| {
                let made = (
                    r.rule_set.as_str(),
                    r.rule_id.as_str(),
                    r.due_on,
                    r.enhanced,
                );
                let explanation = crate::obligations::explained(
                    &book,
                    std::mem::take(&mut r.explanation),
                    made,
                    &r.reasons.0,
                    &r.event,
                );
                StoredObligation {
                    obligation_id: r.obligation_id,
                    victim_id: r.victim_id,
                    explanation,
                    right: r.code_right,
                    due_on: r.due_on,
                    enhanced: r.enhanced,
                    rule_id: r.rule_id,
                    source: r.source,
                    source_event_id: r.source_event_id,
                    rule_set: r.rule_set,
                    calendar: r.calendar,
                    status: r.status,
                }
            })
            .collect())
    }

    pub async fn count_obligations(&self) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM obligation"
        )
        .fetch_one(p)
        .await)?)
    }

    /// One case by our own id (as used in addresses), or `None`. Two queries: the case with
    /// its victims, then its events (the victim's own page reads this on every view).
    pub async fn case_by_id(&self, case_id: i64) -> Result<Option<CaseDetail>, StoreError> {
        type Row = (StoredJson, Option<i64>, Option<StoredJson>);
        let rows: Vec<Row> = with_pool!(self, |p| sqlx::query_as(
            "SELECT c.state, v.victim_id, v.details FROM crime_case c \
             LEFT JOIN case_victim cv ON cv.case_id = c.case_id \
             LEFT JOIN victim v ON v.victim_id = cv.victim_id \
             WHERE c.case_id = $1 ORDER BY v.victim_id"
        )
        .bind(case_id)
        .fetch_all(p)
        .await)?;
        let mut rows = rows.into_iter();
        let Some((state, first_id, first_details)) = rows.next() else {
            return Ok(None);
        };
        let state = self.sealer().state(case_id, &state)?;
        let mut victims = Vec::new();
        for (id, details) in std::iter::once((first_id, first_details))
            .chain(rows.map(|(_, id, details)| (id, details)))
        {
            if let (Some(victim_id), Some(details)) = (id, details) {
                victims.push(VictimSummary {
                    victim_id,
                    record: self.sealer().victim(victim_id, &details)?,
                });
            }
        }
        let events = self
            .events_of(case_id, state.crime_reference.as_str())
            .await?;
        Ok(Some(CaseDetail {
            case_id,
            state,
            victims,
            events,
        }))
    }

    /// A case's events, in the order they happened (ties in the order they were stored).
    async fn events_of(
        &self,
        case_id: i64,
        crime_reference: &str,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let event_rows: Vec<EventRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT case_id, event_id, source, source_event_id, event_type, occurred_at, \
                    received_at, payload \
             FROM case_event WHERE case_id = $1 ORDER BY event_id"
        )
        .bind(case_id)
        .fetch_all(p)
        .await)?;
        let mut events = Vec::with_capacity(event_rows.len());
        for row in event_rows {
            let event_id = row.event_id;
            events.push(StoredEvent {
                event_id,
                event: stored_event(crime_reference, row, self.sealer())?,
            });
        }
        events.sort_by_key(|e| e.event.occurred_at);
        Ok(events)
    }

    /// One case with its victims and events, or `None` if we have no such case.
    pub async fn case_by_reference(
        &self,
        crime_reference: &CrimeReference,
    ) -> Result<Option<CaseDetail>, StoreError> {
        let row: Option<(i64, StoredJson)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT case_id, state FROM crime_case WHERE crime_reference = $1"
        )
        .bind(crime_reference.as_str())
        .fetch_optional(p)
        .await)?;
        let Some((case_id, state)) = row else {
            return Ok(None);
        };
        let state = self.sealer().state(case_id, &state)?;
        let victim_rows: Vec<(i64, StoredJson)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT v.victim_id, v.details FROM victim v \
             JOIN case_victim cv ON cv.victim_id = v.victim_id \
             WHERE cv.case_id = $1 ORDER BY v.victim_id"
        )
        .bind(case_id)
        .fetch_all(p)
        .await)?;
        let events = self.events_of(case_id, crime_reference.as_str()).await?;
        Ok(Some(CaseDetail {
            case_id,
            state,
            victims: victim_rows
                .iter()
                .map(|(victim_id, details)| {
                    Ok(VictimSummary {
                        victim_id: *victim_id,
                        record: self.sealer().victim(*victim_id, details)?,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            events,
        }))
    }
}
