//! Phone self-service: webhooks in the conventions of TwiML (the most used programmable
//! telephony API). The caller types their crime reference and their PIN, hears the status of
//! their case in the same words as their own page, and can ask for a call back or be put
//! through to the helpline. Wrong PINs count toward the same lockout as the portal's.
//!
//! Every request must carry the platform's signature (`X-Twilio-Signature`: HMAC-SHA1 of the
//! URL and the posted fields under the account's auth token); without a token configured the
//! menu is off. The URLs we hand back carry the case and victim, and are trusted only because
//! the platform signs them on the way back.

use crate::AppState;
use crate::i18n::{Lang, Texts};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine;
use chrono::Utc;
use hmac13::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use store::{AuditEntry, PinCheck};

/// Wrong PINs in one call before the caller is put through to a person.
const TRIES: u32 = 3;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ivr/voice", post(voice))
        .route("/ivr/reference", post(reference))
        .route("/ivr/pin", post(pin))
        .route("/ivr/menu", post(menu))
}

/// A TwiML document, and the voice its words are spoken in.
struct TwiML(String, String);

impl TwiML {
    fn new() -> Self {
        Self::in_voice("en-GB")
    }

    fn in_voice(voice: &str) -> Self {
        Self(
            String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"),
            voice.to_owned(),
        )
    }

    fn say(mut self, text: &str) -> Self {
        self.0
            .push_str(&format!("<Say language=\"{}\">", escape(&self.1)));
        self.0.push_str(&escape(text));
        self.0.push_str("</Say>");
        self
    }

    /// Collects digits ended by `#`, then posts them to `action`, saying `prompt` meanwhile.
    fn gather(mut self, action: &str, prompt: &str) -> Self {
        self.0.push_str(&format!(
            "<Gather input=\"dtmf\" finishOnKey=\"#\" timeout=\"10\" action=\"{}\" method=\"POST\">",
            escape(action)
        ));
        self = self.say(prompt);
        self.0.push_str("</Gather>");
        self
    }

    fn gather_one(mut self, action: &str, prompt: &str) -> Self {
        self.0.push_str(&format!(
            "<Gather input=\"dtmf\" numDigits=\"1\" timeout=\"10\" action=\"{}\" method=\"POST\">",
            escape(action)
        ));
        self = self.say(prompt);
        self.0.push_str("</Gather>");
        self
    }

    /// Puts the caller into the helpline's queue.
    fn enqueue(mut self) -> Self {
        self.0.push_str("<Enqueue>helpline</Enqueue>");
        self
    }

    fn hangup(mut self) -> Self {
        self.0.push_str("<Hangup/>");
        self
    }
}

