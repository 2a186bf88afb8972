//! A small server that speaks GOV.UK Notify's API as far as victimcare uses it: JWT checks,
//! text and email sends, its error answers, the search by `reference`, and delivery receipts
//! posted back to us. Like Notify, it sends a second message with a reference it has seen:
//! it only counts them, so a test can prove there were none.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

pub const SERVICE_ID: &str = "26785a09-ab16-4eb0-8407-a37497a57506";
pub const SECRET: &str = "3d844edf-8d35-48ac-975b-e847b4f122b0";
/// A phone number the fake refuses as not valid.
pub const BAD_NUMBER: &str = "+447700900999";
/// A postcode the fake refuses as not real.
pub const BAD_POSTCODE: &str = "ZZ99 9ZZ";

pub fn api_key() -> String {
    format!("victimcare_test-{SERVICE_ID}-{SECRET}")
}

#[derive(Default)]
pub struct Fake {
    /// Every notification accepted, once each.
    pub accepted: Mutex<Vec<Value>>,
    by_reference: Mutex<HashMap<String, String>>,
    /// Sends that reused a reference already accepted: a victim got the message twice.
    pub resends: AtomicUsize,
    /// Searches by reference that found a message: an earlier try had reached us, so the
    /// worker did not send it again.
    pub found_before: AtomicUsize,
    /// Answer this many sends with a 500 first.
    pub fail_next: AtomicUsize,
    /// Where to post receipts, with the token.
    pub callback: Mutex<Option<(String, String)>>,
    /// How long to take over each answer, after taking the message (a slow provider).
    pub delay_ms: std::sync::atomic::AtomicU64,
}

pub struct FakeNotify {
    pub url: String,
    pub state: Arc<Fake>,
}

pub async fn start() -> FakeNotify {
    let state = Arc::new(Fake::default());
    let app = axum::Router::new()
        .route("/v2/notifications", axum::routing::get(search))
        .route("/v2/notifications/sms", post(send))
        .route("/v2/notifications/email", post(send))
        .route("/v2/notifications/letter", post(send))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    FakeNotify { url, state }
}

fn error(status: StatusCode, kind: &str, message: &str) -> (StatusCode, Json<Value>) {
    (
        status,
        Json(json!({"status_code": status.as_u16(),
                    "errors": [{"error": kind, "message": message}]})),
    )
}

fn authorised(headers: &HeaderMap) -> bool {
    let Some(token) = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    let key = jsonwebtoken::DecodingKey::from_secret(SECRET.as_bytes()).unwrap();
    let Ok(data) = jsonwebtoken::decode::<Value>(token, &key, &validation) else {
        return false;
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let fresh = data.claims["iat"]
        .as_u64()
        .is_some_and(|iat| now.abs_diff(iat) <= 30);
    data.claims["iss"] == SERVICE_ID && fresh
}

async fn send(
    State(fake): State<Arc<Fake>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    if !authorised(&headers) {
        return error(StatusCode::FORBIDDEN, "AuthError", "Invalid token");
    }
    if fake
        .fail_next
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Exception",
            "Internal server error",
        );
    }
    if body["template_id"] == "letter-template"
        && body["personalisation"]["address_line_3"].is_null()
    {
        return error(
            StatusCode::BAD_REQUEST,
            "ValidationError",
            "address_line_3 is required",
        );
    }
    let postcode_refused =
        (1..=7).any(|i| body["personalisation"][format!("address_line_{i}")] == BAD_POSTCODE);
    if postcode_refused {
        return error(
            StatusCode::BAD_REQUEST,
            "ValidationError",
            "postcode Must be a real UK postcode",
        );
    }
    if body["phone_number"] == BAD_NUMBER {
        return error(
            StatusCode::BAD_REQUEST,
            "ValidationError",
            "phone_number Not a UK mobile number",
        );
    }
    let reference = body["reference"].as_str().unwrap_or_default().to_owned();
    let id = {
        let mut known = fake.by_reference.lock().unwrap();
        if known.contains_key(&reference) {
            fake.resends.fetch_add(1, Ordering::SeqCst);
        }
        let id = format!("notify-{}", fake.accepted.lock().unwrap().len() + 1);
        known.insert(reference.clone(), id.clone());
        id
    };
    fake.accepted.lock().unwrap().push(body.clone());
    let delay = fake.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
    }
    let callback = fake.callback.lock().unwrap().clone();
    if let Some((url, token)) = callback {
        let receipt = json!({"id": id, "reference": reference, "status": "delivered",
                             "notification_type": if body.get("phone_number").is_some() { "sms" } else { "email" }});
        tokio::spawn(async move {
            let _ = reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .json(&receipt)
                .send()
                .await;
        });
    }
    (
        StatusCode::CREATED,
        Json(json!({"id": id, "reference": reference})),
    )
}

#[derive(serde::Deserialize)]
struct Search {
    reference: Option<String>,
}

/// `GET /v2/notifications?reference=…`: what was sent under a reference.
async fn search(
    State(fake): State<Arc<Fake>>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<Search>,
) -> (StatusCode, Json<Value>) {
    if !authorised(&headers) {
        return error(StatusCode::FORBIDDEN, "AuthError", "Invalid token");
    }
    let known = fake.by_reference.lock().unwrap();
    let found: Vec<Value> = q
        .reference
        .and_then(|r| known.get(&r).map(|id| json!({"id": id, "reference": r})))
        .into_iter()
        .collect();
    if !found.is_empty() {
        fake.found_before.fetch_add(1, Ordering::SeqCst);
    }
    (StatusCode::OK, Json(json!({"notifications": found})))
}
