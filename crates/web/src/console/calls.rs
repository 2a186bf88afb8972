//! The call screen: a member of staff dealing with one victim of one case. Opening it is
//! recorded with the reason for access (asked unless the victim is plainly theirs: a call
//! put through to them, a task they hold, or their own case as its officer). Until the caller
//! is verified it shows only what may be said to anyone; then the victim's status (the same
//! view model as their own page), what they are owed, how to contact them safely, messages,
//! calls and the contact log, with the form that records this contact.

use super::{FieldError, Nav, Posted, Staff, forbidden, not_found, unavailable, when};
use crate::AppState;
use crate::i18n::{Lang, Texts};
use crate::status::{CaseStatus, status_from_obligations};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::London;
use domain::contact::{ContactChannel, ContactOutcome};
use domain::staff::{Role, Verification};
use serde::Deserialize;
use store::{AuditEntry, CaseDetail, NewLogEntry, PinCheck, StaffCall};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/console/open", get(open_form))
        .route("/console/calls", post(open_call))
        .route("/console/calls/{call_id}", get(call_screen))
        .route("/console/calls/{call_id}/verify", post(verify))
        .route("/console/calls/{call_id}/log", post(log))
}

/// The reasons for opening a case that is not plainly the user's own.
const REASONS: [(&str, &str); 5] = [
    ("caller", "The victim (or someone for them) is on the phone"),
    ("returning", "Returning a call or message"),
    ("update", "Preparing an update the victim is owed"),
    ("check", "Checking the case for a supervisor or a complaint"),
    ("other", "Something else (say what)"),
];

#[derive(Deserialize)]
struct OpenQuery {
    case: Option<String>,
    victim: Option<String>,
    task: Option<String>,
    pop: Option<String>,
}

/// Whether the user may open this victim of this case at all: `Ok(case)` if so, else the
/// answer to give (403 for a role that never may, 404 otherwise, whether or not it exists).
async fn reachable(
    state: &AppState,
    staff: &Staff,
    case_id: i64,
    victim_id: i64,
) -> Result<CaseDetail, Response> {
    if !staff.user.role.opens_cases() {
        return Err(forbidden());
    }
    let case = match state.db.case_by_id(case_id).await {
        Ok(Some(c)) => c,
        Ok(None) => return Err(not_found()),
        Err(e) => return Err(unavailable(&e)),
    };
    if !case.victims.iter().any(|v| v.victim_id == victim_id) {
        return Err(not_found());
    }
    if staff.user.role == Role::OfficerInCase && !own_case(staff, &case) {
        return Err(not_found());
    }
    Ok(case)
}

fn own_case(staff: &Staff, case: &CaseDetail) -> bool {
    let collar = case
        .state
        .officer
        .as_ref()
        .and_then(|o| o.collar_number.as_ref())
        .map(|c| c.as_str());
    staff.user.collar_number.is_some() && staff.user.collar_number.as_deref() == collar
}

/// Why this victim is plainly the user's: returns the reason to record, if so.
async fn plainly_theirs(
    state: &AppState,
    staff: &Staff,
    case: &CaseDetail,
    victim_id: i64,
    task: Option<i64>,
    pop: Option<i64>,
) -> Result<Option<String>, Response> {
    if staff.user.role == Role::OfficerInCase && own_case(staff, case) {
        return Ok(Some("officer in the case".into()));
    }
    // An open task this user holds, about this victim (or the whole case).
    if let Some(task_id) = task {
        match state.db.task(task_id).await {
            Ok(Some(t))
                if t.case_id == case.case_id
                    && t.owner_id == Some(staff.user.user_id)
                    && t.closed_at.is_none()
                    && t.victim_id.is_none_or(|v| v == victim_id) =>
            {
                return Ok(Some(format!("working task {task_id}")));
            }
            Ok(_) => {}
            Err(e) => return Err(unavailable(&e)),
        }
    }
    // A call put through to this user in the last hours, from this victim's own number.
    if let Some(pop) = pop {
        let call = state
            .db
            .telephony_call(pop)
            .await
            .map_err(|e| unavailable(&e))?;
        if let Some(c) = call
            && c.agent.as_deref() == Some(staff.user.username.as_str())
            && Utc::now() - c.offered_at < POP_LIFETIME
            && let Some(digest) = c.caller_index
        {
            let from_them = state
                .db
                .victims_by_phone_digest(digest)
                .await
                .map_err(|e| unavailable(&e))?
                .iter()
                .any(|h| h.case_id == case.case_id && h.victim_id == victim_id);
            if from_them {
                return Ok(Some(format!("incoming call {pop}")));
            }
        }
    }
    Ok(None)
}

