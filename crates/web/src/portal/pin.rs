//! Choosing a PIN. Someone whose abuser knows their date of birth (a partner usually does) can
//! choose a PIN; from then on the PIN, not the date of birth, opens their page.

use super::{LangQuery, Visit, same_origin, session_of, visit};
use crate::AppState;
use crate::i18n::Texts;
use crate::leaflet::Chrome;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use domain::pin::Pin;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "portal/pin.html")]
struct PinPage {
    chrome: Chrome,
    replacing: bool,
    /// What is wrong with the first box, then with the second.
    pin_error: Option<String>,
    again_error: Option<String>,
}

fn pin_page(t: Texts, replacing: bool) -> PinPage {
    PinPage {
        chrome: Chrome {
            private: true,
            ..Chrome::new(t, "/my-case/pin", "portal-pin-title")
        },
        replacing,
        pin_error: None,
        again_error: None,
    }
}

pub(super) async fn form(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    match visit(&state, &headers, q.lang.as_deref()).await {
        Ok(v) => crate::leaflet::page(pin_page(Texts::new(v.lang), v.session.has_pin), v.remember),
        Err(response) => response,
    }
}

/// The two boxes. The PINs typed are never shown again, even after a mistake.
#[derive(Deserialize)]
pub(super) struct PinForm {
    /// The PIN they have now, when they have one.
    current: Option<String>,
    pin: Option<String>,
    again: Option<String>,
}

pub(super) async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<PinForm>,
) -> Response {
    if !same_origin(&headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let Visit {
        session,
        record,
        lang,
        ..
    } = match visit(&state, &headers, None).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let t = Texts::new(lang);
    let secret = session_of(&headers);
    if session.has_pin {
        // Someone else holding the victim's open page must not take it over: the PIN they
        // have now is asked first. One wrong answer ends the session (the victim opens the
        // page again with their link), so this box cannot be used to guess it.
        let current = form.current.as_deref().unwrap_or_default().trim();
        match state
            .db
            .portal_pin_matches(session.case_id, session.victim_id, current)
            .await
        {
            Ok(true) => {}
            Ok(false) => {
                if let Some(secret) = &secret
                    && let Err(e) = state.db.end_portal_session(secret, Utc::now()).await
                {
                    tracing::error!(error = %e, "ending a portal session failed");
                }
                return super::ended(t, StatusCode::UNAUTHORIZED, "portal-pin-current-wrong");
            }
            Err(e) => {
                tracing::error!(error = %e, "checking a portal PIN failed");
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        }
    }
    let born = record.date_of_birth.as_ref().map(|d| d.date());
    let typed = form.pin.as_deref().unwrap_or_default();
    let checked = Pin::parse(typed, born);
    let mut page = pin_page(t, session.has_pin);
    match &checked {
        Err(e) => page.pin_error = Some(t.get(e.text_key())),
        Ok(_) if form.again.as_deref().map(str::trim) != Some(typed.trim()) => {
            page.again_error = Some(t.get("portal-pin-mismatch"));
        }
        Ok(_) => {}
    }
    let pin = match checked {
        Ok(pin) if page.again_error.is_none() => pin,
        _ => return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response(),
    };
    match state
        .db
        .set_portal_pin(
            session.case_id,
            session.victim_id,
            &pin,
            "victim",
            secret.as_deref(),
            Utc::now(),
        )
        .await
    {
        Ok(()) => Redirect::to("/my-case#pin").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "saving a portal PIN failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
