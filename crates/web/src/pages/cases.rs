//! The read-only case list and case page for demonstrations. Neither shows a victim's
//! personal details: only what the case is, where it stands and what has happened.

use super::{local_date, local_time, not_found_page};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::projection::SuspectStatus;
use domain::{OffenceCategory, Phase};
use serde::Deserialize;

const PAGE: u32 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases", get(list))
        .route("/cases/{case_id}", get(show))
}

#[derive(Deserialize)]
struct ListQuery {
    phase: Option<String>,
    before: Option<i64>,
}

struct PhaseCount {
    key: &'static str,
    label: &'static str,
    count: i64,
    selected: bool,
}

struct Row {
    case_id: i64,
    crime_reference: String,
    offence: &'static str,
    borough: String,
    phase: &'static str,
    closed: bool,
    reported: String,
    victims: i64,
    events: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases.html")]
struct CasesPage {
    total: i64,
    counts: Vec<PhaseCount>,
    caption: String,
    rows: Vec<Row>,
    next: Option<String>,
}

fn offence_label(o: Option<OffenceCategory>) -> &'static str {
    o.map_or("Not yet known", OffenceCategory::label)
}

async fn list(State(state): State<AppState>, Query(q): Query<ListQuery>) -> Response {
    // An unknown phase is treated as no filter rather than an error: this page has no input
    // worth refusing, and the select box only offers known phases.
    let phase = q.phase.as_deref().and_then(Phase::parse);
    let (counts, cases) = match tokio::try_join!(
        state.db.phase_counts(),
        state.db.list_cases(phase, q.before, PAGE)
    ) {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "case list failed");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "The case list is not available right now.",
            )
                .into_response();
        }
    };
    let next = (cases.len() == PAGE as usize).then(|| {
        let last = cases.last().map_or(0, |c| c.case_id);
        match phase {
            Some(p) => format!("/cases?phase={}&before={last}", p.as_str()),
            None => format!("/cases?before={last}"),
        }
    });
    let caption = match phase {
        Some(p) => format!("Cases at the phase: {}, newest first", p.label()),
        None => "All cases, newest first".to_owned(),
    };
    CasesPage {
        total: counts.iter().map(|(_, n)| n).sum(),
        counts: counts
            .into_iter()
            .map(|(p, count)| PhaseCount {
                key: p.as_str(),
                label: p.label(),
                count,
                selected: Some(p) == phase,
            })
            .collect(),
        caption,
        rows: cases
            .into_iter()
            .map(|c| Row {
                case_id: c.case_id,
                crime_reference: c.crime_reference,
                offence: offence_label(c.offence),
                borough: c.borough.unwrap_or_else(|| "Not yet known".into()),
                phase: c.phase.label(),
                closed: c.phase == Phase::Closed,
                reported: c
                    .reported_at
                    .map_or_else(|| "Not yet known".into(), local_date),
                victims: c.victim_count,
                events: c.event_count,
            })
            .collect(),
        next,
    }
    .into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "case.html")]