/// How long after a call arrives it still counts as the reason to open its caller's case.
const POP_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::hours(2);

/// How long a call screen stays open: after that, the case is opened again (with a reason
/// if need be) and the caller verified again.
const CALL_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::hours(8);

#[derive(Template, WebTemplate)]
#[template(path = "console/open.html")]
struct OpenPage {
    nav: Nav,
    case_id: i64,
    victim_id: i64,
    task: Option<i64>,
    pop: Option<i64>,
    crime_reference: String,
    name: String,
    /// None when no reason is needed.
    reasons: Option<Vec<(&'static str, &'static str)>>,
    chosen: String,
    note: String,
    errors: Vec<FieldError>,
}

impl OpenPage {
    fn is_chosen(&self, key: &str) -> bool {
        self.chosen == key
    }
}

fn id(raw: Option<&str>) -> Option<i64> {
    raw.and_then(|v| v.trim().parse().ok())
}

async fn open_form(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<OpenQuery>,
) -> Response {
    let (Some(case_id), Some(victim_id)) = (id(q.case.as_deref()), id(q.victim.as_deref())) else {
        return not_found();
    };
    let case = match reachable(&state, &staff, case_id, victim_id).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let (task, pop) = (id(q.task.as_deref()), id(q.pop.as_deref()));
    let theirs = match plainly_theirs(&state, &staff, &case, victim_id, task, pop).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let name = victim_name(&case, victim_id);
    // The page names the victim: recorded, even if the case is not then opened.
    let entry = AuditEntry {
        action: "asked to open case".into(),
        case_id: Some(case_id),
        victim_id: Some(victim_id),
        detail: if theirs.is_some() {
            "theirs".into()
        } else {
            "reason asked".into()
        },
        ..AuditEntry::default()
    };
    if let Err(r) = staff.audit(&state, entry).await {
        return r;
    }
    OpenPage {
        nav: Nav::of(&staff),
        case_id,
        victim_id,
        task,
        pop,
        crime_reference: case.state.crime_reference.to_string(),
        name,
        reasons: theirs.is_none().then(|| REASONS.to_vec()),
        chosen: String::new(),
        note: String::new(),
        errors: Vec::new(),
    }
    .into_response()
}

fn victim_name(case: &CaseDetail, victim_id: i64) -> String {
    case.victims
        .iter()
        .find(|v| v.victim_id == victim_id)
        .map(|v| v.record.name.to_string())
        .unwrap_or_default()
}

async fn open_call(State(state): State<AppState>, Posted { staff, f }: Posted) -> Response {
    let (Some(case_id), Some(victim_id)) = (id(f.get("case")), id(f.get("victim"))) else {
        return not_found();
    };
    let case = match reachable(&state, &staff, case_id, victim_id).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let (task, pop) = (id(f.get("task")), id(f.get("pop")));
    let theirs = match plainly_theirs(&state, &staff, &case, victim_id, task, pop).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let reason = match theirs {
        Some(r) => r,
        None => {
            let chosen = f.get("reason").unwrap_or_default();
            let note = f.get("note").unwrap_or_default();
            let mut errors = Vec::new();
            match REASONS.iter().find(|(k, _)| *k == chosen) {
                None => errors.push(FieldError {
                    field: "reason",
                    message: "Choose why you need to open this case".into(),
                }),
                Some(("other", _)) if note.is_empty() => errors.push(FieldError {
                    field: "note",
                    message: "Say why you need to open this case".into(),
                }),
                _ => {}
            }
            if note.chars().count() > 200 {
                errors.push(FieldError {
                    field: "note",
                    message: "The reason must be at most 200 characters".into(),
                });
            }
            if !errors.is_empty() {
                let page = OpenPage {
                    nav: Nav::of(&staff),
                    case_id,
                    victim_id,
                    task,
                    pop,
                    crime_reference: case.state.crime_reference.to_string(),
                    name: victim_name(&case, victim_id),
                    reasons: Some(REASONS.to_vec()),
                    chosen: chosen.to_owned(),
                    note: note.to_owned(),
                    errors,
                };
                return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
            }
            let label = REASONS
                .iter()
                .find(|(k, _)| *k == chosen)
                .map_or("", |(_, l)| l);
            if note.is_empty() {
                label.to_owned()
            } else {
                format!("{label}: {note}")
            }
        }
    };
    let now = Utc::now();
    // The call is linked only when it was the reason: someone else's call never is.
    let telephony = pop.filter(|_| reason.starts_with("incoming call"));
    let call_id = match state
        .db
        .open_staff_call(
            staff.user.user_id,
            case_id,
            victim_id,
            telephony,
            Some(&reason),
            now,
        )
        .await
    {
        Ok(id) => id,
        Err(e) => return unavailable(&e),
    };
    let entry = AuditEntry {
        action: "opened case".into(),
        case_id: Some(case_id),
        victim_id: Some(victim_id),
        reason: Some(reason),
        detail: format!("call {call_id}"),
        ..AuditEntry::default()
    };
    if let Err(r) = staff.audit(&state, entry).await {
        return r;
    }
    Redirect::to(&format!("/console/calls/{call_id}")).into_response()
}

