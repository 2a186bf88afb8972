//! Arranging a victims' panel session: staff choose the criteria and what to balance across,
//! see how many would be invited from each group and how many are left out and why (counts
//! only, never names), and send the invitations through the outbox and its safe-contact rules.

use super::{FieldError, Nav, Posted, Staff, forbidden, unavailable};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::{NaiveDate, Utc};
use domain::panel::{Activity, BalanceBy, Criteria, InvitationList, invitation_list};
use domain::staff::Role;
use domain::{OffenceCategory, Phase};
use std::collections::HashMap;
use store::{AuditEntry, NewPanelSession};

pub fn router() -> Router<AppState> {
    Router::new().route("/console/panel", get(page).post(send))
}

const AGE_BANDS: [&str; 6] = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"];

fn may_arrange(staff: &Staff) -> bool {
    matches!(staff.user.role, Role::VictimCareOfficer | Role::Supervisor)
}

/// The form's fields, as given (kept to show the form again).
#[derive(Default, Clone)]
struct Asked {
    title: String,
    activity: String,
    held_on: String,
    places: String,
    offence: String,
    borough: String,
    phase: String,
    age_band: String,
    language: String,
    balance_by: String,
}

impl Asked {
    fn from(get: impl Fn(&str) -> Option<String>) -> Self {
        let g = |k: &str| get(k).unwrap_or_default();
        Self {
            title: g("title"),
            activity: g("activity"),
            held_on: g("held_on"),
            places: g("places"),
            offence: g("offence"),
            borough: g("borough"),
            phase: g("phase"),
            age_band: g("age_band"),
            language: g("language"),
            balance_by: g("balance_by"),
        }
    }
}

struct Checked {
    title: String,
    activity: Activity,
    held_on: NaiveDate,
    places: usize,
    criteria: Criteria,
    balance: BalanceBy,
}

fn check(a: &Asked) -> Result<Checked, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut err = |field: &'static str, message: &str| {
        errors.push(FieldError {
            field,
            message: message.into(),
        })
    };
    let title = a.title.trim();
    if title.is_empty() || title.chars().count() > 120 || title.chars().any(char::is_control) {
        err(
            "title",
            "Give the session a title of at most 120 characters",
        );
    }
    let activity = Activity::parse(&a.activity);
    if activity.is_none() {
        err("activity", "Choose the kind of session");
    }
    let held_on = NaiveDate::parse_from_str(a.held_on.trim(), "%Y-%m-%d").ok();
    if held_on.is_none() {
        err("held_on", "The date must be a date like 2027-01-20");
    }
    let places = a
        .places
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=500).contains(n));
    if places.is_none() {
        err("places", "Places must be a number from 1 to 500");
    }
    let balance = BalanceBy::parse(&a.balance_by);
    if balance.is_none() {
        err("balance_by", "Choose what to balance the list across");
    }
    let opt = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    let offence = opt(&a.offence);
    if offence
        .as_deref()
        .is_some_and(|o| OffenceCategory::parse(o).is_none())
    {
        err("offence", "Choose a crime type from the list");
    }
    let phase = opt(&a.phase).map(|p| Phase::parse(&p));
    if phase.is_some_and(|p| p.is_none()) {
        err("phase", "Choose a stage from the list");
    }
    let age_band = opt(&a.age_band);
    if age_band.as_deref().is_some_and(|b| !AGE_BANDS.contains(&b)) {
        err("age_band", "Choose an age band from the list");
    }
    let borough = opt(&a.borough);
    let language = opt(&a.language);
    if [&borough, &language]
        .iter()
        .any(|v| v.as_ref().is_some_and(|v| v.chars().count() > 60))
    {
        err(
            "borough",
            "The borough and language must be at most 60 characters",
        );
    }
    match (activity, held_on, places, balance) {
        (Some(activity), Some(held_on), Some(places), Some(balance)) if errors.is_empty() => {
            Ok(Checked {
                title: title.to_owned(),
                activity,
                held_on,
                places,
                criteria: Criteria {
                    activity: Some(activity),
                    offence,
                    borough,
                    phase: phase.flatten(),
                    age_band,
                    language,
                },
                balance,
            })
        }
        _ => Err(errors),
    }
}

struct GroupRow {
    group: String,
    eligible: usize,
    invited: usize,
}

