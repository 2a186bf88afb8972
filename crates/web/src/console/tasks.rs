//! Work queues. A team sees its own kinds of task, soonest due first, with how close each is
//! to its deadline; anyone on the team can claim one, give it back, or finish it with what
//! came of it. An officer sees the tasks of their own cases.

use super::{FieldError, Nav, Posted, Staff, forbidden, not_found, unavailable, when};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{TimeDelta, Utc};
use domain::staff::Role;
use serde::Deserialize;
use store::{AuditEntry, QueueFilter, TaskView};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/console/tasks", get(queue))
        .route("/console/tasks/{task_id}/claim", post(claim))
        .route("/console/tasks/{task_id}/release", post(release))
        .route("/console/tasks/{task_id}/complete", post(complete))
        .route("/console/holds/{hold_id}/{decision}", post(decide_hold))
}

/// How close a task is to its deadline, as a word and a colour class.
fn sla(task: &TaskView, now: chrono::DateTime<Utc>) -> (&'static str, &'static str) {
    if task.due_at < now {
        ("Overdue", "sla-red")
    } else if task.due_at - now < TimeDelta::hours(4) {
        ("Due soon", "sla-amber")
    } else {
        ("On time", "sla-green")
    }
}

struct Row {
    task_id: i64,
    kind: String,
    team: &'static str,
    crime_reference: String,
    case_id: i64,
    victim_id: Option<i64>,
    due: String,
    sla: (&'static str, &'static str),
    owner: Option<String>,
    mine: bool,
    detail: String,
}

struct DueRow {
    crime_reference: String,
    case_id: i64,
    victim_id: i64,
    rule: String,
    due: String,
    overdue_today: bool,
}

struct HoldRow {
    hold_id: i64,
    kind: String,
    held: i32,
    since: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/tasks.html")]
struct QueuePage {
    nav: Nav,
    view: String,
    rows: Vec<Row>,
    errors: Vec<FieldError>,
    /// Owed updates due today or earlier and not yet given (victim care's view).
    due: Vec<DueRow>,
    /// Bursts of messages held by the circuit breaker (supervisors decide).
    holds: Vec<HoldRow>,
}

/// What the page shows besides tasks: updates falling due, and held bursts for supervisors.
async fn extras(
    state: &AppState,
    staff: &Staff,
    view: &str,
) -> Result<(Vec<DueRow>, Vec<HoldRow>), Response> {
    let role = staff.user.role;
    let mut due = Vec::new();
    let shows_due = matches!(view, "team" | "victim_care")
        && matches!(
            role,
            Role::VictimCareOfficer | Role::Supervisor | Role::OfficerInCase
        );
    if shows_due {
        let today = domain::calendar::london_date(Utc::now());
        let own = if role == Role::OfficerInCase {
            Some(officer_cases(state, staff).await?)
        } else {
            None
        };
        due = state
            .db
            .obligations_due_by(today, own.as_deref(), 100)
            .await
            .map_err(|e| unavailable(&e))?
            .into_iter()
            .map(|d| DueRow {
                crime_reference: d.crime_reference,
                case_id: d.case_id,
                victim_id: d.victim_id,
                rule: d.rule.replace('_', " "),
                due: crate::pages::local_date_only(d.due_on),
                overdue_today: d.due_on < today,
            })
            .collect();
    }
    let mut holds = Vec::new();
    if role == Role::Supervisor {
        holds = state
            .db
            .message_holds(false)
            .await
            .map_err(|e| unavailable(&e))?
            .into_iter()
            .map(|h| HoldRow {
                hold_id: h.hold_id,
                kind: h.kind.replace('_', " "),
                held: h.held,
                since: when(h.since),
            })
            .collect();
    }
    Ok((due, holds))
}

async fn officer_cases(state: &AppState, staff: &Staff) -> Result<Vec<i64>, Response> {
    Ok(match &staff.user.collar_number {
        Some(c) => state
            .db
            .cases_of_officer(c)
            .await
            .map_err(|e| unavailable(&e))?
            .iter()
            .map(|h| h.case_id)
            .collect(),
        None => Vec::new(),
    })
}

#[derive(Deserialize)]
struct QueueQuery {
    view: Option<String>,
}

/// The kinds of task a role's queue shows.
fn kinds_for(role: Role, view: &str) -> Vec<&'static str> {
    match (role, view) {
        (_, "helpline") => store::HELPLINE_KINDS.to_vec(),
        (_, "victim_care") => store::VICTIM_CARE_KINDS.to_vec(),
        (_, "response") => store::RESPONSE_KINDS.to_vec(),
        (Role::HelplineAgent, _) => store::HELPLINE_KINDS.to_vec(),
        (Role::VictimCareOfficer, _) => store::VICTIM_CARE_KINDS.to_vec(),
        _ => Vec::new(),
    }
}

