//! What we have told victims: every message of a case with its channel, template, language,
//! status and times; and the state of the outbox (how much waits, since when, what is held).

use super::auth::ApiCaller;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
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
    let (reference, victim) =
        super::case_and_victim(q.crime_reference.as_deref(), q.victim.as_deref())?;
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
    /// Messages by channel and status: what was sent, delivered, failed or handed to a person.
    by_channel: Vec<ChannelCount>,
}

#[derive(Serialize, ToSchema)]
pub struct ChannelCount {
    channel: String,
    status: String,
    count: i64,
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
    let by_channel = state
        .db
        .message_counts()
        .await?
        .into_iter()
        .map(|(channel, status, count)| ChannelCount {
            channel,
            status,
            count,
        })
        .collect();
    Ok(Json(Outbox {
        waiting,
        oldest_due_at,
        held,
        by_channel,
    }))
}

/// The outbox in Prometheus' text format, for monitoring: queue depth, the age of the oldest
/// due message, held bursts, and messages by channel and status. Counts only, nothing
/// personal.
#[utoipa::path(
    get,
    path = "/api/v1/metrics",
    tag = "messages",
    security(("api_key" = [])),
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain"))
)]
pub async fn get_metrics(
    State(state): State<AppState>,
    ApiCaller(_caller): ApiCaller,
) -> Result<([(axum::http::HeaderName, &'static str); 1], String), ApiError> {
    use std::fmt::Write as _;
    let (waiting, oldest) = state.db.message_queue().await?;
    let held = state.db.message_holds(false).await?;
    let age = oldest.map_or(0, |due| (Utc::now() - due).num_seconds().max(0));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP victimcare_outbox_waiting Messages queued or being sent."
    );
    let _ = writeln!(out, "# TYPE victimcare_outbox_waiting gauge");
    let _ = writeln!(out, "victimcare_outbox_waiting {waiting}");
    let _ = writeln!(
        out,
        "# HELP victimcare_outbox_oldest_due_age_seconds How long the longest-waiting message has been due."
    );
    let _ = writeln!(out, "# TYPE victimcare_outbox_oldest_due_age_seconds gauge");
    let _ = writeln!(out, "victimcare_outbox_oldest_due_age_seconds {age}");
    let _ = writeln!(
        out,
        "# HELP victimcare_outbox_held_bursts Bursts held for a supervisor."
    );
    let _ = writeln!(out, "# TYPE victimcare_outbox_held_bursts gauge");
    let _ = writeln!(out, "victimcare_outbox_held_bursts {}", held.len());
    let _ = writeln!(
        out,
        "# HELP victimcare_messages Messages by channel and status."
    );
    let _ = writeln!(out, "# TYPE victimcare_messages gauge");
    for (channel, status, count) in state.db.message_counts().await? {
        let _ = writeln!(
            out,
            "victimcare_messages{{channel=\"{channel}\",status=\"{status}\"}} {count}"
        );
    }
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    ))
}
