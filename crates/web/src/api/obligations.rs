//! What the Code says each victim is owed, and its proof: contacts that meet obligations,
//! waivers, the obligations of a case, and compliance figures.

use super::ApiCaller;
use crate::{ApiError, AppState};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use chrono::{NaiveDate, Utc};
use domain::Problem;
use domain::contact::ContactReport;
use serde::{Deserialize, Serialize};
use store::{Compliance, ContactRecorded, GroupBy, ObligationView};
use utoipa::{IntoParams, ToSchema};

/// A contact with a victim.
#[derive(Deserialize, ToSchema)]
#[schema(as = Contact)]
#[allow(dead_code)] // documents the body, which is read by `ContactReport::parse`
struct ContactDoc {
    /// The reporting system's name; with `id`, it makes a resend a no-op.
    #[schema(example = "helpline")]
    source: String,
    /// The reporting system's own id for this contact.
    #[schema(example = "C-20261128-0042")]
    id: String,
    #[schema(example = "1234567/26")]
    crime_reference: String,
    /// The victim's reference, as the crime recording system gave it.
    #[schema(example = "P00000042")]
    victim: String,
    /// When the contact happened (RFC 3339).
    #[schema(example = "2026-11-27T10:30:00Z")]
    occurred_at: String,
    /// phone, sms, email, letter, in_person, video or portal.
    #[schema(example = "phone")]
    channel: String,
    /// informed (the victim was told: the obligations are met), attempted (nobody reached:
    /// they stay open) or declined (the victim did not want the information).
    #[schema(example = "informed")]
    outcome: String,
    /// The obligations (ids from `GET /api/v1/obligations`) whose information it carried.
    #[schema(example = json!([17, 18]))]
    obligations: Option<Vec<i64>>,
}

/// Record a contact with a victim.
///
/// A contact that informed the victim meets the obligations it names (on time or late, by
/// London date against the due date) and the victim's periodic update in that case. One the
/// victim declined closes the named obligations as not wanted. An attempt meets nothing.
/// Resending a contact (same source and id) changes nothing.
#[utoipa::path(
    post,
    path = "/api/v1/contacts",
    tag = "obligations",
    request_body = ContactDoc,
    security(("api_key" = [])),
    responses(
        (status = 200, description = "Recorded: the contact's id, whether it was a resend, and the obligations it met or closed as not wanted", body = Object),
        (status = 401, description = "Missing, unknown or revoked API key"),
        (status = 422, description = "Not recorded: every problem is listed"),
    )
)]
pub async fn post_contact(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: Bytes,
) -> Result<Json<ContactRecorded>, ApiError> {
    let now = Utc::now();
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::problems(vec![Problem::new("", "must be UTF-8 text")]))?;
    let contact = ContactReport::parse(text, now).map_err(ApiError::problems)?;
    let recorded = state.db.record_contact(&contact, &caller.name, now).await?;
    tracing::info!(
        api_key_id = caller.api_key_id,
        contact_id = recorded.contact_id,
        met = recorded.met.len(),
        "contact recorded"
    );
    Ok(Json(recorded))
}

