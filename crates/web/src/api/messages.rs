//! What we have told victims: every message of a case with its channel, template, language,
//! status and times; and the state of the outbox (how much waits, since when, what is held).

use super::auth::ApiCaller;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use domain::Problem;
use serde::{Deserialize, Serialize};
use store::{MessageHold, MessageStep, MessageView};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct MessageQuery {
    /// The case's crime reference.
    crime_reference: Option<String>,
    /// Only this victim's messages (their reference).
    victim: Option<String>,
}

#[derive(Serialize)]
struct MessageWithHistory {
    #[serde(flatten)]
    message: MessageView,
    /// Every status it took, oldest first.
    history: Vec<MessageStep>,
}

#[derive(Serialize, ToSchema)]
pub struct MessageList {
    #[schema(value_type = Vec<Object>)]
    messages: Vec<MessageWithHistory>,
}

/// Every message of a case, oldest first: kind (the event it tells of), status (`queued`,
/// `sending`, `sent`, `delivered`, `person` when handed to a person, `held`, `discarded`),
/// channel, template version, language, tries and what went wrong, with its history.
#[utoipa::path(
    get,
    path = "/api/v1/messages",
    tag = "messages",
    params(MessageQuery),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The case's messages", body = MessageList),
        (status = 404, description = "No case has this crime reference"),
        (status = 422, description = "A parameter is missing or malformed"),
    )
)]
pub async fn get_messages(
    State(state): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    Query(q): Query<MessageQuery>,
) -> Result<Json<MessageList>, ApiError> {
    let mut problems = Vec::new();
    let reference = match q.crime_reference.as_deref() {
        None => {
            problems.push(Problem::new("crime_reference", "is required"));
            None
        }
        Some(raw) => domain::CrimeReference::parse(raw)
            .map_err(|p| problems.push(Problem::new("crime_reference", p)))
            .ok(),
    };
    let victim = match q.victim.as_deref() {
        None => None,
        Some(raw) => domain::victim::VictimRef::parse(raw)
            .map_err(|p| problems.push(Problem::new("victim", p)))
            .ok(),
    };
    let Some(reference) = reference.filter(|_| problems.is_empty()) else {
        return Err(ApiError::problems(problems));
    };
    let found = state
        .db
        .messages_by_reference(&reference, victim.as_ref())
        .await?
        .ok_or(ApiError::NotFound("case"))?;
    let mut messages = Vec::with_capacity(found.len());
    for message in found {
        let history = state.db.message_history(message.message_id).await?;
        messages.push(MessageWithHistory { message, history });
    }
    Ok(Json(MessageList { messages }))
}

#[derive(Serialize, ToSchema)]
pub struct Outbox {
    /// Messages queued or being sent.
    waiting: i64,
    /// When the longest-waiting of them was due.
    oldest_due_at: Option<DateTime<Utc>>,
    /// Bursts held by the circuit breaker for a supervisor.
    #[schema(value_type = Vec<Object>)]
    held: Vec<MessageHold>,
}

/// The outbox at a glance: for the people (and the monitoring) who keep messages flowing.
#[utoipa::path(
    get,
    path = "/api/v1/outbox",
    tag = "messages",
    security(("api_key" = [])),
    responses((status = 200, description = "The outbox", body = Outbox))
)]
pub async fn get_outbox(
    State(state): State<AppState>,
    ApiCaller(_caller): ApiCaller,
) -> Result<Json<Outbox>, ApiError> {
    let (waiting, oldest_due_at) = state.db.message_queue().await?;
    let held = state.db.message_holds(false).await?;
    Ok(Json(Outbox {
        waiting,
        oldest_due_at,
        held,
    }))
}
