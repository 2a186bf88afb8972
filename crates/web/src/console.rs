//! The staff console: sign-in, search, the call screen (verification, the victim's status,
//! the contact log), work queues, screen-pop, the audit log and staff accounts.
//!
//! Every page needs a signed-in member of staff whose role uses the console; every form
//! carries the session's token and must come from our own pages; every view of a victim's
//! personal data, every search and every change is written to the audit log.

mod audit;
mod calls;
pub mod capacity;
mod figures;
mod panel;
mod screen_pop;
mod search;
mod sign_in;
pub mod sso;
mod support;
mod tasks;
mod users;

use crate::AppState;
use crate::portal::same_origin;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use sha2::{Digest, Sha256};
use store::{AuditEntry, StaffUser};

pub(crate) use calls::task_label as calls_task_label;

pub(crate) const COOKIE: &str = "__Host-vc_staff";

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(sign_in::router())
        .merge(sso::router())
        .merge(search::router())
        .merge(calls::router())
        .merge(screen_pop::router())
        .merge(tasks::router())
        .merge(audit::router())
        .merge(users::router())
        .merge(support::router())
        .merge(figures::router())
        .merge(capacity::router())
        .merge(panel::router())
}

/// The signed-in member of staff making this request.
pub(crate) struct Staff {
    pub user: StaffUser,
    pub csrf: String,
    /// The session's secret, as the cookie carries it.
    pub session: String,
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let staff = signed_in(parts, state).await?;
        if !staff.user.role.uses_console() {
            // A partner agency's worker has a view of their own.
            return Err(Redirect::to("/partner").into_response());
        }
        Ok(staff)
    }
}

/// The member of staff whose live session this request carries, whatever their role.
pub(crate) async fn signed_in(parts: &Parts, state: &AppState) -> Result<Staff, Response> {
    let sign_in = || Redirect::to("/console/sign-in").into_response();
    let Some(session) = crate::cookie(&parts.headers, COOKIE) else {
        return Err(sign_in());
    };
    let found = state
        .db
        .staff_session(session, state.config.staff_idle, Utc::now())
        .await
        .map_err(|e| unavailable(&e))?;
    let Some(found) = found else {
        return Err(sign_in());
    };
    Ok(Staff {
        user: found.user,
        csrf: found.csrf_token,
        session: session.to_owned(),
    })
}

/// A form posted by a signed-in member of staff (`T`: the console's [`Staff`], or a partner
/// agency's worker), from our own page, with the session's token: every state-changing
/// request of the console and the partner view is read through this.
pub(crate) struct Posted<T = Staff> {
    pub staff: T,
    pub f: Fields,
}

impl AsRef<Staff> for Staff {
    fn as_ref(&self) -> &Staff {
        self
    }
}

impl<T> FromRequest<AppState> for Posted<T>
where
    T: FromRequestParts<AppState, Rejection = Response> + AsRef<Staff> + Send,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let staff = T::from_request_parts(&mut parts, state).await?;
        let body = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let f = Fields::parse(&body);
        match staff.as_ref().refused_form(&parts.headers, f.get("csrf")) {
            Some(refusal) => Err(refusal),
            None => Ok(Self { staff, f }),
        }
    }
}

impl Staff {
    /// A form post is ours only if it came from our own page and carries this session's
    /// token: a page elsewhere can make the browser post, but cannot read the token. Returns
    /// the refusal to send, if it is not.
    pub(crate) fn refused_form(
        &self,
        headers: &HeaderMap,
        token: Option<&str>,
    ) -> Option<Response> {
        let same = |a: &str, b: &str| Sha256::digest(a) == Sha256::digest(b);
        let ours = same_origin(headers) && token.is_some_and(|t| same(t, &self.csrf));
        (!ours).then(forbidden)
    }

    pub(crate) async fn audit(&self, state: &AppState, entry: AuditEntry) -> Result<(), Response> {
        let entry = AuditEntry {
            actor: self.user.username.clone(),
            ..entry
        };
        state
            .db
            .audit(&entry, Utc::now())
            .await
            .map(|_| ())
            .map_err(|e| unavailable(&e))
    }
}

pub(crate) fn forbidden() -> Response {
    (
        StatusCode::FORBIDDEN,
        axum::response::Html(
            "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
             <title>Not allowed – victimcare</title><link rel=\"stylesheet\" \
             href=\"/static/site.css\"></head><body><main id=\"main\"><h1>You cannot do this</h1>\
             <p>Your role does not allow it. If you need it for your work, ask your \
             supervisor.</p><p><a href=\"/console\">Back to the console</a></p></main></body></html>",
        ),
    )
        .into_response()
}

pub(crate) fn not_found() -> Response {
    crate::pages::not_found_page("There is nothing here, or you cannot see it.")
}

pub(crate) fn unavailable(e: &store::StoreError) -> Response {
    tracing::error!(error = %e, "console request failed");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "The service is not available. Try again shortly.",
    )
        .into_response()
}

/// The session cookie: only for this host, only over HTTPS, never to scripts, never sent
/// from another site.
pub(crate) fn session_cookie(value: &str, max_age_seconds: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={max_age_seconds}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("__Host-vc_staff=; Path=/; Max-Age=0"))
}

pub(crate) fn with_cookie(mut response: Response, cookie: HeaderValue) -> Response {
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    response
}

/// The fields of a form body, in order, repeated names kept (checkbox lists).
pub(crate) struct Fields(Vec<(String, String)>);

impl Fields {
    pub(crate) fn parse(body: &[u8]) -> Self {
        Self(form_urlencoded::parse(body).into_owned().collect())
    }

    /// The first value of `name`, trimmed; `None` if missing or blank.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The first value of `name` exactly as sent.
    pub(crate) fn raw(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.trim())
    }
}

/// A field with its problem, for the error summary and the inline message.
pub(crate) struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// The navigation a member of staff sees, by role.
pub(crate) struct Nav {
    pub name: String,
    pub role: &'static str,
    pub csrf: String,
    pub search: bool,
    pub tasks: bool,
    pub audit: bool,
    pub users: bool,
    pub mine: bool,
    pub figures: bool,
    pub capacity: bool,
    pub panel: bool,
}

impl Nav {
    pub(crate) fn of(staff: &Staff) -> Self {
        let role = staff.user.role;
        Self {
            name: staff.user.display_name.clone(),
            role: role.label(),
            csrf: staff.csrf.clone(),
            search: role.searches_victims(),
            tasks: role.works_queues(),
            audit: role.reads_audit(),
            users: role.administers(),
            mine: role == domain::staff::Role::OfficerInCase,
            figures: role.reads_figures(),
            capacity: role.reads_figures(),
            panel: matches!(
                role,
                domain::staff::Role::VictimCareOfficer | domain::staff::Role::Supervisor
            ),
        }
    }
}

/// Which victims a list showed, for the audit log: ids only, never names (" (victims 4, 9)").
pub(crate) fn shown(hits: &[store::SearchHit]) -> String {
    if hits.is_empty() {
        return String::new();
    }
    let ids: Vec<String> = hits.iter().map(|h| h.victim_id.to_string()).collect();
    format!(" (victims {})", ids.join(", "))
}

/// A problem as a sentence: its first letter in capitals.
pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// "Fri 13 Mar 2026, 10:15" in London time.
pub(crate) fn when(at: chrono::DateTime<Utc>) -> String {
    crate::pages::local_time(at)
}