#[derive(Deserialize, IntoParams)]
pub struct ObligationQuery {
    /// The case's crime reference.
    crime_reference: Option<String>,
    /// Only this victim's obligations (their reference).
    victim: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ObligationList {
    #[schema(value_type = Vec<Object>)]
    obligations: Vec<ObligationView>,
}

/// The obligations of a case, soonest due first, with their status and explanation.
#[utoipa::path(
    get,
    path = "/api/v1/obligations",
    tag = "obligations",
    params(ObligationQuery),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The case's obligations", body = ObligationList),
        (status = 404, description = "No case has this crime reference"),
        (status = 422, description = "A parameter is missing or malformed"),
    )
)]
pub async fn get_obligations(
    State(state): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    Query(q): Query<ObligationQuery>,
) -> Result<Json<ObligationList>, ApiError> {
    let (reference, victim) =
        super::case_and_victim(q.crime_reference.as_deref(), q.victim.as_deref())?;
    let obligations = state
        .db
        .obligations_by_reference(&reference, victim.as_ref())
        .await?
        .ok_or(ApiError::NotFound("case"))?;
    Ok(Json(ObligationList { obligations }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// Why the victim is not owed this after all, in words an inspector can follow.
    reason: Option<String>,
    /// Who approved the waiver (a supervisor's name or collar number).
    approved_by: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Waived {
    obligation_id: i64,
    status: &'static str,
}

/// Waive an obligation, with the reason and who approved it.
#[utoipa::path(
    post,
    path = "/api/v1/obligations/{id}/waive",
    tag = "obligations",
    request_body = Waiver,
    params(("id" = i64, Path, description = "The obligation's id")),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "Waived", body = Waived),
        (status = 404, description = "No such obligation"),
        (status = 422, description = "A field is missing, or the obligation is already closed"),
    )
)]
pub async fn post_waiver(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Waived>, ApiError> {
    // An id that is not a whole number names no obligation: the same JSON 404 as any other.
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound("obligation"))?;
    let waiver: Waiver = serde_json::from_slice(&body).map_err(|e| {
        ApiError::problems(vec![Problem::new(
            "",
            format!(
                "must be an object with `reason` and `approved_by` ({})",
                e.to_string().split(" at line ").next().unwrap_or_default()
            ),
        )])
    })?;
    let mut problems = Vec::new();
    let reason = match waiver.reason.as_deref().map(domain::text::LongText::parse) {
        None => {
            problems.push(Problem::new("reason", "is required"));
            None
        }
        Some(Err(p)) => {
            problems.push(Problem::new("reason", p));
            None
        }
        Some(Ok(r)) => Some(r),
    };
    let approved_by = match waiver
        .approved_by
        .as_deref()
        .map(domain::text::ShortText::parse)
    {
        None => {
            problems.push(Problem::new("approved_by", "is required"));
            None
        }
        Some(Err(p)) => {
            problems.push(Problem::new("approved_by", p));
            None
        }
        Some(Ok(a)) => Some(a),
    };
    let (Some(reason), Some(approved_by)) = (reason, approved_by) else {
        return Err(ApiError::problems(problems));
    };
    state
        .db
        .waive_obligation(
            id,
            reason.as_str(),
            &caller.name,
            approved_by.as_str(),
            Utc::now(),
        )
        .await?;
    tracing::info!(
        api_key_id = caller.api_key_id,
        obligation_id = id,
        "obligation waived"
    );
    Ok(Json(Waived {
        obligation_id: id,
        status: "waived",
    }))
}

#[derive(Deserialize, IntoParams)]
pub struct ComplianceQuery {
    /// First due date counted (YYYY-MM-DD).
    from: Option<String>,
    /// Last due date counted (YYYY-MM-DD), inclusive.
    to: Option<String>,
    /// rule (the default), borough or month.
    group_by: Option<String>,
}

/// Parses the compliance parameters, naming every problem.
pub fn compliance_params(
    from: Option<&str>,
    to: Option<&str>,
    group_by: Option<&str>,
) -> Result<(NaiveDate, NaiveDate, GroupBy), Vec<Problem>> {
    let mut problems = Vec::new();
    let mut date = |name: &str, raw: Option<&str>| match raw {
        None => {
            problems.push(Problem::new(name, "is required (YYYY-MM-DD)"));
            None
        }
        Some(raw) => NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
            .map_err(|_| {
                problems.push(Problem::new(
                    name,
                    "must be a date written YYYY-MM-DD, like 2026-04-01",
                ))
            })
            .ok(),
    };
    let from = date("from", from);
    let to = date("to", to);
    let group_by = match group_by {
        None => Some(GroupBy::Rule),
        Some(raw) => GroupBy::parse(raw.trim()).or_else(|| {
            problems.push(Problem::new(
                "group_by",
                "must be one of rule, borough, month",
            ));
            None
        }),
    };
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        problems.push(Problem::new("to", "must not be before `from`"));
    }
    match (from, to, group_by) {
        (Some(from), Some(to), Some(group_by)) if problems.is_empty() => Ok((from, to, group_by)),
        _ => Err(problems),
    }
}

/// Obligations due in a period: met on time, met late, breached, waived, not wanted, still
/// open, and the percentage met on time (of those met or breached).
#[utoipa::path(
    get,
    path = "/api/v1/compliance",
    tag = "obligations",
    params(ComplianceQuery),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The figures, by group and in total", body = Object),
        (status = 422, description = "A parameter is missing or malformed"),
    )
)]
pub async fn get_compliance(
    State(state): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    Query(q): Query<ComplianceQuery>,
) -> Result<Json<Compliance>, ApiError> {
    let (from, to, group_by) =
        compliance_params(q.from.as_deref(), q.to.as_deref(), q.group_by.as_deref())
            .map_err(ApiError::problems)?;
    Ok(Json(state.db.compliance(from, to, group_by).await?))
}
