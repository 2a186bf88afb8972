//! Finding the victim: by crime reference, phone number, email address, or name with date of
//! birth. Searches are posted, never put in the address (a phone number in a URL would end up
//! in browser history and proxy logs), and each is audited by kind, never by value.

use super::{FieldError, Nav, Posted, Staff, forbidden, unavailable};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::victim::{DateOfBirth, Email, Phone};
use store::{AuditEntry, SearchBy, SearchHit};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/console", get(home))
        .route("/console/search", post(search))
        .route("/console/my-cases", get(my_cases))
}

#[derive(Template, WebTemplate)]
#[template(path = "console/search.html")]
struct SearchPage {
    nav: Nav,
    by: String,
    q: String,
    dob: String,
    errors: Vec<FieldError>,
    results: Option<Vec<SearchHit>>,
}

impl SearchPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

async fn home(staff: Staff) -> Response {
    if !staff.user.role.searches_victims() {
        // Everyone lands here after signing in: send each role to its own start.
        return match staff.user.role {
            domain::staff::Role::OfficerInCase => Redirect::to("/console/my-cases"),
            domain::staff::Role::Administrator => Redirect::to("/console/users"),
            _ => return super::tasks::figures_only(&staff),
        }
        .into_response();
    }
    SearchPage {
        nav: Nav::of(&staff),
        by: "reference".into(),
        q: String::new(),
        dob: String::new(),
        errors: Vec::new(),
        results: None,
    }
    .into_response()
}

/// What to search by, from the form; or the problems with it.
fn read(by: &str, q: &str, dob: &str) -> Result<SearchBy, Vec<FieldError>> {
    let problem = |field, message: String| vec![FieldError { field, message }];
    if q.is_empty() {
        return Err(problem("q", "Enter what to search for".into()));
    }
    match by {
        "reference" => domain::CrimeReference::parse(q)
            .map(SearchBy::Reference)
            .map_err(|e| problem("q", format!("Crime reference {e}"))),
        "phone" => Phone::parse(q)
            .map(SearchBy::Phone)
            .map_err(|e| problem("q", format!("Phone number {e}"))),
        "email" => Email::parse(q)
            .map(SearchBy::Email)
            .map_err(|e| problem("q", format!("Email address {e}"))),
        "name" => {
            if q.chars().count() > 100 {
                return Err(problem("q", "Name must be at most 100 characters".into()));
            }
            DateOfBirth::parse(dob)
                .map(|d| SearchBy::NameAndBirth(q.to_owned(), d))
                .map_err(|_| {
                    problem(
                        "dob",
                        "Enter the date of birth as year-month-day, like 1980-03-27".into(),
                    )
                })
        }
        _ => Err(problem("by", "Choose what to search by".into())),
    }
}

async fn search(State(state): State<AppState>, Posted { staff, f }: Posted) -> Response {
    if !staff.user.role.searches_victims() {
        return forbidden();
    }
    let by = f.get("by").unwrap_or("reference").to_owned();
    let q = f.get("q").unwrap_or_default().to_owned();
    let dob = f.get("dob").unwrap_or_default().to_owned();
    let mut page = SearchPage {
        nav: Nav::of(&staff),
        by: by.clone(),
        q: q.clone(),
        dob: dob.clone(),
        errors: Vec::new(),
        results: None,
    };
    let query = match read(&by, &q, &dob) {
        Ok(query) => query,
        Err(errors) => {
            page.errors = errors;
            return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
        }
    };
    let hits = match state.db.search_victims(&query).await {
        Ok(h) => h,
        Err(e) => return unavailable(&e),
    };
    let entry = AuditEntry {
        action: "searched".into(),
        detail: format!(
            "by {}: {} found{}",
            query.kind(),
            hits.len(),
            super::shown(&hits)
        ),
        ..AuditEntry::default()
    };
    if let Err(r) = staff.audit(&state, entry).await {
        return r;
    }
    page.results = Some(hits);
    page.into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "console/my_cases.html")]
struct MyCasesPage {
    nav: Nav,
    cases: Vec<SearchHit>,
    collar: Option<String>,
}

/// An officer's own cases: those where they are the officer in the case.
async fn my_cases(State(state): State<AppState>, staff: Staff) -> Response {
    if staff.user.role != domain::staff::Role::OfficerInCase {
        return forbidden();
    }
    let cases = match &staff.user.collar_number {
        Some(collar) => match state.db.cases_of_officer(collar).await {
            Ok(c) => c,
            Err(e) => return unavailable(&e),
        },
        None => Vec::new(),
    };
    // The list names victims: reading it is a view of their personal data.
    let entry = AuditEntry {
        action: "listed own cases".into(),
        detail: format!("{} victims shown{}", cases.len(), super::shown(&cases)),
        ..AuditEntry::default()
    };
    if let Err(r) = staff.audit(&state, entry).await {
        return r;
    }
    MyCasesPage {
        nav: Nav::of(&staff),
        collar: staff.user.collar_number.clone(),
        cases,
    }
    .into_response()
}