/// The call, if it is this user's, still recent, and its case still theirs to open (an
/// officer moved off the case loses it at once), with the case as read for that check.
/// Anything else answers 404.
pub(crate) async fn own_call(
    state: &AppState,
    staff: &Staff,
    call_id: &str,
) -> Result<(StaffCall, CaseDetail), Response> {
    let Ok(call_id) = call_id.parse::<i64>() else {
        return Err(not_found());
    };
    if !staff.user.role.opens_cases() {
        return Err(forbidden());
    }
    let call = match state.db.staff_call(call_id).await {
        Ok(Some(c))
            if c.user_id == staff.user.user_id && Utc::now() - c.started_at < CALL_LIFETIME =>
        {
            c
        }
        Ok(_) => return Err(not_found()),
        Err(e) => return Err(unavailable(&e)),
    };
    let case = reachable(state, staff, call.case_id, call.victim_id).await?;
    Ok((call, case))
}

struct ObligationRow {
    id: i64,
    rule: String,
    due: String,
    status: String,
    explanation: String,
    open: bool,
}

struct MessageRow {
    about: String,
    status: String,
    channel: String,
    at: String,
}

struct LogRow {
    entry_id: i64,
    at: String,
    by: String,
    summary: String,
    note: String,
    follow_up: Option<String>,
    corrects: Option<i64>,
}

