//! The victim's private case page. A link (`/p/{token}`) from a letter, text or QR code shows
//! nothing but a question only the victim can answer; the answer exchanges the link for a
//! session cookie, and the case page itself has no token or name in its address.

use crate::AppState;
use crate::client_address::ClientKey;
use crate::i18n::{Lang, Texts};
use crate::leaflet::Chrome;
use ::governor::middleware::NoOpMiddleware;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use store::Verification;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;

/// The session cookie: host-only, HTTPS-only, never sent from another site, unreadable by
/// script.
const COOKIE: &str = "__Host-vc_portal";

/// Answers to a link's question, per client address: a burst of 10, then one every 6 seconds.
/// The database's lockout protects each link; this slows one client guessing across many.
/// Behind a reverse proxy, the client is the one the proxy names ([`ClientKey`]).
pub(crate) fn attempts_limit() -> GovernorLayer<ClientKey, NoOpMiddleware, axum::body::Body> {
    attempts_limit_for(axum::http::Method::POST)
}

/// The same limit on requests of another method.
pub(crate) fn attempts_limit_for(
    method: axum::http::Method,
) -> GovernorLayer<ClientKey, NoOpMiddleware, axum::body::Body> {
    let config = GovernorConfigBuilder::default()
        .key_extractor(ClientKey)
        .per_second(6)
        .burst_size(10)
        .methods(vec![method])
        .finish()
        .expect("a positive period and burst");
    let config = std::sync::Arc::new(config);
    let limiter = config.limiter().clone();
    // Forget addresses that have gone quiet, so the table does not grow for ever.
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                every.tick().await;
                limiter.retain_recent();
            }
        });
    }
    GovernorLayer::new(config)
}

mod contact;
mod feedback;
pub(crate) mod kept;
mod panel;
mod pin;
mod support;
mod survey;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/p/{token}",
            get(verify_form).post(verify).layer(attempts_limit()),
        )
        .route("/my-case", get(my_case))
        .route("/my-case/sign-out", post(sign_out))
        .route("/my-case/callback", post(request_callback))
        .route("/my-case/contact", get(contact::form).post(contact::change))
        .route("/my-case/pin", get(pin::form).post(pin::save))
        .route(
            "/my-case/feedback",
            get(feedback::form).post(feedback::send),
        )
        .route("/my-case/feedback/thanks", get(feedback::thanks))
        .route("/my-case/survey", get(survey::form).post(survey::send))
        .route("/my-case/support", get(support::form).post(support::save))
        .route("/my-case/panel", get(panel::form).post(panel::save))
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/verify.html")]
struct VerifyPage {
    chrome: Chrome,
    action: String,
    error: Option<String>,
}

/// The form is never filled in again with what was typed: on a shared screen, a date of
/// birth left on view is a date of birth given away.
fn verify_page(t: Texts, token: &str, error: Option<String>) -> VerifyPage {
    VerifyPage {
        // The language links keep the visitor on this form; the token is in the path already.
        chrome: Chrome::new(t, format!("/p/{token}"), "portal-verify-title"),
        action: format!("/p/{token}"),
        error,
    }
}

/// Whatever the token, the same form: whether a link is real is never shown before the
/// second factor.
async fn verify_form(
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let (lang, remember) = Lang::choose(q.lang.as_deref(), &headers);
    let page = verify_page(Texts::new(lang), &token, None);
    crate::leaflet::page(page, remember)
}

/// The question's answer: a date of birth, or the PIN the victim chose.
#[derive(Deserialize)]
struct AnswerForm {
    day: Option<String>,
    month: Option<String>,
    year: Option<String>,
    pin: Option<String>,
}

impl AnswerForm {
    fn date(&self) -> Option<NaiveDate> {
        let number = |v: &Option<String>| v.as_deref().and_then(|s| s.trim().parse::<u32>().ok());
        let year = i32::try_from(number(&self.year)?).ok()?;
        NaiveDate::from_ymd_opt(year, number(&self.month)?, number(&self.day)?)
    }

    /// A PIN, when one was typed, wins: someone who chose one must use it.
    fn answer(&self) -> Option<store::Answer> {
        let pin = self.pin.as_deref().map(str::trim).filter(|p| !p.is_empty());
        match pin {
            // Far longer than any PIN: refused without hashing a megabyte.
            Some(p) if p.len() > 64 => Some(store::Answer::Pin(String::new())),
            Some(p) => Some(store::Answer::Pin(p.to_owned())),
            None => self.date().map(store::Answer::DateOfBirth),
        }
    }
}

