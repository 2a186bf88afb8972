//! The telephony platform's side of the helpline: an incoming call (screen-pop) and how each
//! call ended (for the capacity figures). The caller's number is used only to find matching
//! victims through the lookup digest; only the digest is kept.

use super::TelephonyCaller;
use crate::{ApiError, AppState};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use domain::Problem;
use serde::{Deserialize, Serialize};
use store::CallEnd;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncomingCall {
    /// The platform's id for the call.
    call_id: Option<String>,
    /// The caller's number as the platform gives it (withheld: absent).
    caller: Option<String>,
    /// The sign-in name of the agent the call is being put through to.
    agent: Option<String>,
    /// The queue the call came in on.
    queue: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Match {
    crime_reference: String,
    victim: String,
}

#[derive(Serialize, ToSchema)]
pub struct ScreenPop {
    telephony_call_id: i64,
    /// Victims whose phone number is the caller's: references only, never names.
    matches: Vec<Match>,
    /// The console page to show the agent.
    screen_url: String,
}

fn id_field(problems: &mut Vec<Problem>, name: &str, value: Option<&str>) -> Option<String> {
    match value.map(str::trim) {
        None | Some("") => {
            problems.push(Problem::new(name, "is required"));
            None
        }
        Some(v) => match domain::text::identifier(v, "-_.:") {
            Ok(v) => Some(v.to_owned()),
            Err(e) => {
                problems.push(Problem::new(name, e));
                None
            }
        },
    }
}

/// An incoming call: records it and answers with the victims who match the caller's number.
#[utoipa::path(
    post,
    path = "/api/v1/telephony/calls",
    tag = "telephony",
    request_body = IncomingCall,
    security(("api_key" = [])),
    responses(
        (status = 200, description = "Recorded (a resend finds the same call)", body = ScreenPop),
        (status = 401, description = "Missing, unknown or revoked API key"),
        (status = 422, description = "Not recorded: every problem is listed"),
    )
)]
pub async fn post_call(
    State(state): State<AppState>,
    TelephonyCaller(caller): TelephonyCaller,
    body: Bytes,
) -> Result<Json<ScreenPop>, ApiError> {
    let call: IncomingCall = super::read_json(&body)?;
    let mut problems = Vec::new();
    let call_id = id_field(&mut problems, "call_id", call.call_id.as_deref());
    let queue = call
        .queue
        .as_deref()
        .map_or(Some("helpline".to_owned()), |q| {
            id_field(&mut problems, "queue", Some(q))
        });
    let agent = match call.agent.as_deref() {
        None => None,
        Some(a) => match domain::staff::Username::parse(a) {
            Ok(a) => Some(a.as_str().to_owned()),
            Err(e) => {
                problems.push(Problem::new("agent", e));
                None
            }
        },
    };
    // A number we cannot read is treated as withheld: the call still counts.
    let digest = call
        .caller
        .as_deref()
        .and_then(|c| domain::victim::Phone::parse(c).ok())
        .map(|p| state.db.lookup().phone(&p));
    let (Some(call_id), Some(queue), true) = (call_id, queue, problems.is_empty()) else {
        return Err(ApiError::problems(problems));
    };
    let id = state
        .db
        .record_incoming_call(&call_id, &queue, digest, agent.as_deref(), Utc::now())
        .await?;
    let matches = match digest {
        Some(d) => state.db.victims_by_phone_digest(d).await?,
        None => Vec::new(),
    };
    // A lookup by phone number, made by a system: recorded like a search by staff.
    let entry = store::AuditEntry {
        actor: format!("api key {}", caller.api_key_id),
        action: "screen-pop lookup".into(),
        detail: format!("call {id}: {} matches", matches.len()),
        ..store::AuditEntry::default()
    };
    state.db.audit(&entry, Utc::now()).await?;
    Ok(Json(ScreenPop {
        telephony_call_id: id,
        matches: matches
            .into_iter()
            .map(|h| Match {
                crime_reference: h.crime_reference,
                victim: h.victim_ref,
            })
            .collect(),
        screen_url: format!("/console/screen-pop/{id}"),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallEnded {
    /// `answered` or `abandoned`.
    outcome: Option<String>,
    wait_seconds: Option<i64>,
    talk_seconds: Option<i64>,
    wrap_seconds: Option<i64>,
    /// RFC 3339; absent: now.
    ended_at: Option<String>,
}

/// How a call ended.
#[utoipa::path(
    post,
    path = "/api/v1/telephony/calls/{call_id}/end",
    tag = "telephony",
    request_body = CallEnded,
    params(("call_id" = String, Path, description = "The platform's id for the call")),
    security(("api_key" = [])),
    responses(
        (status = 204, description = "Recorded"),
        (status = 404, description = "No call with this id"),
        (status = 422, description = "Not recorded: every problem is listed"),
    )
)]
pub async fn post_call_end(
    State(state): State<AppState>,
    TelephonyCaller(_caller): TelephonyCaller,
    Path(call_id): Path<String>,
    body: Bytes,
) -> Result<axum::http::StatusCode, ApiError> {
    let end: CallEnded = super::read_json(&body)?;
    let mut problems = Vec::new();
    let outcome = match end.outcome.as_deref() {
        Some(o @ ("answered" | "abandoned")) => Some(o.to_owned()),
        Some(_) => {
            problems.push(Problem::new("outcome", "must be answered or abandoned"));
            None
        }
        None => {
            problems.push(Problem::new("outcome", "is required"));
            None
        }
    };
    let mut seconds = |name: &str, v: Option<i64>| match v {
        None => None,
        Some(n) if (0..=86_400).contains(&n) => i32::try_from(n).ok(),
        Some(_) => {
            problems.push(Problem::new(name, "must be 0 to 86400 seconds"));
            None
        }
    };
    let wait = seconds("wait_seconds", end.wait_seconds);
    let talk = seconds("talk_seconds", end.talk_seconds);
    let wrap = seconds("wrap_seconds", end.wrap_seconds);
    let ended_at = match end.ended_at.as_deref() {
        None => Some(Utc::now()),
        Some(t) => match DateTime::parse_from_rfc3339(t) {
            Ok(t) => Some(t.with_timezone(&Utc)),
            Err(_) => {
                problems.push(Problem::new("ended_at", "must be an RFC 3339 time"));
                None
            }
        },
    };
    let (Some(outcome), Some(ended_at), true) = (outcome, ended_at, problems.is_empty()) else {
        return Err(ApiError::problems(problems));
    };
    let found = state
        .db
        .end_telephony_call(
            &call_id,
            &CallEnd {
                outcome,
                wait_seconds: wait,
                talk_seconds: talk,
                wrap_seconds: wrap,
                ended_at,
            },
        )
        .await?;
    if found {
        Ok(axum::http::StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("call"))
    }
}