struct TaskRow {
    task_id: i64,
    kind: String,
    due: String,
    owner: String,
    closed: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/call.html")]
struct CallPage {
    nav: Nav,
    call_id: i64,
    crime_reference: String,
    name: String,
    reason: String,
    verification: Option<Verification>,
    verified: bool,
    /// Verification by answers has been refused too often on this call.
    answers_spent: bool,
    safety: Vec<String>,
    // What follows is shown only once the caller is verified.
    status: Option<CaseStatus>,
    contact: Vec<(&'static str, String)>,
    officer_contact: Vec<(&'static str, String)>,
    enhanced_reasons: Vec<String>,
    obligations: Vec<ObligationRow>,
    messages: Vec<MessageRow>,
    calls: Vec<(String, String, String)>,
    log: Vec<LogRow>,
    tasks: Vec<TaskRow>,
    form_id: String,
    errors: Vec<FieldError>,
    notice: Option<String>,
}

impl CallPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

pub(crate) fn task_label(kind: &str) -> String {
    match kind {
        "callback_requested" => "Call back (asked on their page)".into(),
        "callback_promised" => "Call back (promised on the phone)".into(),
        "contact_change_check" => "Check a new way to contact them".into(),
        "obligation_breached" => "Update overdue".into(),
        "message_needs_person" => "Message could not be sent safely".into(),
        "referral_unanswered" => "Referral not answered by the agency".into(),
        "burglary_unattended" => "Home burglary: no officer has attended yet".into(),
        other => other.replace('_', " "),
    }
}

async fn build_page(
    state: &AppState,
    staff: &Staff,
    call: &StaffCall,
    case: &CaseDetail,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> Result<CallPage, Response> {
    let Some(victim) = case.victims.iter().find(|v| v.victim_id == call.victim_id) else {
        return Err(not_found());
    };
    let restricted = state
        .db
        .restricted_channels(call.victim_id)
        .await
        .map_err(|e| unavailable(&e))?;
    let mut record = victim.record.clone();
    record.contact_agreement = crate::portal::honoured(&record, &restricted);
    let today = domain::calendar::london_date(Utc::now());
    let safety = domain::staff::safety_notes(&record, case.state.flags.domestic_abuse, today);
    let verified = call.verification.is_some_and(Verification::verified);
    // Every showing of the page is a view of the victim's data, re-shown forms included.
    let entry = AuditEntry {
        action: "viewed case".into(),
        case_id: Some(call.case_id),
        victim_id: Some(call.victim_id),
        detail: format!(
            "call {}; {}",
            call.call_id,
            if verified {
                "full view"
            } else {
                "before verification"
            }
        ),
        ..AuditEntry::default()
    };
    staff.audit(state, entry).await?;
    let mut page = CallPage {
        nav: Nav::of(staff),
        call_id: call.call_id,
        crime_reference: case.state.crime_reference.to_string(),
        name: record.name.to_string(),
        reason: call.reason.clone().unwrap_or_default(),
        verification: call.verification,
        verified,
        answers_spent: call.failed_checks >= store::MAX_CALL_CHECKS,
        safety,
        status: None,
        contact: Vec::new(),
        officer_contact: Vec::new(),
        enhanced_reasons: Vec::new(),
        obligations: Vec::new(),
        messages: Vec::new(),
        calls: Vec::new(),
        log: Vec::new(),
        tasks: Vec::new(),
        form_id: format!("console-{}", rand::random::<u64>()),
        errors,
        notice,
    };
    let db = &state.db;
    let (obligations, messages, calls, log, tasks) = tokio::join!(
        db.obligations_of_victim(call.case_id, call.victim_id),
        db.messages_of_victim(call.case_id, call.victim_id),
        db.recent_calls(call.case_id, call.victim_id),
        db.contact_log(call.case_id, call.victim_id),
        db.tasks_of_victim(call.case_id, call.victim_id),
    );
    let obligations = obligations.map_err(|e| unavailable(&e))?;
    page.calls = calls
        .map_err(|e| unavailable(&e))?
        .into_iter()
        .map(|(at, by, how)| {
            let how = how
                .as_deref()
                .and_then(Verification::parse)
                .map_or("not recorded", Verification::label);
            (when(at), by, how.to_owned())
        })
        .collect();
    page.tasks = tasks
        .map_err(|e| unavailable(&e))?
        .into_iter()
        .map(|t| TaskRow {
            task_id: t.task_id,
            kind: task_label(&t.kind),
            due: when(t.due_at),
            owner: t.owner.unwrap_or_else(|| "nobody yet".into()),
            closed: t.closed_at.is_some(),
        })
        .collect();
    if !verified {
        return Ok(page);
    }
    // Staff read the English words: the same texts the victim's page uses in English.
    page.status = Some(status_from_obligations(
        Texts::new(Lang::EnGb),
        case,
        record.victim_ref.as_str(),
        &obligations,
    ));
    for o in &obligations {
        if let Some(list) = o.reasons.0.get("reasons").and_then(|r| r.as_array()) {
            for r in list {
                // A stored reason is its name ("domestic_abuse"); staff read its label.
                let text = serde_json::from_value::<domain::enhanced::EnhancedReason>(r.clone())
                    .map(|reason| reason.label().to_owned())
                    .unwrap_or_else(|_| r.as_str().unwrap_or_default().replace('_', " "));
                if !page.enhanced_reasons.contains(&text) {
                    page.enhanced_reasons.push(text);
                }
            }
        }
    }
    page.obligations = obligations
        .iter()
        .map(|o| ObligationRow {
            id: o.obligation_id,
            rule: o.rule.replace('_', " "),
            due: crate::pages::local_date_only(o.due_on),
            status: o.status.replace('_', " "),
            explanation: o.explanation.clone(),
            open: o.status == "open" || o.status == "breached",
        })
        .collect();
    let agreement = &record.contact_agreement;
    let mut contact = Vec::new();
    if let Some(p) = &record.phone {
        contact.push(("Phone", p.for_reading()));
    }
    if let Some(e) = &record.email {
        contact.push(("Email", e.to_string()));
    }
    if let Some(a) = &record.address {
        let mut lines: Vec<String> = a.lines.iter().map(ToString::to_string).collect();
        if let Some(t) = &a.town {
            lines.push(t.to_string());
        }
        lines.push(a.postcode.to_string());
        contact.push(("Address", lines.join(", ")));
    }
    let safe: Vec<&str> = agreement.safe_channels.iter().map(|c| c.as_str()).collect();
    contact.push((
        "Safe ways",
        if safe.is_empty() {
            "none agreed: do not contact without checking".into()
        } else {
            safe.join(", ").replace('_', " ")
        },
    ));
    contact.push(("How often", agreement.frequency.as_str().replace('_', " ")));
    contact.push(("Language", record.language.to_string()));
    page.contact = contact;
    if let Some(o) = &case.state.officer {
        let mut oc = vec![("Name", o.name.to_string())];
        if let Some(c) = &o.collar_number {
            oc.push(("Collar number", c.to_string()));
        }
        if let Some(t) = &o.team {
            oc.push(("Team", t.to_string()));
        }
        if let Some(p) = &o.phone {
            oc.push(("Phone", p.for_reading()));
        }
        if let Some(e) = &o.email {
            oc.push(("Email", e.to_string()));
        }
        page.officer_contact = oc;
    }
    page.messages = messages
        .map_err(|e| unavailable(&e))?
        .into_iter()
        .map(|m| MessageRow {
            about: m.kind.replace('_', " "),
            status: m.status.replace('_', " "),
            channel: m.channel.unwrap_or_else(|| "–".into()).replace('_', " "),
            at: when(m.delivered_at.or(m.sent_at).unwrap_or(m.created_at)),
        })
        .collect();
    page.log = log
        .map_err(|e| unavailable(&e))?
        .into_iter()
        .map(|l| LogRow {
            entry_id: l.entry_id,
            at: when(l.at),
            by: l.by,
            summary: format!(
                "{} {} with {}: {}",
                l.direction,
                l.channel.replace('_', " "),
                l.who.replace('_', " "),
                l.outcome
            ),
            note: l.note,
            follow_up: l.follow_up,
            corrects: l.corrects,
        })
        .collect();
    Ok(page)
}

#[derive(Deserialize)]
struct ScreenQuery {
    logged: Option<String>,
}

async fn call_screen(
    State(state): State<AppState>,
    staff: Staff,
    Path(call_id): Path<String>,
    Query(q): Query<ScreenQuery>,
) -> Response {
    let (call, case) = match own_call(&state, &staff, &call_id).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let notice = q.logged.map(|_| "Contact recorded.".to_owned());
    match build_page(&state, &staff, &call, &case, Vec::new(), notice).await {
        Ok(page) => page.into_response(),
        Err(r) => r,
    }
}

/// Checks what the caller said against the record.
async fn verify(
    State(state): State<AppState>,
    Path(call_id): Path<String>,
    Posted { staff, f }: Posted,
) -> Response {
    let (call, case) = match own_call(&state, &staff, &call_id).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let now = Utc::now();
    let Some(method) = f.get("method").and_then(Verification::parse) else {
        return again(
            &state,
            &staff,
            (&call, &case),
            "method",
            "Choose how the caller was verified",
        )
        .await;
    };
    let spent = call.failed_checks >= store::MAX_CALL_CHECKS;
    let answers = matches!(
        method,
        Verification::DateOfBirthAndPostcode | Verification::PortalPin
    );
    if answers && spent {
        return again(
            &state,
            &staff,
            (&call, &case),
            "method",
            "Too many wrong answers on this call. Offer to call them back on the number we hold.",
        )
        .await;
    }
    let right = match method {
        Verification::DateOfBirthAndPostcode => {
            let dob = f
                .get("dob")
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            let postcode = f
                .get("postcode")
                .and_then(|p| domain::victim::Postcode::parse(p).ok());
            let (Some(dob), Some(postcode)) = (dob, postcode) else {
                return again(
                    &state,
                    &staff,
                    (&call, &case),
                    "dob",
                    "Enter the date of birth (like 1980-03-27) and the postcode the caller gave",
                )
                .await;
            };
            let record = case
                .victims
                .iter()
                .find(|v| v.victim_id == call.victim_id)
                .map(|v| &v.record);
            record.is_some_and(|r| {
                r.date_of_birth.map(domain::victim::DateOfBirth::date) == Some(dob)
                    && r.address.as_ref().is_some_and(|a| a.postcode == postcode)
            })
        }
        Verification::PortalPin => {
            let pin = f.get("pin").unwrap_or_default();
            match state
                .db
                .check_victim_pin(call.case_id, call.victim_id, pin, now)
                .await
            {
                Ok(PinCheck::Right) => true,
                Ok(PinCheck::Wrong) => false,
                Ok(PinCheck::Locked) => {
                    return again(
                        &state,
                        &staff,
                        (&call, &case),
                        "pin",
                        "This victim's PIN is locked after too many wrong tries. Verify another way.",
                    )
                    .await;
                }
                Ok(PinCheck::NoPin) => {
                    return again(
                        &state,
                        &staff,
                        (&call, &case),
                        "pin",
                        "This victim has no PIN. Verify another way.",
                    )
                    .await;
                }
                Err(e) => return unavailable(&e),
            }
        }
        Verification::CallBack => f.get("called_back") == Some("yes"),
        Verification::NotVerified => true,
    };
    let entry = AuditEntry {
        action: "verified caller".into(),
        case_id: Some(call.case_id),
        victim_id: Some(call.victim_id),
        detail: format!(
            "call {}: {} {}",
            call.call_id,
            method.as_str(),
            if right { "accepted" } else { "refused" }
        ),
        ..AuditEntry::default()
    };
    if let Err(r) = staff.audit(&state, entry).await {
        return r;
    }
    if !right {
        let failed_checks = match state.db.count_failed_check(call.call_id).await {
            Ok(n) => n,
            Err(e) => return unavailable(&e),
        };
        let (field, message) = match method {
            Verification::CallBack => (
                "called_back",
                "Confirm that you called the number we hold and the victim answered",
            ),
            Verification::PortalPin => (
                "pin",
                "That PIN is not right. Do not say which part was wrong.",
            ),
            _ => (
                "dob",
                "That does not match our record. Do not say which part was wrong.",
            ),
        };
        let call = StaffCall {
            failed_checks,
            ..call
        };
        return again(&state, &staff, (&call, &case), field, message).await;
    }
    if let Err(e) = state
        .db
        .set_call_verification(call.call_id, method, now)
        .await
    {
        return unavailable(&e);
    }
    Redirect::to(&format!("/console/calls/{}", call.call_id)).into_response()
}

async fn again(
    state: &AppState,
    staff: &Staff,
    (call, case): (&StaffCall, &CaseDetail),
    field: &'static str,
    message: &str,
) -> Response {
    let errors = vec![FieldError {
        field,
        message: message.to_owned(),
    }];
    refused(state, staff, call, case, errors).await
}

/// The call screen again with what was wrong.
async fn refused(
    state: &AppState,
    staff: &Staff,
    call: &StaffCall,
    case: &CaseDetail,
    errors: Vec<FieldError>,
) -> Response {
    match build_page(state, staff, call, case, errors, None).await {
        Ok(page) => (StatusCode::UNPROCESSABLE_ENTITY, page).into_response(),
        Err(r) => r,
    }
}

/// Records a contact from the call screen.
async fn log(
    State(state): State<AppState>,
    Path(call_id): Path<String>,
    Posted { staff, f }: Posted,
) -> Response {
    let (call, case) = match own_call(&state, &staff, &call_id).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let now = Utc::now();
    let mut errors = Vec::new();
    let mut problem = |field: &'static str, message: &str| {
        errors.push(FieldError {
            field,
            message: message.to_owned(),
        });
    };
    let channel = f.get("channel").and_then(ContactChannel::parse);
    if channel.is_none() {
        problem("channel", "Choose how you were in contact");
    }
    let direction = f
        .get("direction")
        .and_then(|d| store::DIRECTIONS.iter().find(|x| **x == d).copied());
    if direction.is_none() {
        problem("direction", "Choose who made contact");
    }
    let who = f
        .get("who")
        .and_then(|d| store::WHO.iter().find(|x| **x == d).copied());
    if who.is_none() {
        problem("who", "Choose who you spoke to");
    }
    let outcome = f.get("outcome").and_then(ContactOutcome::parse);
    if outcome.is_none() {
        problem("outcome", "Choose what happened");
    }
    let told: Vec<i64> = f.all("told").filter_map(|v| v.parse().ok()).collect();
    let verified = call.verification.is_some_and(Verification::verified);
    if !told.is_empty() && !verified {
        problem(
            "told",
            "A caller who is not verified cannot be given the victim's news: verify them first",
        );
    }
    let note = f.get("note").unwrap_or_default().to_owned();
    if note.chars().count() > 2000 {
        problem("note", "The note must be at most 2,000 characters");
    }
    if note
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        problem("note", "The note must not contain control characters");
    }
    let corrects = match f.get("corrects") {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                problem("corrects", "Choose the entry this corrects");
                None
            }
        },
    };
    let mut callback = None;
    if f.get("callback") == Some("yes") {
        let date = f
            .get("callback_date")
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let time = f
            .get("callback_time")
            .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok());
        let preferred = f.get("preferred").map(str::to_owned);
        if preferred.as_ref().is_some_and(|p| p.chars().count() > 100) {
            problem(
                "preferred",
                "The preferred time must be at most 100 characters",
            );
        }
        match (date, time) {
            (Some(d), Some(t)) => match London.from_local_datetime(&d.and_time(t)).earliest() {
                Some(at) if at.with_timezone(&Utc) > now => {
                    callback = Some((at.with_timezone(&Utc), preferred));
                }
                _ => problem("callback_date", "The call back must be in the future"),
            },
            _ => problem(
                "callback_date",
                "Enter the call back date (like 2026-12-01) and time (like 14:30)",
            ),
        }
    }
    if !errors.is_empty() {
        return refused(&state, &staff, &call, &case, errors).await;
    }
    let (Some(channel), Some(direction), Some(who), Some(outcome)) =
        (channel, direction, who, outcome)
    else {
        return StatusCode::UNPROCESSABLE_ENTITY.into_response();
    };
    let Some(victim) = case.victims.iter().find(|v| v.victim_id == call.victim_id) else {
        return not_found();
    };
    let form_id = f
        .get("form_id")
        .filter(|v| v.starts_with("console-") && v.len() <= 40)
        .map_or_else(
            || format!("console-{}", rand::random::<u64>()),
            str::to_owned,
        );
    let entry = NewLogEntry {
        form_id,
        case_id: call.case_id,
        victim_id: call.victim_id,
        crime_reference: case.state.crime_reference.clone(),
        victim_ref: victim.record.victim_ref.clone(),
        call_id: Some(call.call_id),
        user_id: staff.user.user_id,
        username: staff.user.username.clone(),
        channel,
        direction,
        who,
        outcome,
        told,
        note,
        callback,
        corrects,
    };
    let logged = match state.db.log_contact(&entry, now).await {
        Ok(l) => l,
        Err(store::StoreError::Refused(problems)) => {
            let errors = problems
                .into_iter()
                .map(|p| FieldError {
                    field: if p.field.starts_with("obligations") {
                        "told"
                    } else {
                        "corrects"
                    },
                    message: format!("{}: {}", p.field, p.problem),
                })
                .collect();
            return refused(&state, &staff, &call, &case, errors).await;
        }
        Err(e) => return unavailable(&e),
    };
    let audit = AuditEntry {
        action: "logged contact".into(),
        case_id: Some(call.case_id),
        victim_id: Some(call.victim_id),
        detail: format!(
            "entry {}: {}; {} obligations met{}",
            logged.entry_id,
            outcome.as_str(),
            logged.met.len(),
            logged
                .task_id
                .map_or_else(String::new, |t| format!("; call back task {t}"))
        ),
        ..AuditEntry::default()
    };
    if let Err(r) = staff.audit(&state, audit).await {
        return r;
    }
    Redirect::to(&format!("/console/calls/{}?logged=1#log", call.call_id)).into_response()
}
