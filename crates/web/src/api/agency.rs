//! A support agency's own API: its referrals (only what each victim agreed to share), its
//! answer, and the outcome. A key made for one agency sees nothing of another's: their
//! referrals answer 404, exactly like ones that do not exist.

use super::AgencyCaller;
use crate::{ApiError, AppState};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use chrono::Utc;
use domain::Problem;
use domain::support::ReferralOutcome;
use serde::{Deserialize, Serialize};
use store::AgencyReferral;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// `all` for every referral; by default only those waiting or accepted.
    status: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReferralList {
    #[schema(value_type = Vec<Object>)]
    referrals: Vec<AgencyReferral>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// True to take the referral on, false to decline it.
    accept: Option<bool>,
    /// Why it is declined (required then), at most 500 characters.
    reason: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Closure {
    /// supported, victim_declined, no_contact or referred_on.
    outcome: Option<String>,
    /// At most 1,000 characters.
    note: Option<String>,
}

fn referral_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound("referral"))
}

/// Optional free text of at most `MAX` characters; a problem is listed under `name`.
fn text<const MAX: usize>(
    problems: &mut Vec<Problem>,
    name: &str,
    raw: Option<&str>,
) -> Option<String> {
    domain::text::optional::<MAX>(raw)
        .map_err(|e| problems.push(Problem::new(name, e)))
        .ok()
        .flatten()
        .map(String::from)
}

async fn audit(state: &AppState, key: i64, action: &str, detail: String) -> Result<(), ApiError> {
    let entry = store::AuditEntry {
        actor: format!("api key {key}"),
        action: action.into(),
        detail,
        ..store::AuditEntry::default()
    };
    state.db.audit(&entry, Utc::now()).await?;
    Ok(())
}

/// The agency's referrals, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/agency/referrals",
    tag = "agency",
    params(ListQuery),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The referrals, with only what each victim agreed to share", body = ReferralList),
        (status = 401, description = "Missing, unknown or revoked API key"),
        (status = 403, description = "The key is not an agency's"),
    )
)]
pub async fn get_referrals(
    State(state): State<AppState>,
    AgencyCaller(key, agency): AgencyCaller,
    Query(q): Query<ListQuery>,
) -> Result<Json<ReferralList>, ApiError> {
    let all = match q.status.as_deref() {
        None | Some("open") => false,
        Some("all") => true,
        Some(_) => {
            return Err(ApiError::problems(vec![Problem::new(
                "status",
                "must be open or all",
            )]));
        }
    };
    let referrals = state.db.referrals_of_agency(&agency, !all).await?;
    let ids: Vec<String> = referrals
        .iter()
        .map(|r| r.referral_id.to_string())
        .collect();
    audit(
        &state,
        key,
        "listed referrals",
        format!("agency {agency}; referrals {}", ids.join(", ")),
    )
    .await?;
    Ok(Json(ReferralList { referrals }))
}

/// One referral of the agency's.
#[utoipa::path(
    get,
    path = "/api/v1/agency/referrals/{id}",
    tag = "agency",
    params(("id" = i64, Path, description = "The referral's id")),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The referral", body = Object),
        (status = 401, description = "Missing, unknown or revoked API key"),
        (status = 404, description = "No such referral for this agency"),
    )
)]
pub async fn get_referral(
    State(state): State<AppState>,
    AgencyCaller(key, agency): AgencyCaller,
    Path(id): Path<String>,
) -> Result<Json<AgencyReferral>, ApiError> {
    let id = referral_id(&id)?;
    let r = state
        .db
        .referral_for_agency(&agency, id)
        .await?
        .ok_or(ApiError::NotFound("referral"))?;
    audit(
        &state,
        key,
        "viewed referral",
        format!("referral {id}; agency {agency}"),
    )
    .await?;
    Ok(Json(r))
}

/// Accepts or declines a waiting referral.
#[utoipa::path(
    post,
    path = "/api/v1/agency/referrals/{id}/answer",
    tag = "agency",
    params(("id" = i64, Path, description = "The referral's id")),
    request_body = Answer,
    security(("api_key" = [])),
    responses(
        (status = 200, description = "Recorded; the referral as it now stands", body = Object),
        (status = 404, description = "No such referral for this agency"),
        (status = 422, description = "Not recorded: every problem is listed"),
    )
)]
pub async fn post_answer(
    State(state): State<AppState>,
    AgencyCaller(key, agency): AgencyCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<AgencyReferral>, ApiError> {
    let id = referral_id(&id)?;
    let answer: Answer = super::read_json(&body)?;
    let mut problems = Vec::new();
    let reason = text::<500>(&mut problems, "reason", answer.reason.as_deref());
    match answer.accept {
        None => problems.push(Problem::new("accept", "is required (true or false)")),
        Some(false) if reason.is_none() => {
            problems.push(Problem::new("reason", "is required to decline"));
        }
        Some(_) => {}
    }
    let (Some(accept), true) = (answer.accept, problems.is_empty()) else {
        return Err(ApiError::problems(problems));
    };
    let by = format!("api key {key}");
    let reason = reason.filter(|_| !accept);
    state
        .db
        .answer_referral(&agency, id, accept, reason.as_deref(), &by, Utc::now())
        .await?;
    let action = if accept {
        "accepted referral"
    } else {
        "declined referral"
    };
    changed(&state, key, &agency, id, action, String::new()).await
}

/// Records the outcome and closes the referral.
#[utoipa::path(
    post,
    path = "/api/v1/agency/referrals/{id}/close",
    tag = "agency",
    params(("id" = i64, Path, description = "The referral's id")),
    request_body = Closure,
    security(("api_key" = [])),
    responses(
        (status = 200, description = "Closed; the referral as it now stands", body = Object),
        (status = 404, description = "No such referral for this agency"),
        (status = 422, description = "Not recorded: every problem is listed"),
    )
)]
pub async fn post_close(
    State(state): State<AppState>,
    AgencyCaller(key, agency): AgencyCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<AgencyReferral>, ApiError> {
    let id = referral_id(&id)?;
    let closure: Closure = super::read_json(&body)?;
    let mut problems = Vec::new();
    let note = text::<1000>(&mut problems, "note", closure.note.as_deref());
    let outcome = match closure.outcome.as_deref() {
        None => {
            problems.push(Problem::new("outcome", "is required"));
            None
        }
        Some(o) => ReferralOutcome::parse(o).or_else(|| {
            problems.push(Problem::new(
                "outcome",
                "must be supported, victim_declined, no_contact or referred_on",
            ));
            None
        }),
    };
    let (Some(outcome), true) = (outcome, problems.is_empty()) else {
        return Err(ApiError::problems(problems));
    };
    let by = format!("api key {key}");
    state
        .db
        .close_referral(&agency, id, outcome, note.as_deref(), &by, Utc::now())
        .await?;
    let detail = format!("; {}", outcome.as_str());
    changed(&state, key, &agency, id, "closed referral", detail).await
}

/// After a change: audited, and the referral as it now stands.
async fn changed(
    state: &AppState,
    key: i64,
    agency: &str,
    id: i64,
    action: &str,
    detail: String,
) -> Result<Json<AgencyReferral>, ApiError> {
    audit(
        state,
        key,
        action,
        format!("referral {id}; agency {agency}{detail}"),
    )
    .await?;
    let r = state
        .db
        .referral_for_agency(agency, id)
        .await?
        .ok_or(ApiError::NotFound("referral"))?;
    Ok(Json(r))
}
