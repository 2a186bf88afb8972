//! `POST /api/v1/events`: a batch of case events from the crime recording system.

use super::ApiCaller;
use crate::{ApiError, AppState};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, header};
use chrono::Utc;
use domain::ingest::{BatchProblem, MAX_BATCH, parse_batch};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use store::{Db, IngestOutcome};
use utoipa::ToSchema;

/// Answers with at most this many problems: enough to fix a batch, not a flood.
const MAX_PROBLEMS: usize = 1000;

/// A batch of events, at most 10,000.
#[derive(Deserialize, ToSchema)]
#[schema(as = EventBatch)]
#[allow(dead_code)] // documents the body, which is read lazily below
struct EventBatchDoc {
    events: Vec<EventDoc>,
}

/// One event of a case, in the same shape everywhere victimcare reads or writes events.
#[derive(Deserialize, ToSchema)]
#[schema(as = Event)]
#[allow(dead_code)]
struct EventDoc {
    /// The sending system's name (letters, digits, `-`, `_`, `.`).
    #[schema(example = "cris")]
    source: String,
    /// The sending system's own id for this event. With `source`, it makes a resend a no-op.
    #[schema(example = "E-1029384")]
    id: String,
    /// The kind of event; its payload's fields depend on it. One of: reported,
    /// not_investigated, arrested, interviewed_under_caution, released_no_further_action,
    /// released_on_bail, bail_varied, bail_cancelled, released_under_investigation,
    /// referred_to_cps, charged, out_of_court_disposal, police_no_charge, cps_no_charge,
    /// cps_charges_dropped_or_altered, hearing_listed, hearing_outcome, not_guilty_plea,
    /// witness_required, verdict, sentenced, appeal_lodged, complaint_received,
    /// review_requested, victim_details_changed, officer_changed, officer_attended,
    /// case_details_changed, case_closed, case_reopened.
    #[serde(rename = "type")]
    #[schema(example = "arrested")]
    event_type: String,
    /// Seven digits, a slash and a two-digit year.
    #[schema(example = "1234567/26")]
    crime_reference: String,
    /// When it happened (RFC 3339). Events are applied in this order, whatever order they arrive in.
    #[schema(example = "2026-03-13T10:15:00Z")]
    occurred_at: String,
    /// When the force learnt of it, if later (RFC 3339). Code deadlines run from here.
    received_at: Option<String>,
    /// The facts of the event. For `reported`: offence, borough, officer, victims.
    #[schema(value_type = Object, example = json!({"suspect": "S1"}))]
    payload: Option<serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
pub struct IngestResult {
    /// Events stored for the first time.
    accepted: u64,
    /// Events already held (same source and id); they changed nothing.
    duplicates: u64,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
struct ProblemDoc {
    /// The event's position in the batch, from 0; null for a problem with the batch itself.
    index: Option<usize>,
    /// The field, as a path (`payload.victims[0].date_of_birth`).
    field: String,
    /// What is wrong, in plain words.
    problem: String,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
struct ErrorDoc {
    error: String,
    /// For malformed JSON: where the parser stopped.
    line: Option<usize>,
    column: Option<usize>,
    /// For invalid events: every problem found.
    errors: Option<Vec<ProblemDoc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Batch<'a> {
    #[serde(borrow)]
    events: Vec<&'a RawValue>,
}

/// The API's whole ingest path after authentication: read the body, check every event, store
/// the batch. Reading and checking run on a blocking thread (10,000 events take a while) so the
/// server keeps answering other requests meanwhile. `victimcare bench ingest` measures this.
pub async fn ingest_body(db: &Db, body: Bytes) -> Result<IngestOutcome, ApiError> {
    let now = Utc::now();
    let events = tokio::task::spawn_blocking(move || check_body(&body, now))
        .await
        .map_err(|e| ApiError::Internal(format!("checking the batch failed: {e}")))??;
    db.ingest(&events, now).await.map_err(|e| match e {
        store::StoreError::ConflictingResend { indexes } => ApiError::Invalid(
            indexes
                .into_iter()
                .map(|i| BatchProblem {
                    index: Some(i),
                    field: "id".into(),
                    problem: RESENT_DIFFERENT.into(),
                })
                .collect(),
        ),
        other => ApiError::Store(other),
    })
}

/// Said of an event whose (source, id) is known with other content.
pub const RESENT_DIFFERENT: &str = "was sent before with different content: an event cannot be \
    changed once sent, so a correction needs a new id";

fn check_body(body: &[u8], now: chrono::DateTime<Utc>) -> Result<Vec<domain::Event>, ApiError> {
    let batch: Batch = serde_json::from_slice(body).map_err(|e| {
        if e.is_data() {
            ApiError::Invalid(vec![BatchProblem {
                index: None,
                field: "events".into(),
                problem: format!(
                    "the body must be an object with one field, `events`, a list of events ({})",
                    e.to_string().split(" at line ").next().unwrap_or_default()
                ),
            }])
        } else {
            ApiError::MalformedJson {
                message: format!("the body is not valid JSON: {e}"),
                line: e.line(),
                column: e.column(),
            }
        }
    })?;
    if batch.events.len() > MAX_BATCH {
        return Err(ApiError::Invalid(vec![BatchProblem {
            index: None,
            field: "events".into(),
            problem: format!(
                "a batch may hold at most {MAX_BATCH} events; this one has {}. Send it in parts",
                batch.events.len()
            ),
        }]));
    }
    parse_batch(&batch.events, now, MAX_PROBLEMS).map_err(ApiError::Invalid)
}

/// Store a batch of case events.
///
/// All or nothing: if any event is invalid, nothing is written and every problem is listed.
/// Resending events already held changes nothing and is counted in `duplicates`. A case or
/// victim first seen here is created from the `reported` event.
#[utoipa::path(
    post,
    path = "/api/v1/events",
    tag = "events",
    request_body = EventBatchDoc,
    security(("api_key" = [])),
    responses(
        (status = 200, description = "Stored", body = IngestResult),
        (status = 400, description = "The body is not valid JSON", body = ErrorDoc),
        (status = 401, description = "Missing, unknown or revoked API key", body = ErrorDoc),
        (status = 413, description = "The body is too large", body = ErrorDoc),
        (status = 415, description = "The body is not JSON", body = ErrorDoc),
        (status = 422, description = "Some events are invalid; nothing was written", body = ErrorDoc),
    )
)]
pub async fn post_events(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<IngestResult>, ApiError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge {
                limit: state.config.max_ingest_body,
            }
        } else {
            ApiError::UnreadableBody(rejection.body_text())
        }
    })?;
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("application/json"));
    if !json_type {
        return Err(ApiError::UnsupportedMediaType);
    }
    let outcome = ingest_body(&state.db, body).await?;
    tracing::info!(
        api_key_id = caller.api_key_id,
        accepted = outcome.accepted,
        duplicates = outcome.duplicates,
        "events ingested"
    );
    Ok(Json(IngestResult {
        accepted: outcome.accepted,
        duplicates: outcome.duplicates,
    }))
}
