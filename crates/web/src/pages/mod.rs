//! Server-rendered pages. Until the portal and the staff console exist there is a start page
//! and, for demos, a read-only case list.

mod cases;

use crate::{AppState, WebConfig};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use chrono_tz::Europe::London;

pub fn router(config: &WebConfig) -> Router<AppState> {
    let mut router = Router::new()
        .route("/", get(home))
        .route("/static/site.css", get(stylesheet))
        .fallback(not_found);
    if config.public_case_list {
        router = router.merge(cases::router());
    }
    router
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    case_list: bool,
}

async fn home(State(state): State<AppState>) -> HomePage {
    HomePage {
        case_list: state.config.public_case_list,
    }
}

async fn stylesheet() -> Response {
    static_asset(
        include_str!("../../static/site.css"),
        "text/css; charset=utf-8",
    )
}

/// A file built into the binary, served with its type and cached for an hour.
pub(crate) fn static_asset(body: &'static str, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

#[derive(Template, WebTemplate)]
#[template(path = "not_found.html")]
struct NotFoundPage {
    message: &'static str,
}

pub(crate) fn not_found_page(message: &'static str) -> Response {
    (StatusCode::NOT_FOUND, NotFoundPage { message }).into_response()
}

async fn not_found() -> Response {
    not_found_page("If you typed the web address, check it is correct.")
}

/// A moment as people in England and Wales read it: "Fri 13 Mar 2026, 10:15".
pub(crate) fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&London)
        .format("%a %-d %b %Y, %H:%M")
        .to_string()
}

pub(crate) fn local_date(at: DateTime<Utc>) -> String {
    at.with_timezone(&London).format("%a %-d %b %Y").to_string()
}

/// A day as people in England and Wales read it: "Tue 14 Mar 2026".
pub(crate) fn local_date_only(d: chrono::NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}
