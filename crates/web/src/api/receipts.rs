//! Delivery receipts from the Notify-compatible provider: whether a text or email we handed
//! over reached the victim. Authenticated by the bearer token set in the provider's callback
//! settings (`[notify] callback_token`).

use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header::AUTHORIZATION};
use chrono::Utc;
use domain::contact::ContactChannel;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use store::Receipt;

/// The fields of Notify's receipt we use; it sends more.
#[derive(Deserialize)]
pub struct DeliveryReceipt {
    /// The provider's id for the notification.
    id: String,
    /// Ours, as we sent it: `victimcare-message-{id}`.
    reference: Option<String>,
    status: String,
    /// `sms`, `email` or `letter`.
    notification_type: Option<String>,
}

/// Equal secrets, compared in a time that does not depend on where they differ.
fn same_secret(given: &str, expected: &str) -> bool {
    Sha256::digest(given.as_bytes()) == Sha256::digest(expected.as_bytes())
}

pub async fn post_receipt(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<StatusCode, ApiError> {
    let expected = state
        .config
        .notify_callback_token
        .as_deref()
        .ok_or(ApiError::Unauthorized)?;
    let given = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(ApiError::Unauthorized)?;
    if !same_secret(given.trim(), expected) {
        return Err(ApiError::Unauthorized);
    }
    let Json(receipt): Json<DeliveryReceipt> =
        Json::from_bytes(&body).map_err(|e| ApiError::UnreadableBody(e.body_text()))?;
    let message_id = receipt
        .reference
        .as_deref()
        .and_then(|r| r.strip_prefix("victimcare-message-"))
        .and_then(|id| id.parse::<i64>().ok())
        .ok_or(ApiError::NotFound("message"))?;
    let outcome = match receipt.status.as_str() {
        "delivered" => Receipt::Delivered,
        "permanent-failure" => Receipt::Failed,
        "temporary-failure" | "technical-failure" => Receipt::TryAgain,
        // Still on its way (`sending`, `created`): nothing to record yet.
        _ => return Ok(StatusCode::NO_CONTENT),
    };
    let channel = receipt
        .notification_type
        .as_deref()
        .and_then(ContactChannel::parse)
        .unwrap_or(ContactChannel::Email);
    if state
        .db
        .message_receipt(message_id, &receipt.id, outcome, channel, Utc::now())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("message waiting for a receipt"))
    }
}
