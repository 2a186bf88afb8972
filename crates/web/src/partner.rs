//! The partner agency view: a support agency's worker signs in like staff (password and
//! authenticator, or single sign-on) and sees only their own agency's referrals, and of each
//! only what the victim agreed to share. They accept or decline (with a reason), and record
//! the outcome and closure. Another agency's referral answers 404, exactly as one that does
//! not exist. Every view and change is audited.

use crate::AppState;
use crate::console::{Posted, Staff, forbidden, not_found, signed_in, unavailable, when};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use domain::staff::Role;
use domain::support::{ReferralOutcome, ReferralStatus};
use serde::Deserialize;
use store::{AgencyReferral, AuditEntry, StoreError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/partner", get(list))
        .route("/partner/referrals/{id}", get(show))
        .route("/partner/referrals/{id}/answer", post(answer))
        .route("/partner/referrals/{id}/close", post(close))
}

/// A signed-in worker of a partner agency, with the agency they work for.
pub(crate) struct Partner {
    staff: Staff,
    agency: String,
}

impl FromRequestParts<AppState> for Partner {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let staff = signed_in(parts, state).await?;
        // A partner worker's team is their agency's id in the support directory.
        match (staff.user.role, staff.user.team.clone()) {
            (Role::PartnerAgencyWorker, Some(agency)) => Ok(Self { staff, agency }),
            _ => Err(forbidden()),
        }
    }
}

impl Partner {
    async fn audit(
        &self,
        state: &AppState,
        action: &str,
        referral_id: i64,
        detail: String,
    ) -> Result<(), Response> {
        // The referral id, never the victim: the agency's log is about its own work.
        let entry = AuditEntry {
            action: action.into(),
            detail: format!("referral {referral_id}; agency {}{detail}", self.agency),
            ..AuditEntry::default()
        };
        self.staff.audit(state, entry).await
    }
}

impl AsRef<Staff> for Partner {
    fn as_ref(&self) -> &Staff {
        &self.staff
    }
}

struct Row {
    id: i64,
    status: &'static str,
    made: String,
    who: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "partner/list.html")]
struct ListPage {
    name: String,
    agency: String,
    csrf: String,
    all: bool,
    rows: Vec<Row>,
}

#[derive(Deserialize)]
struct ListQuery {
    all: Option<String>,
}

fn agency_name(state: &AppState, id: &str) -> String {
    state.config.support_directory.name_of(id)
}

async fn list(State(state): State<AppState>, p: Partner, Query(q): Query<ListQuery>) -> Response {
    let all = q.all.is_some();
    let referrals = match state.db.referrals_of_agency(&p.agency, !all).await {
        Ok(r) => r,
        Err(e) => return unavailable(&e),
    };
    let ids: Vec<String> = referrals
        .iter()
        .map(|r| r.referral_id.to_string())
        .collect();
    let entry = AuditEntry {
        action: "listed referrals".into(),
        detail: format!("agency {}; referrals {}", p.agency, ids.join(", ")),
        ..AuditEntry::default()
    };
    if let Err(r) = p.staff.audit(&state, entry).await {
        return r;
    }
    ListPage {
        name: p.staff.user.display_name.clone(),
        agency: agency_name(&state, &p.agency),
        csrf: p.staff.csrf.clone(),
        all,
        rows: referrals
            .into_iter()
            .map(|r| Row {
                id: r.referral_id,
                status: r.status.label(),
                made: when(r.made_at),
                who: r.shared.name.unwrap_or_else(|| "(name not shared)".into()),
            })
            .collect(),
    }
    .into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "partner/referral.html")]
