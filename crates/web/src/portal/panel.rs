//! The victims' panel on the victim's page: volunteer for focus groups and advisory groups
//! (what they are willing to do, how to be invited, what would help them take part, and,
//! only if they want, a little about themselves), or withdraw at any time, which takes them
//! off every list at once.

use super::{LangQuery, same_origin, visit};
use crate::AppState;
use crate::i18n::Texts;
use crate::leaflet::Chrome;
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use domain::panel::Activity;
use domain::victim::Channel;
use store::PanelVolunteer;

pub struct Tick {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/panel.html")]
struct PanelPage {
    chrome: Chrome,
    member: bool,
    activities: Vec<Tick>,
    ways: Vec<Tick>,
    accessibility: String,
    gender: String,
    ethnicity: String,
    error: Option<String>,
}

fn page(
    t: Texts,
    safe: &[Channel],
    v: Option<&PanelVolunteer>,
    error: Option<String>,
) -> PanelPage {
    PanelPage {
        chrome: Chrome {
            private: true,
            ..Chrome::new(t, "/my-case/panel", "panel-title")
        },
        member: v.is_some(),
        activities: Activity::ALL
            .iter()
            .map(|a| Tick {
                value: a.as_str(),
                label: t.get(&format!("panel-activity-{}", a.as_str().replace('_', "-"))),
                checked: v.is_some_and(|v| v.activities.contains(a)),
            })
            .collect(),
        // Only a way that is safe now can be chosen.
        ways: safe
            .iter()
            .map(|c| Tick {
                value: c.as_str(),
                label: t.get(&format!("channel-{}", c.as_str())),
                checked: v.is_some_and(|v| v.contact_by == *c),
            })
            .collect(),
        accessibility: v.and_then(|v| v.accessibility.clone()).unwrap_or_default(),
        gender: v.and_then(|v| v.gender.clone()).unwrap_or_default(),
        ethnicity: v.and_then(|v| v.ethnicity.clone()).unwrap_or_default(),
        error,
    }
}

pub(super) async fn form(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let v = match visit(&state, &headers, q.lang.as_deref()).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let safe = super::honoured(&v.record, &v.restricted).safe_channels;
    match state.db.panel_membership(v.session.victim_id).await {
        Ok(m) => crate::leaflet::page(
            page(Texts::new(v.lang), &safe, m.as_ref(), None),
            v.remember,
        ),
        Err(e) => {
            tracing::error!(error = %e, "reading panel membership failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// Short free text: at most 200 characters, no control characters.
fn short(raw: Option<&str>) -> Result<Option<String>, ()> {
    match raw.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) if v.chars().count() > 200 || v.chars().any(char::is_control) => Err(()),
        Some(v) => Ok(Some(v.to_owned())),
    }
}

pub(super) async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !same_origin(&headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let v = match visit(&state, &headers, None).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let t = Texts::new(v.lang);
    let f = crate::console::Fields::parse(&body);
    let (case_id, victim_id) = (v.session.case_id, v.session.victim_id);
    if f.get("action") == Some("withdraw") {
        return match state.db.withdraw_from_panel(victim_id).await {
            Ok(_) => Redirect::to("/my-case/panel").into_response(),
            Err(e) => {
                tracing::error!(error = %e, "withdrawing from the panel failed");
                StatusCode::SERVICE_UNAVAILABLE.into_response()
            }
        };
    }
    let safe = super::honoured(&v.record, &v.restricted).safe_channels;
    let activities: Vec<Activity> = f.all("activities").filter_map(Activity::parse).collect();
    let way = f
        .get("contact_by")
        .and_then(Channel::parse)
        .filter(|c| safe.contains(c));
    let texts = (
        short(f.get("accessibility")),
        short(f.get("gender")),
        short(f.get("ethnicity")),
    );
    let (Some(contact_by), false, (Ok(accessibility), Ok(gender), Ok(ethnicity))) =
        (way, activities.is_empty(), texts)
    else {
        let shown = PanelVolunteer {
            activities,
            contact_by: way.unwrap_or(Channel::Letter),
            accessibility: f.get("accessibility").map(str::to_owned),
            gender: f.get("gender").map(str::to_owned),
            ethnicity: f.get("ethnicity").map(str::to_owned),
        };
        let p = page(t, &safe, Some(&shown), Some(t.get("panel-problem")));
        return (StatusCode::UNPROCESSABLE_ENTITY, p).into_response();
    };
    let volunteer = PanelVolunteer {
        activities,
        contact_by,
        accessibility,
        gender,
        ethnicity,
    };
    match state
        .db
        .join_panel(case_id, victim_id, &volunteer, Utc::now())
        .await
    {
        Ok(()) => Redirect::to("/my-case/panel").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "joining the panel failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