async fn rows(state: &AppState, staff: &Staff, view: &str) -> Result<Vec<Row>, Response> {
    let mut filter = QueueFilter {
        kinds: kinds_for(staff.user.role, view),
        limit: 200,
        ..QueueFilter::default()
    };
    if view == "mine" {
        filter.kinds.clear();
        filter.owner_id = Some(staff.user.user_id);
    }
    if staff.user.role == Role::OfficerInCase {
        let own = match &staff.user.collar_number {
            Some(c) => state
                .db
                .cases_of_officer(c)
                .await
                .map_err(|e| unavailable(&e))?,
            None => Vec::new(),
        };
        filter.cases = Some(own.iter().map(|h| h.case_id).collect());
    }
    let tasks = state.db.queue(&filter).await.map_err(|e| unavailable(&e))?;
    let now = Utc::now();
    Ok(tasks
        .into_iter()
        .map(|t| Row {
            task_id: t.task_id,
            kind: super::calls_task_label(&t.kind),
            team: match store::team_of(&t.kind) {
                "helpline" => "Helpline",
                "response" => "Response",
                _ => "Victim care",
            },
            crime_reference: t.crime_reference.clone(),
            case_id: t.case_id,
            victim_id: t.victim_id,
            due: when(t.due_at),
            sla: sla(&t, now),
            mine: t.owner_id == Some(staff.user.user_id),
            owner: t.owner.clone(),
            detail: match (&t.preferred_time, &t.reason) {
                (Some(p), _) => format!("Best time: {p}"),
                (None, Some(r)) => r.clone(),
                _ => String::new(),
            },
        })
        .collect())
}

async fn queue(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<QueueQuery>,
) -> Response {
    if !staff.user.role.works_queues() {
        return forbidden();
    }
    let view = match q.view.as_deref() {
        Some(v @ ("mine" | "helpline" | "victim_care" | "response")) => v.to_owned(),
        _ => "team".to_owned(),
    };
    let rows = match rows(&state, &staff, &view).await {
        Ok(rows) => rows,
        Err(r) => return r,
    };
    let (due, holds) = match extras(&state, &staff, &view).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    QueuePage {
        nav: Nav::of(&staff),
        view,
        rows,
        errors: Vec::new(),
        due,
        holds,
    }
    .into_response()
}

/// The task, if the user's role may work it (else 404, whether or not it exists).
async fn workable(state: &AppState, staff: &Staff, task_id: &str) -> Result<TaskView, Response> {
    if !staff.user.role.works_queues() {
        return Err(forbidden());
    }
    let Ok(task_id) = task_id.parse::<i64>() else {
        return Err(not_found());
    };
    let task = match state.db.task(task_id).await {
        Ok(Some(t)) => t,
        Ok(None) => return Err(not_found()),
        Err(e) => return Err(unavailable(&e)),
    };
    if staff.user.role == Role::OfficerInCase {
        let own = match &staff.user.collar_number {
            Some(c) => state
                .db
                .cases_of_officer(c)
                .await
                .map_err(|e| unavailable(&e))?,
            None => Vec::new(),
        };
        if !own.iter().any(|h| h.case_id == task.case_id) {
            return Err(not_found());
        }
    }
    Ok(task)
}

async fn act(
    state: &AppState,
    staff: &Staff,
    task: &TaskView,
    action: &str,
) -> Result<(), Response> {
    staff
        .audit(
            state,
            AuditEntry {
                action: action.into(),
                case_id: Some(task.case_id),
                victim_id: task.victim_id,
                detail: format!("task {}", task.task_id),
                ..AuditEntry::default()
            },
        )
        .await
}