/// Whether a form post came from our own pages. Browsers say so in `Sec-Fetch-Site`; older
/// ones send `Origin`, which must then name this host.
pub(crate) fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            let origin_host = origin.split_once("://").map(|(_, rest)| rest);
            host.is_some() && origin_host == host
        }
    }
}

/// A link's token as we issue them: 64 hex digits. Anything else is refused without a
/// database lookup (and with the same page as a wrong answer).
fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

async fn verify(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(form): Form<AnswerForm>,
) -> Response {
    if !same_origin(&headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let (lang, _) = Lang::choose(None, &headers);
    let t = Texts::new(lang);
    if !well_formed(&token) {
        let page = verify_page(t, &token, Some(t.get("portal-refused")));
        return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
    }
    let Some(answer) = form.answer() else {
        let page = verify_page(t, &token, Some(t.get("portal-dob-invalid")));
        return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
    };
    match state.db.verify_portal(&token, answer, Utc::now()).await {
        Ok(Verification::Verified { session }) => {
            let cookie = format!(
                "{COOKIE}={session}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=3600"
            );
            let mut response = Redirect::to("/my-case").into_response();
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Ok(Verification::Refused) => {
            let page = verify_page(t, &token, Some(t.get("portal-refused")));
            (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "portal verification failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

fn session_of(headers: &HeaderMap) -> Option<String> {
    crate::cookie(headers, COOKIE).map(str::to_owned)
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/ended.html")]
struct EndedPage {
    chrome: Chrome,
    /// Why it ended, when it was not the clock.
    why: Option<String>,
}

/// The "your session has ended" page, saying why.
fn ended(t: Texts, status: StatusCode, why: &str) -> Response {
    let page = EndedPage {
        chrome: Chrome::new(t, "/my-case", "portal-ended-title"),
        why: Some(t.get(why)),
    };
    (status, page).into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/case.html")]
struct CasePage {
    chrome: Chrome,
    status: crate::status::CaseStatus,
    /// A callback is already waiting for someone to make it.
    callback_asked: bool,
    /// The ways we may send news, as a sentence ("We will send news by: Email, Letter.").
    contact_now: String,
    frequency: String,
    /// "We will not contact you between 21:00 and 08:00.", if they chose quiet hours.
    quiet: Option<String>,
    contact_check_waiting: bool,
    has_pin: bool,
}

async fn my_case(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let session = match live_session(&state, &headers, q.lang.as_deref()).await {
        Ok(s) => s,
        Err(response) => return response,
    };
    match case_page(&state, q.lang.as_deref(), &headers, session).await {
        Ok(Some((page, remember))) => crate::leaflet::page(page, remember),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "portal case page failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The case page in the victim's language: chosen on the page, or else the one in their
/// contact agreement, or else their browser's.
async fn case_page(
    state: &AppState,
    asked: Option<&str>,
    headers: &HeaderMap,
    session: store::PortalSession,
) -> Result<Option<(CasePage, Option<HeaderValue>)>, store::StoreError> {
    let Some(kept) = state.kept.get(&state.db, &session).await? else {
        return Ok(None);
    };
    let case = &kept.case;
    let Some(record) = kept.victim(session.victim_id) else {
        return Ok(None);
    };
    let me = record.victim_ref.clone();
    let agreement = honoured(record, &kept.restricted);
    let (lang, remember) = Lang::choose_for(asked, headers, Some(record.language.as_str()));
    let t = Texts::new(lang);
    let callback_asked = session.callback_waiting;
    let status = crate::status::case_status(
        t,
        case,
        me.as_str(),
        session.next_update_due,
        session.enhanced,
    );
    let page = CasePage {
        chrome: Chrome {
            private: true,
            ..Chrome::new(t, "/my-case", "portal-case-title")
        },
        status,
        callback_asked,
        contact_now: {
            let safe = &agreement.safe_channels;
            if safe.is_empty() {
                t.get("portal-contact-none")
            } else {
                let ways = safe
                    .iter()
                    .map(|c| t.get(&format!("channel-{}", c.as_str())))
                    .collect::<Vec<_>>()
                    .join(", ");
                t.with("portal-contact-current", &[("channels", ways.into())])
            }
        },
        frequency: t.get(&format!("frequency-{}", agreement.frequency.as_str())),
        quiet: agreement.quiet_hours.map(|q| {
            t.with(
                "portal-quiet-current",
                &[
                    ("from", q.from.format("%H:%M").to_string().into()),
                    ("to", q.to.format("%H:%M").to_string().into()),
                ],
            )
        }),
        contact_check_waiting: session.contact_check_waiting,
        has_pin: session.has_pin,
    };
    Ok(Some((page, remember)))
}

/// "Call me back": a task for a person, due within a working day. Asking twice while one is
/// waiting adds nothing. Whoever calls checks the contact agreement's safe channels first.
/// The time the victim chose, in the words staff read on their queue.
fn preferred_time(when: Option<&str>) -> Option<&'static str> {
    match when? {
        "morning" => Some("morning (9am to 12 noon)"),
        "afternoon" => Some("afternoon (12 noon to 5pm)"),
        "evening" => Some("early evening (5pm to 8pm)"),
        _ => None,
    }
}

async fn request_callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if !same_origin(&headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let session = match live_session(&state, &headers, None).await {
        Ok(s) => s,
        Err(response) => return response,
    };
    let now = Utc::now();
    let when = form_urlencoded::parse(&body)
        .find(|(k, _)| k == "when")
        .map(|(_, v)| v.into_owned());
    let preferred = preferred_time(when.as_deref());
    match state
        .db
        .request_callback(session.case_id, session.victim_id, preferred, now)
        .await
    {
        Ok(_) => Redirect::to("/my-case").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "recording a callback request failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !same_origin(&headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    if let Some(secret) = session_of(&headers)
        && let Err(e) = state.db.end_portal_session(&secret, Utc::now()).await
    {
        tracing::error!(error = %e, "ending a portal session failed");
    }
    let mut response = Redirect::to("/leaflet").into_response();
    let expired = format!("{COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
    if let Ok(value) = HeaderValue::from_str(&expired) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// The victim's contact agreement as we must honour it: the details the feed sent, less every
/// way the victim told us is not safe (which a later feed update cannot undo).
pub(crate) fn honoured(
    record: &domain::victim::VictimRecord,
    restricted: &[String],
) -> domain::victim::ContactAgreement {
    let mut agreement = record.contact_agreement.clone();
    agreement
        .safe_channels
        .retain(|c| !restricted.iter().any(|r| r == c.as_str()));
    agreement
}

/// The session of a request, or the page that says it has ended.
async fn live_session(
    state: &AppState,
    headers: &HeaderMap,
    lang: Option<&str>,
) -> Result<store::PortalSession, Response> {
    let found = match session_of(headers) {
        Some(secret) => state.db.portal_session(&secret, Utc::now()).await,
        None => Ok(None),
    };
    match found {
        Ok(Some(s)) => Ok(s),
        Ok(None) => {
            let (lang, _) = Lang::choose(lang, headers);
            let page = EndedPage {
                chrome: Chrome::new(Texts::new(lang), "/my-case", "portal-ended-title"),
                why: None,
            };
            Err((StatusCode::UNAUTHORIZED, page).into_response())
        }
        Err(e) => {
            tracing::error!(error = %e, "portal session lookup failed");
            Err(StatusCode::SERVICE_UNAVAILABLE.into_response())
        }
    }
}

/// A signed-in victim on one of their pages: their session, record and restrictions, and the
/// page's language (asked for, else their contact agreement's, else their browser's).
struct Visit {
    session: store::PortalSession,
    record: domain::victim::VictimRecord,
    restricted: Vec<String>,
    lang: Lang,
    /// The language cookie to set, when the page was asked for in a language.
    remember: Option<HeaderValue>,
}

/// The visit of a request, or the answer to give (the session has ended, or the case cannot
/// be read).
async fn visit(
    state: &AppState,
    headers: &HeaderMap,
    asked: Option<&str>,
) -> Result<Visit, Response> {
    let session = live_session(state, headers, asked).await?;
    let (record, restricted) = victim_of(state, &session).await?;
    let (lang, remember) = Lang::choose_for(asked, headers, Some(record.language.as_str()));
    Ok(Visit {
        session,
        record,
        restricted,
        lang,
        remember,
    })
}

/// The signed-in victim's own record and restrictions, or the answer to give when they
/// cannot be read.
async fn victim_of(
    state: &AppState,
    session: &store::PortalSession,
) -> Result<(domain::victim::VictimRecord, Vec<String>), Response> {
    match state.kept.get(&state.db, session).await {
        Ok(Some(kept)) => kept
            .victim(session.victim_id)
            .map(|record| (record.clone(), kept.restricted.clone()))
            .ok_or_else(|| StatusCode::NOT_FOUND.into_response()),
        Ok(None) => Err(StatusCode::NOT_FOUND.into_response()),
        Err(e) => {
            tracing::error!(error = %e, "reading a victim's case failed");
            Err(StatusCode::SERVICE_UNAVAILABLE.into_response())
        }
    }
}