struct ReferralPage {
    name: String,
    agency: String,
    csrf: String,
    r: AgencyReferral,
    status: &'static str,
    made: String,
    waiting: bool,
    open: bool,
    needs: Vec<&'static str>,
    outcomes: Vec<(&'static str, &'static str)>,
    error: Option<(&'static str, String)>,
}

async fn referral_page(
    state: &AppState,
    p: &Partner,
    id: &str,
    error: Option<(&'static str, String)>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return not_found();
    };
    let r = match state.db.referral_for_agency(&p.agency, id).await {
        Ok(Some(r)) => r,
        Ok(None) => return not_found(),
        Err(e) => return unavailable(&e),
    };
    if let Err(resp) = p.audit(state, "viewed referral", id, String::new()).await {
        return resp;
    }
    let page = ReferralPage {
        name: p.staff.user.display_name.clone(),
        agency: agency_name(state, &p.agency),
        csrf: p.staff.csrf.clone(),
        status: r.status.label(),
        made: when(r.made_at),
        waiting: r.status == ReferralStatus::Sent,
        open: matches!(r.status, ReferralStatus::Sent | ReferralStatus::Accepted),
        needs: r.shared.needs.iter().map(|n| n.label()).collect(),
        outcomes: ReferralOutcome::ALL
            .iter()
            .map(|o| (o.as_str(), o.label()))
            .collect(),
        r,
        error: error.clone(),
    };
    if error.is_some() {
        (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
    } else {
        page.into_response()
    }
}

async fn show(State(state): State<AppState>, p: Partner, Path(id): Path<String>) -> Response {
    referral_page(&state, &p, &id, None).await
}

async fn answer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff: p, f }: Posted<Partner>,
) -> Response {
    let Ok(referral_id) = id.parse::<i64>() else {
        return not_found();
    };
    let accept = match f.get("decision") {
        Some("accept") => true,
        Some("decline") => false,
        _ => {
            return referral_page(
                &state,
                &p,
                &id,
                Some(("decision", "Choose whether you accept the referral".into())),
            )
            .await;
        }
    };
    let reason = match domain::text::optional::<500>(f.raw("reason")) {
        Ok(r) => r.map(String::from),
        Err(e) => {
            return referral_page(&state, &p, &id, Some(("reason", format!("The reason {e}"))))
                .await;
        }
    };
    if !accept && reason.is_none() {
        return referral_page(
            &state,
            &p,
            &id,
            Some(("reason", "Say why you cannot take this referral".into())),
        )
        .await;
    }
    let done = state
        .db
        .answer_referral(
            &p.agency,
            referral_id,
            accept,
            reason.as_deref().filter(|_| !accept),
            &p.staff.user.username,
            Utc::now(),
        )
        .await;
    let action = if accept {
        "accepted referral"
    } else {
        "declined referral"
    };
    settled(
        &state,
        &p,
        referral_id,
        "decision",
        done,
        action,
        String::new(),
    )
    .await
}

async fn close(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff: p, f }: Posted<Partner>,
) -> Response {
    let Ok(referral_id) = id.parse::<i64>() else {
        return not_found();
    };
    let Some(outcome) = f.get("outcome").and_then(ReferralOutcome::parse) else {
        return referral_page(
            &state,
            &p,
            &id,
            Some(("outcome", "Choose what came of the referral".into())),
        )
        .await;
    };
    let note = match domain::text::optional::<1000>(f.raw("note")) {
        Ok(n) => n.map(String::from),
        Err(e) => {
            return referral_page(&state, &p, &id, Some(("note", format!("The note {e}")))).await;
        }
    };
    let done = state
        .db
        .close_referral(
            &p.agency,
            referral_id,
            outcome,
            note.as_deref(),
            &p.staff.user.username,
            Utc::now(),
        )
        .await;
    let detail = format!("; {}", outcome.as_str());
    settled(
        &state,
        &p,
        referral_id,
        "outcome",
        done,
        "closed referral",
        detail,
    )
    .await
}

/// After a change: audited and back to the referral; another agency's (or no) referral is
/// 404; the agency's own in the wrong state shows the page again with why, by `field`.
async fn settled(
    state: &AppState,
    p: &Partner,
    referral_id: i64,
    field: &'static str,
    done: Result<(), StoreError>,
    action: &str,
    detail: String,
) -> Response {
    match done {
        Ok(()) => {}
        Err(StoreError::NotFound { .. }) => return not_found(),
        Err(StoreError::Refused(problems)) => {
            let message = problems
                .first()
                .map_or_else(String::new, |p| crate::console::capitalise(&p.problem));
            return referral_page(state, p, &referral_id.to_string(), Some((field, message))).await;
        }
        Err(e) => return unavailable(&e),
    }
    if let Err(r) = p.audit(state, action, referral_id, detail).await {
        return r;
    }
    Redirect::to(&format!("/partner/referrals/{referral_id}")).into_response()
}
