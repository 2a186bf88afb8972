//! The page the telephony platform pops up for the agent taking a call: the victims whose
//! number is the caller's, each a click from the call screen (the call is the reason for
//! access, so no other is asked).

use super::{Nav, Staff, forbidden, not_found, unavailable};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::staff::Role;
use store::{AuditEntry, SearchHit};

pub fn router() -> Router<AppState> {
    Router::new().route("/console/screen-pop/{id}", get(screen_pop))
}

#[derive(Template, WebTemplate)]
#[template(path = "console/screen_pop.html")]
struct ScreenPopPage {
    nav: Nav,
    pop: i64,
    withheld: bool,
    hits: Vec<SearchHit>,
}

async fn screen_pop(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Response {
    if !staff.user.role.searches_victims() {
        return forbidden();
    }
    let Ok(id) = id.parse::<i64>() else {
        return not_found();
    };
    let call = match state.db.telephony_call(id).await {
        Ok(Some(c)) => c,
        Ok(None) => return not_found(),
        Err(e) => return unavailable(&e),
    };
    // The agent the call went to, or their supervisor.
    let theirs = call.agent.as_deref() == Some(staff.user.username.as_str())
        || staff.user.role == Role::Supervisor;
    if !theirs {
        return not_found();
    }
    let hits = match call.caller_index {
        Some(d) => match state.db.victims_by_phone_digest(d).await {
            Ok(h) => h,
            Err(e) => return unavailable(&e),
        },
        None => Vec::new(),
    };
    if let Err(r) = staff
        .audit(
            &state,
            AuditEntry {
                action: "screen-pop".into(),
                detail: format!("call {id}: {} matches{}", hits.len(), super::shown(&hits)),
                ..AuditEntry::default()
            },
        )
        .await
    {
        return r;
    }
    ScreenPopPage {
        nav: Nav::of(&staff),
        pop: id,
        withheld: call.caller_index.is_none(),
        hits,
    }
    .into_response()
}