/// What the list would be: by group, who is left out and why, and how many in all.
struct Preview {
    groups: Vec<GroupRow>,
    excluded: Vec<(&'static str, usize)>,
    total: usize,
}

struct SessionRow {
    id: i64,
    title: String,
    activity: String,
    held_on: String,
    invited: i64,
    places: i32,
    by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/panel.html")]
struct PanelPage {
    nav: Nav,
    asked: Asked,
    activities: Vec<(&'static str, &'static str)>,
    offences: Vec<(&'static str, &'static str)>,
    phases: Vec<(&'static str, String)>,
    age_bands: [&'static str; 6],
    balances: Vec<(&'static str, &'static str)>,
    preview: Option<Preview>,
    sessions: Vec<SessionRow>,
    errors: Vec<FieldError>,
    notice: Option<String>,
}

impl PanelPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

async fn build(
    state: &AppState,
    staff: &Staff,
    asked: Asked,
    list: Option<&InvitationList>,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> Result<PanelPage, Response> {
    let sessions = state
        .db
        .panel_sessions()
        .await
        .map_err(|e| unavailable(&e))?;
    let preview = list.map(|l| {
        let mut invited: HashMap<&str, usize> = HashMap::new();
        for (_, g) in &l.invited {
            *invited.entry(g.as_str()).or_default() += 1;
        }
        Preview {
            groups: l
                .eligible
                .iter()
                .map(|(g, n)| GroupRow {
                    group: g.replace('_', " "),
                    eligible: *n,
                    invited: invited.get(g.as_str()).copied().unwrap_or(0),
                })
                .collect(),
            excluded: l.excluded.iter().map(|(r, n)| (*r, *n)).collect(),
            total: l.invited.len(),
        }
    });
    Ok(PanelPage {
        nav: Nav::of(staff),
        asked,
        activities: vec![
            ("focus_group", "Focus group"),
            ("advisory_group", "Advisory group"),
        ],
        offences: OffenceCategory::ALL
            .iter()
            .map(|o| (o.as_str(), o.label()))
            .collect(),
        phases: Phase::ALL
            .iter()
            .map(|p| (p.as_str(), p.as_str().replace('_', " ")))
            .collect(),
        age_bands: AGE_BANDS,
        balances: vec![
            ("offence", "Crime type"),
            ("borough", "Borough"),
            ("age_band", "Age band"),
            ("language", "Language"),
        ],
        preview,
        sessions: sessions
            .into_iter()
            .map(|s| SessionRow {
                id: s.session_id,
                title: s.title,
                activity: s.activity.replace('_', " "),
                held_on: crate::pages::local_date_only(s.held_on),
                invited: s.invited,
                places: s.places,
                by: s.created_by,
            })
            .collect(),
        errors,
        notice,
    })
}

async fn list_for(state: &AppState, c: &Checked) -> Result<InvitationList, Response> {
    let volunteers = state
        .db
        .panel_volunteers(c.held_on)
        .await
        .map_err(|e| unavailable(&e))?;
    Ok(invitation_list(
        &volunteers,
        &c.criteria,
        c.balance,
        c.places,
    ))
}

async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if !may_arrange(&staff) {
        return forbidden();
    }
    let notice = q
        .get("sent")
        .map(|n| format!("Invitations queued: {n}. Each goes by the person's own safe way."));
    let asked = Asked::from(|k| q.get(k).cloned());
    // A preview when the form was filled in; the empty form otherwise.
    let (list, errors) = if q.contains_key("preview") {
        match check(&asked) {
            Ok(c) => match list_for(&state, &c).await {
                Ok(l) => (Some(l), Vec::new()),
                Err(r) => return r,
            },
            Err(e) => (None, e),
        }
    } else {
        (None, Vec::new())
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    match build(&state, &staff, asked, list.as_ref(), errors, notice).await {
        Ok(p) => (status, p).into_response(),
        Err(r) => r,
    }
}

async fn send(State(state): State<AppState>, Posted { staff, f }: Posted) -> Response {
    if !may_arrange(&staff) {
        return forbidden();
    }
    let asked = Asked::from(|k| f.get(k).map(str::to_owned));
    let c = match check(&asked) {
        Ok(c) => c,
        Err(errors) => {
            return match build(&state, &staff, asked, None, errors, None).await {
                Ok(p) => (StatusCode::UNPROCESSABLE_ENTITY, p).into_response(),
                Err(r) => r,
            };
        }
    };
    let list = match list_for(&state, &c).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let session = NewPanelSession {
        title: &c.title,
        activity: c.activity,
        held_on: c.held_on,
        places: i32::try_from(c.places).unwrap_or(i32::MAX),
        criteria: &c.criteria,
        balance_by: c.balance,
        invited: &list.invited,
        created_by: &staff.user.username,
    };
    let (session_id, invited) = match state.db.create_panel_session(&session, Utc::now()).await {
        Ok(r) => r,
        Err(e) => return unavailable(&e),
    };
    let ids: Vec<String> = list.invited.iter().map(|(id, _)| id.to_string()).collect();
    let entry = AuditEntry {
        action: "invited panel".into(),
        detail: format!("session {session_id}: victims {}", ids.join(", ")),
        ..AuditEntry::default()
    };
    if let Err(r) = staff.audit(&state, entry).await {
        return r;
    }
    Redirect::to(&format!("/console/panel?sent={invited}")).into_response()
}
