//! The audit log for supervisors: by case reference, by member of staff, by time. Reading it
//! is itself recorded.

use super::{FieldError, Nav, Staff, forbidden, unavailable, when};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::London;
use serde::Deserialize;
use store::{AuditEntry, AuditFilter};

pub fn router() -> Router<AppState> {
    Router::new().route("/console/audit", get(audit))
}

#[derive(Deserialize, Default)]
struct AuditQuery {
    case: Option<String>,
    user: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

struct Row {
    id: i64,
    at: String,
    actor: String,
    action: String,
    case: String,
    reason: String,
    detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/audit.html")]
struct AuditPage {
    nav: Nav,
    case: String,
    user: String,
    from: String,
    to: String,
    errors: Vec<FieldError>,
    rows: Vec<Row>,
}

fn day(raw: &str) -> Option<chrono::DateTime<Utc>> {
    let d = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    London
        .from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

async fn audit(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<AuditQuery>,
) -> Response {
    if !staff.user.role.reads_audit() {
        return forbidden();
    }
    let text = |v: &Option<String>| v.as_deref().unwrap_or_default().trim().to_owned();
    let (case, user, from, to) = (text(&q.case), text(&q.user), text(&q.from), text(&q.to));
    let mut errors = Vec::new();
    let mut filter = AuditFilter {
        limit: 200,
        ..AuditFilter::default()
    };
    if !case.is_empty() {
        match domain::CrimeReference::parse(&case) {
            Ok(r) => match state.db.case_by_reference(&r).await {
                Ok(Some(c)) => filter.case_id = Some(c.case_id),
                Ok(None) => filter.case_id = Some(-1),
                Err(e) => return unavailable(&e),
            },
            Err(e) => errors.push(FieldError {
                field: "case",
                message: format!("Crime reference {e}"),
            }),
        }
    }
    if !user.is_empty() {
        filter.actor = Some(user.to_lowercase());
    }
    for (raw, field, slot) in [
        (&from, "from", &mut filter.from),
        (&to, "to", &mut filter.to),
    ] {
        if raw.is_empty() {
            continue;
        }
        match day(raw) {
            // "To" a day includes that day.
            Some(t) => {
                *slot = Some(if field == "to" {
                    t + chrono::TimeDelta::days(1)
                } else {
                    t
                })
            }
            None => errors.push(FieldError {
                field,
                message: "Enter the date as year-month-day, like 2026-11-28".into(),
            }),
        }
    }
    let mut page = AuditPage {
        nav: Nav::of(&staff),
        case: case.clone(),
        user,
        from,
        to,
        errors,
        rows: Vec::new(),
    };
    if !page.errors.is_empty() {
        return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
    }
    let records = match state.db.audit_records(&filter).await {
        Ok(r) => r,
        Err(e) => return unavailable(&e),
    };
    if let Err(r) = staff
        .audit(
            &state,
            AuditEntry {
                action: "read audit log".into(),
                case_id: filter.case_id.filter(|c| *c > 0),
                detail: format!("{} records", records.len()),
                ..AuditEntry::default()
            },
        )
        .await
    {
        return r;
    }
    page.rows = records
        .into_iter()
        .map(|r| Row {
            id: r.audit_id,
            at: when(r.at),
            actor: r.actor,
            action: r.action,
            case: r.case_id.map_or_else(String::new, |c| c.to_string()),
            reason: r.reason.unwrap_or_default(),
            detail: r.detail,
        })
        .collect();
    page.into_response()
}
