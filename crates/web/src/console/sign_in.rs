//! Signing in and out. A password and an authenticator code, both right, or nothing: the
//! page says the same for a wrong name, password or code. Each attempt is audited.

use super::{Fields, Posted, session_cookie, unavailable, with_cookie};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use store::{AuditEntry, SignIn};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/console/sign-in",
            get(form)
                .post(sign_in)
                .layer(crate::portal::attempts_limit()),
        )
        .route("/console/sign-out", post(sign_out))
}

#[derive(Template, WebTemplate)]
#[template(path = "console/sign_in.html")]
pub(crate) struct SignInPage {
    error: Option<&'static str>,
    username: String,
    /// Single sign-on is set up: offer it.
    sso: bool,
}

pub(crate) fn page(error: Option<&'static str>, username: String, sso: bool) -> SignInPage {
    SignInPage {
        error,
        username,
        sso,
    }
}

async fn form(State(state): State<AppState>) -> SignInPage {
    page(None, String::new(), state.config.sso.is_some())
}

async fn sign_in(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if !crate::portal::same_origin(&headers) {
        return super::forbidden();
    }
    let f = Fields::parse(&body);
    let username = f.get("username").unwrap_or_default().to_lowercase();
    // Not trimmed: spaces may be part of a password.
    let password = f.raw("password").unwrap_or_default().to_owned();
    let code = f.get("code").unwrap_or_default();
    let refused = |status, error| {
        (
            status,
            page(Some(error), username.clone(), state.config.sso.is_some()),
        )
            .into_response()
    };
    let Ok(name) = domain::staff::Username::parse(&username) else {
        return refused(StatusCode::UNAUTHORIZED, WRONG);
    };
    let now = Utc::now();
    let outcome = match state.db.sign_in(name.as_str(), &password, code, now).await {
        Ok(o) => o,
        Err(store::StoreError::Busy) => {
            return refused(StatusCode::SERVICE_UNAVAILABLE, BUSY);
        }
        Err(e) => return unavailable(&e),
    };
    let (action, detail) = match &outcome {
        SignIn::SignedIn { .. } => ("signed in", "password and code"),
        SignIn::Refused => ("sign-in refused", "wrong name, password or code"),
        SignIn::Locked { .. } => ("sign-in refused", "account locked"),
    };
    let entry = AuditEntry {
        actor: name.as_str().to_owned(),
        action: action.into(),
        detail: detail.into(),
        ..AuditEntry::default()
    };
    if let Err(e) = state.db.audit(&entry, now).await {
        return unavailable(&e);
    }
    match outcome {
        SignIn::SignedIn { session, .. } => {
            // The server ends the session when idle; the cookie lives as long as it could.
            let lifetime = store::SESSION_LIFETIME.num_seconds();
            with_cookie(
                Redirect::to("/console").into_response(),
                session_cookie(&session, lifetime),
            )
        }
        SignIn::Refused => refused(StatusCode::UNAUTHORIZED, WRONG),
        SignIn::Locked { .. } => refused(StatusCode::UNAUTHORIZED, WRONG),
    }
}

/// One answer for a wrong name, password or code and for a paused account, so the page
/// never says which names exist.
const WRONG: &str = "The name, password or code is not right. After 5 wrong tries, signing in \
     is paused for 15 minutes.";
const BUSY: &str = "The service is busy. Try again in a moment.";

async fn sign_out(State(state): State<AppState>, Posted { staff, f: _ }: Posted) -> Response {
    if let Err(e) = state.db.end_staff_session(&staff.session, Utc::now()).await {
        return unavailable(&e);
    }
    let entry = AuditEntry {
        action: "signed out".into(),
        ..AuditEntry::default()
    };
    if let Err(r) = staff.audit(&state, entry).await {
        return r;
    }
    with_cookie(
        Redirect::to("/console/sign-in").into_response(),
        session_cookie("", 0),
    )
}