impl IntoResponse for TwiML {
    fn into_response(mut self) -> Response {
        self.0.push_str("</Response>");
        ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], self.0).into_response()
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// The posted fields, if the request is signed by the platform; `None` answers 403.
fn signed(
    state: &AppState,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Option<Vec<(String, String)>> {
    let token = state.config.ivr_auth_token.as_deref()?;
    let given = headers.get("x-twilio-signature")?.to_str().ok()?;
    let fields: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let expected = signed_bytes(&format!("{}{uri}", state.config.public_url), &fields);
    let given = base64::engine::general_purpose::STANDARD
        .decode(given)
        .ok()?;
    // The MAC's own check takes the same time wherever the bytes differ.
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(token.as_bytes()).ok()?;
    mac.update(&expected);
    mac.verify_slice(&given).is_ok().then_some(fields)
}

/// What the platform signs: the full URL, then each posted field's name and value, sorted
/// by name.
fn signed_bytes(url: &str, fields: &[(String, String)]) -> Vec<u8> {
    let mut sorted: Vec<&(String, String)> = fields.iter().collect();
    sorted.sort();
    let mut data = url.as_bytes().to_vec();
    for (k, v) in sorted {
        data.extend_from_slice(k.as_bytes());
        data.extend_from_slice(v.as_bytes());
    }
    data
}

/// The platform's signature of a request, base64: what a test (or the platform) sends.
pub fn signature(token: &str, url: &str, fields: &[(String, String)]) -> String {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(token.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(&signed_bytes(url, fields));
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn query(uri: &Uri, name: &str) -> Option<String> {
    form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The words and voice for a victim known by their PIN: their own language where the
/// platform has a voice for it (`[telephony] voices`), else English.
fn speaking(state: &AppState, record: &domain::victim::VictimRecord) -> (Texts, String) {
    if let Some(lang) = Lang::parse(record.language.as_str())
        && let Some(voice) = state.config.ivr_voices.get(lang.code())
    {
        return (Texts::new(lang), voice.clone());
    }
    (t(), "en-GB".to_owned())
}

fn t() -> Texts {
    Texts::new(Lang::EnGb)
}

async fn voice(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if signed(&state, &uri, &headers, &body).is_none() {
        return StatusCode::FORBIDDEN.into_response();
    }
    let t = t();
    TwiML::new()
        .say(&t.get("ivr-welcome"))
        .gather("/ivr/reference", &t.get("ivr-ask-reference"))
        .say(&t.get("ivr-goodbye"))
        .hangup()
        .into_response()
}

/// "123456726" typed on the keypad: the reference 1234567/26.
fn typed_reference(digits: &str) -> Option<domain::CrimeReference> {
    let digits = digits.trim().trim_end_matches('#');
    if digits.len() != 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    domain::CrimeReference::parse(&format!("{}/{}", &digits[..7], &digits[7..])).ok()
}

async fn reference(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(fields) = signed(&state, &uri, &headers, &body) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let t = t();
    let Some(reference) = field(&fields, "Digits").and_then(typed_reference) else {
        return TwiML::new()
            .say(&t.get("ivr-bad-reference"))
            .gather("/ivr/reference", &t.get("ivr-ask-reference"))
            .hangup()
            .into_response();
    };
    // Whether the case exists is not said: the PIN is asked for all the same.
    let digits: String = reference
        .as_str()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    TwiML::new()
        .gather(
            &format!("/ivr/pin?ref={digits}&tries=0"),
            &t.get("ivr-ask-pin"),
        )
        .enqueue()
        .into_response()
}

async fn pin(State(state): State<AppState>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let Some(fields) = signed(&state, &uri, &headers, &body) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let t = t();
    let Some(reference) = query(&uri, "ref").as_deref().and_then(typed_reference) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let tries: u32 = query(&uri, "tries")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let typed = field(&fields, "Digits")
        .unwrap_or_default()
        .trim_end_matches('#');
    if typed.is_empty() {
        return TwiML::new()
            .say(&t.get("ivr-no-pin"))
            .enqueue()
            .into_response();
    }
    let now = Utc::now();
    let case = match state.db.case_by_reference(&reference).await {
        Ok(c) => c,
        Err(e) => return unavailable(&e),
    };
    let (check, victim) = match &case {
        Some(c) => match state.db.victim_by_pin(c.case_id, typed, now).await {
            Ok(found) => found,
            Err(e) => return unavailable(&e),
        },
        // An unknown case is answered exactly like a wrong PIN, and as slowly: a PIN is
        // hashed all the same.
        None => match state.db.victim_by_pin(-1, typed, now).await {
            Ok(_) => (PinCheck::Wrong, None),
            Err(e) => return unavailable(&e),
        },
    };
    let audit = AuditEntry {
        actor: "ivr".into(),
        action: "phone menu PIN".into(),
        case_id: case.as_ref().map(|c| c.case_id),
        victim_id: victim,
        detail: format!("{check:?}").to_lowercase(),
        ..AuditEntry::default()
    };
    if let Err(e) = state.db.audit(&audit, now).await {
        return unavailable(&e);
    }
    match (check, case, victim) {
        (PinCheck::Right, Some(case), Some(victim_id)) => {
            status_and_menu(&state, &case, victim_id, &reference).await
        }
        (PinCheck::Locked, ..) => TwiML::new()
            .say(&t.get("ivr-locked"))
            .enqueue()
            .into_response(),
        _ if tries + 1 >= TRIES => TwiML::new()
            .say(&t.get("ivr-no-pin"))
            .enqueue()
            .into_response(),
        _ => {
            let digits: String = reference
                .as_str()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            TwiML::new()
                .say(&t.get("ivr-wrong-pin"))
                .gather(
                    &format!("/ivr/pin?ref={digits}&tries={}", tries + 1),
                    &t.get("ivr-ask-pin"),
                )
                .enqueue()
                .into_response()
        }
    }
}

/// The status, read out, then the menu.
async fn status_and_menu(
    state: &AppState,
    case: &store::CaseDetail,
    victim_id: i64,
    reference: &domain::CrimeReference,
) -> Response {
    let Some(victim) = case.victims.iter().find(|v| v.victim_id == victim_id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (t, voice) = speaking(state, &victim.record);
    let obligations = match state
        .db
        .obligations_of_victim(case.case_id, victim_id)
        .await
    {
        Ok(o) => o,
        Err(e) => return unavailable(&e),
    };
    let audit = AuditEntry {
        actor: "ivr".into(),
        action: "phone menu status".into(),
        case_id: Some(case.case_id),
        victim_id: Some(victim_id),
        detail: "read to the caller after their PIN".into(),
        ..AuditEntry::default()
    };
    if let Err(e) = state.db.audit(&audit, Utc::now()).await {
        return unavailable(&e);
    }
    let status = crate::status::status_from_obligations(
        t,
        case,
        victim.record.victim_ref.as_str(),
        &obligations,
    );
    let digits: String = reference
        .as_str()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    TwiML::in_voice(&voice)
        .say(&t.with("ivr-stage", &[("stage", status.stage.clone().into())]))
        .say(&status.stage_summary)
        .say(&status.next_update)
        .gather_one(
            &format!("/ivr/menu?ref={digits}&victim={victim_id}"),
            &t.get("ivr-menu"),
        )
        .say(&t.get("ivr-goodbye"))
        .hangup()
        .into_response()
}

async fn menu(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(fields) = signed(&state, &uri, &headers, &body) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let (Some(reference), Some(victim_id)) = (
        query(&uri, "ref").as_deref().and_then(typed_reference),
        query(&uri, "victim").and_then(|v| v.parse::<i64>().ok()),
    ) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let case = match state.db.case_by_reference(&reference).await {
        Ok(Some(c)) if c.victims.iter().any(|v| v.victim_id == victim_id) => c,
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return unavailable(&e),
    };
    let (t, voice) = case
        .victims
        .iter()
        .find(|v| v.victim_id == victim_id)
        .map_or_else(
            || (t(), "en-GB".to_owned()),
            |v| speaking(&state, &v.record),
        );
    match field(&fields, "Digits") {
        Some("1") => {
            let now = Utc::now();
            if let Err(e) = state
                .db
                .request_callback(
                    case.case_id,
                    victim_id,
                    Some("asked on the phone menu"),
                    now,
                )
                .await
            {
                return unavailable(&e);
            }
            let audit = AuditEntry {
                actor: "ivr".into(),
                action: "call back asked".into(),
                case_id: Some(case.case_id),
                victim_id: Some(victim_id),
                detail: "from the phone menu".into(),
                ..AuditEntry::default()
            };
            if let Err(e) = state.db.audit(&audit, now).await {
                return unavailable(&e);
            }
            TwiML::in_voice(&voice)
                .say(&t.get("ivr-callback"))
                .hangup()
                .into_response()
        }
        Some("2") => TwiML::in_voice(&voice)
            .say(&t.get("ivr-connecting"))
            .enqueue()
            .into_response(),
        _ => status_and_menu(&state, &case, victim_id, &reference).await,
    }
}

fn unavailable(e: &store::StoreError) -> Response {
    tracing::error!(error = %e, "phone menu request failed");
    StatusCode::SERVICE_UNAVAILABLE.into_response()
}