struct CasePage {
    crime_reference: String,
    offence: &'static str,
    borough: String,
    phase: &'static str,
    phase_since: String,
    outcome: Option<&'static str>,
    officer: String,
    victims: usize,
    suspects: Vec<(String, &'static str)>,
    hearings: Vec<(String, &'static str, String)>,
    timeline: Vec<(String, &'static str, String)>,
    /// Victim (by position, never by name), rule, due date, status, explanation.
    obligations: Vec<(usize, String, String, String, String)>,
    /// Victim (by position), what it tells of, status, channel, tries, last news of it.
    messages: Vec<(usize, String, String, String, i32, String)>,
}

fn suspect_status(s: SuspectStatus) -> &'static str {
    match s {
        SuspectStatus::Arrested => "Arrested",
        SuspectStatus::Interviewed => "Interviewed",
        SuspectStatus::OnBail => "On bail",
        SuspectStatus::UnderInvestigation => "Released while the investigation continues",
        SuspectStatus::AwaitingChargeDecision => "Waiting for a charging decision",
        SuspectStatus::Charged => "Charged, waiting for court",
        SuspectStatus::Convicted => "Found guilty, waiting for sentence",
        SuspectStatus::Sentenced => "Sentenced",
        SuspectStatus::NoFurtherAction => "No further action",
        SuspectStatus::NotCharged => "Not charged",
        SuspectStatus::OutOfCourtDisposal => "Dealt with out of court",
        SuspectStatus::ChargesDropped => "Charges dropped",
        SuspectStatus::Acquitted => "Found not guilty",
    }
}

fn outcome_label(o: domain::projection::Outcome) -> &'static str {
    use domain::projection::Outcome;
    match o {
        Outcome::NotInvestigated => "Not investigated further",
        Outcome::NoFurtherAction => "No further action",
        Outcome::OutOfCourtDisposal => "Dealt with out of court",
        Outcome::NotCharged => "No charge",
        Outcome::ChargesDropped => "Charges dropped",
        Outcome::Acquitted => "Found not guilty",
        Outcome::ClosedByPolice => "Closed by the police",
    }
}

async fn show(State(state): State<AppState>, Path(case_id): Path<String>) -> Response {
    let Ok(case_id) = case_id.parse::<i64>() else {
        return not_found_page("There is no case at this address.");
    };
    let case = match state.db.case_by_id(case_id).await {
        Ok(Some(case)) => case,
        Ok(None) => return not_found_page("There is no case at this address."),
        Err(e) => {
            tracing::error!(error = %e, "case page failed");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "This case is not available right now.",
            )
                .into_response();
        }
    };
    let obligations = match state.db.obligations_of_case(case.case_id).await {
        Ok(o) => o,
        Err(e) => {
            tracing::error!(error = %e, "obligations of a case failed");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "This case is not available right now.",
            )
                .into_response();
        }
    };
    let messages = match state
        .db
        .messages_by_reference(&case.state.crime_reference, None)
        .await
    {
        Ok(m) => m.unwrap_or_default(),
        Err(e) => {
            tracing::error!(error = %e, "messages of a case failed");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "This case is not available right now.",
            )
                .into_response();
        }
    };
    let s = &case.state;
    CasePage {
        messages: messages
            .into_iter()
            .map(|m| {
                let victim = case
                    .victims
                    .iter()
                    .position(|v| v.record.victim_ref.as_str() == m.victim)
                    .map_or(0, |i| i + 1);
                let last = m.delivered_at.or(m.sent_at).unwrap_or(m.created_at);
                (
                    victim,
                    m.kind.replace('_', " "),
                    m.status.replace('_', " "),
                    m.channel.unwrap_or_else(|| "not chosen yet".into()),
                    m.attempts,
                    local_date(last),
                )
            })
            .collect(),
        obligations: obligations
            .into_iter()
            .map(|o| {
                let victim = case
                    .victims
                    .iter()
                    .position(|v| v.victim_id == o.victim_id)
                    .map_or(0, |i| i + 1);
                (
                    victim,
                    o.rule_id,
                    o.due_on.format("%a %-d %b %Y").to_string(),
                    o.status.replace('_', " "),
                    o.explanation,
                )
            })
            .collect(),
        crime_reference: s.crime_reference.to_string(),
        offence: offence_label(s.offence),
        borough: s.borough.clone().unwrap_or_else(|| "Not yet known".into()),
        phase: s.phase.label(),
        phase_since: local_date(s.phase_since),
        outcome: s.outcome.map(outcome_label),
        officer: s.officer.as_ref().map_or_else(
            || "Not yet known".into(),
            |o| match &o.team {
                Some(team) => format!("{} ({team})", o.name),
                None => o.name.to_string(),
            },
        ),
        victims: case.victims.len(),
        suspects: s
            .suspects
            .iter()
            .map(|(r, st)| (r.to_string(), suspect_status(st.status)))
            .collect(),
        hearings: s
            .hearings
            .iter()
            .map(|h| {
                (
                    local_time(h.hearing.starts_at),
                    h.hearing.kind.label(),
                    h.hearing.court.to_string(),
                )
            })
            .collect(),
        timeline: case
            .events
            .iter()
            .map(|e| {
                (
                    local_time(e.event.occurred_at),
                    e.event.event_type().label(),
                    e.event.source.as_str().to_owned(),
                )
            })
            .collect(),
    }
    .into_response()
}