async fn claim(
    State(state): State<AppState>,
    Path(task_id): Path<String>,
    Posted { staff, f: _ }: Posted,
) -> Response {
    let task = match workable(&state, &staff, &task_id).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    match state
        .db
        .claim_task(task.task_id, staff.user.user_id, Utc::now())
        .await
    {
        Ok(true) => {}
        Ok(false) => {
            return queue_error(
                &state,
                &staff,
                "Someone else has taken this task, or it is done.",
            )
            .await;
        }
        Err(e) => return unavailable(&e),
    }
    if let Err(r) = act(&state, &staff, &task, "claimed task").await {
        return r;
    }
    // Straight to the victim, with the task as the reason for opening their case.
    match task.victim_id {
        Some(v) => Redirect::to(&format!(
            "/console/open?case={}&victim={v}&task={}",
            task.case_id, task.task_id
        ))
        .into_response(),
        None => Redirect::to("/console/tasks?view=mine").into_response(),
    }
}

async fn release(
    State(state): State<AppState>,
    Path(task_id): Path<String>,
    Posted { staff, f: _ }: Posted,
) -> Response {
    let task = match workable(&state, &staff, &task_id).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    match state
        .db
        .release_task(task.task_id, staff.user.user_id)
        .await
    {
        Ok(true) => {}
        Ok(false) => return queue_error(&state, &staff, "You do not hold this task.").await,
        Err(e) => return unavailable(&e),
    }
    if let Err(r) = act(&state, &staff, &task, "released task").await {
        return r;
    }
    Redirect::to("/console/tasks").into_response()
}

async fn complete(
    State(state): State<AppState>,
    Path(task_id): Path<String>,
    Posted { staff, f }: Posted,
) -> Response {
    let task = match workable(&state, &staff, &task_id).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let outcome = f.get("outcome").unwrap_or_default();
    if outcome.is_empty() || outcome.chars().count() > 500 {
        return queue_error(
            &state,
            &staff,
            "Say what came of the task (at most 500 characters) before marking it done.",
        )
        .await;
    }
    match state
        .db
        .complete_task(
            task.task_id,
            staff.user.user_id,
            &staff.user.username,
            outcome,
            Utc::now(),
        )
        .await
    {
        Ok(true) => {}
        Ok(false) => {
            return queue_error(&state, &staff, "Claim the task before marking it done.").await;
        }
        Err(e) => return unavailable(&e),
    }
    if let Err(r) = act(&state, &staff, &task, "completed task").await {
        return r;
    }
    Redirect::to("/console/tasks?view=mine").into_response()
}

async fn queue_error(state: &AppState, staff: &Staff, message: &str) -> Response {
    match rows(state, staff, "mine").await {
        Ok(rows) => (
            StatusCode::CONFLICT,
            QueuePage {
                nav: Nav::of(staff),
                view: "mine".into(),
                rows,
                errors: vec![FieldError {
                    field: "tasks",
                    message: message.to_owned(),
                }],
                due: Vec::new(),
                holds: Vec::new(),
            },
        )
            .into_response(),
        Err(r) => r,
    }
}

/// A supervisor releases or discards a burst the circuit breaker held.
async fn decide_hold(
    State(state): State<AppState>,
    Path((hold_id, decision)): Path<(String, String)>,
    Posted { staff, f: _ }: Posted,
) -> Response {
    if staff.user.role != Role::Supervisor {
        return forbidden();
    }
    let (Ok(hold_id), Some(decision)) = (
        hold_id.parse::<i64>(),
        match decision.as_str() {
            "release" => Some(store::HoldDecision::Release),
            "discard" => Some(store::HoldDecision::Discard),
            _ => None,
        },
    ) else {
        return not_found();
    };
    let moved = match state
        .db
        .decide_hold(hold_id, decision, &staff.user.username, Utc::now())
        .await
    {
        Ok(n) => n,
        Err(store::StoreError::NotFound { .. }) => return not_found(),
        Err(e) => return unavailable(&e),
    };
    let entry = AuditEntry {
        action: "decided held burst".into(),
        detail: format!("hold {hold_id}: {decision:?}, {moved} messages"),
        ..AuditEntry::default()
    };
    if let Some(r) = staff.audit(&state, entry).await.err() {
        return r;
    }
    Redirect::to("/console/tasks").into_response()
}

/// Analysts (and others with no victim work) land on the figures, never on victims.
pub(crate) fn figures_only(_staff: &Staff) -> Response {
    Redirect::to("/console/figures").into_response()
}
