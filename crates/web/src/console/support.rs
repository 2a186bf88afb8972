//! Support for the victim on a call: their needs assessment (each version kept), referrals to
//! support agencies with their consent, and a survey taken by phone. Reached from a verified
//! call only: consent and needs come from the victim, so the person on the phone must be them.

use super::calls::own_call;
use super::{FieldError, Nav, Posted, Staff, unavailable, when};
use crate::AppState;
use crate::leaflet::support::{Agency, Crime, Need, SupportDirectory};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use domain::OffenceCategory;
use domain::staff::Verification;
use domain::support::{
    AccessibleFormat, AssessedBy, Basis, CourtNeed, NeedsAssessment, ReferralContext,
    ReferralRequest, Relationship, RepeatRisk, Share, SupportNeed, check_referral,
};
use domain::survey::{Dimension, SurveyResponse};
use domain::victim::Channel;
use serde::Deserialize;
use store::{AuditEntry, CaseDetail, NewReferral, StaffCall, StoreError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/console/calls/{call_id}/support", get(page))
        .route("/console/calls/{call_id}/assessment", post(assess))
        .route("/console/calls/{call_id}/referrals", post(refer))
        .route("/console/calls/{call_id}/no-referral", post(no_referral))
        .route("/console/calls/{call_id}/survey", post(phone_survey))
}

/// A choice on the form: value, words, and whether it is ticked.
pub(crate) struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

fn choices<T: Copy + PartialEq>(
    all: &[T],
    chosen: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<Choice> {
    all.iter()
        .map(|c| Choice {
            value: value(*c),
            label: label(*c),
            checked: chosen.contains(c),
        })
        .collect()
}

struct AgencyChoice {
    id: String,
    name: String,
    suggested: bool,
}

struct ReferralRow {
    id: i64,
    agency: String,
    status: &'static str,
    made: String,
    by: String,
    shares: String,
    outcome: String,
}

struct VersionRow {
    version: i32,
    by: String,
    at: String,
    summary: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/support.html")]
struct SupportPage {
    nav: Nav,
    call_id: i64,
    crime_reference: String,
    name: String,
    versions: Vec<VersionRow>,
    // The assessment form, filled with the latest answers.
    vulnerable: bool,
    intimidated: bool,
    persistently_targeted: bool,
    interpreter: String,
    formats: Vec<Choice>,
    relationships: Vec<Choice>,
    risks: Vec<Choice>,
    needs: Vec<Choice>,
    unsafe_channels: Vec<Choice>,
    court: Vec<Choice>,
    notes: String,
    // Referrals.
    referrals: Vec<ReferralRow>,
    agencies: Vec<AgencyChoice>,
    shares: Vec<Choice>,
    opt_out_allowed: bool,
    domestic_abuse: bool,
    referral_owed: bool,
    // The survey.
    dimensions: Vec<(&'static str, &'static str)>,
    scale: Vec<(u8, &'static str)>,
    errors: Vec<FieldError>,
    notice: Option<String>,
}

impl SupportPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

/// What happened, as the support directory's filter knows it.
fn crime_of(case: &CaseDetail, child: bool) -> Crime {
    use OffenceCategory as O;
    if case.state.flags.domestic_abuse {
        return Crime::Domestic;
    }
    if child {
        return Crime::Child;
    }
    match case.state.offence {
        Some(O::SexualOffence) => Crime::Sexual,
        Some(O::StalkingHarassment) => Crime::Stalking,
        Some(O::Fraud) => Crime::Fraud,
        Some(O::Homicide | O::CausingDeathByDriving) => Crime::Bereaved,
        _ if case.state.flags.hate_crime => Crime::Hate,
        Some(
            O::CommonAssault
            | O::Abh
            | O::GbhWithIntent
            | O::AttemptedMurder
            | O::Robbery
            | O::Kidnap
            | O::FalseImprisonment,
        ) => Crime::Violence,
        _ => Crime::All,
    }
}

fn directory_need(n: SupportNeed) -> &'static [Need] {
    match n {
        SupportNeed::Emotional => &[Need::Emotional],
        SupportNeed::Practical => &[Need::Practical, Need::Money],
        SupportNeed::Specialist => &[Need::Emotional, Need::Safety, Need::Legal],
        SupportNeed::Health => &[Need::Health],
        SupportNeed::Housing => &[Need::Safety, Need::Practical],
        SupportNeed::Safety => &[Need::Safety],
        SupportNeed::Court => &[Need::Court],
    }
}

/// Agencies for this crime and these needs, the ones for this kind of crime first.
pub(crate) fn suggest<'a>(
    directory: &'a SupportDirectory,
    crime: Crime,
    needs: &[SupportNeed],
) -> Vec<&'a Agency> {
    let wanted: Vec<Need> = needs
        .iter()
        .flat_map(|n| directory_need(*n).iter().copied())
        .collect();
    let mut found: Vec<&Agency> = directory
        .find(Some(crime), None)
        .into_iter()
        .filter(|a| wanted.is_empty() || a.needs.iter().any(|n| wanted.contains(n)))
        .collect();
    found.sort_by_key(|a| !a.crimes.contains(&crime) || crime == Crime::All);
    found
}

struct Loaded {
    call: StaffCall,
    case: CaseDetail,
    record: domain::victim::VictimRecord,
    safe_channels: Vec<Channel>,
}

/// The call, if it is this user's and the caller was verified; its case and victim.
async fn load(state: &AppState, staff: &Staff, call_id: &str) -> Result<Loaded, Response> {
    let (call, case) = own_call(state, staff, call_id).await?;
    if !call.verification.is_some_and(Verification::verified) {
        // Not a 404: the page exists, but only for a verified caller.
        return Err(Redirect::to(&format!("/console/calls/{}", call.call_id)).into_response());
    }
    let Some(victim) = case.victims.iter().find(|v| v.victim_id == call.victim_id) else {
        return Err(super::not_found());
    };
    let restricted = state
        .db
        .restricted_channels(call.victim_id)
        .await
        .map_err(|e| unavailable(&e))?;
    let record = victim.record.clone();
    let honoured = crate::portal::honoured(&record, &restricted);
    Ok(Loaded {
        safe_channels: honoured.safe_channels.clone(),
        record,
        case,
        call,
    })
}

async fn build(
    state: &AppState,
    staff: &Staff,
    l: &Loaded,
    shown: Option<&NeedsAssessment>,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> Result<SupportPage, Response> {
    let db = &state.db;
    let (versions, referrals, obligations) = tokio::join!(
        db.assessments(l.call.case_id, l.call.victim_id),
        db.referrals_of_victim(l.call.case_id, l.call.victim_id),
        db.obligations_of_victim(l.call.case_id, l.call.victim_id),
    );
    let versions = versions.map_err(|e| unavailable(&e))?;
    let referrals = referrals.map_err(|e| unavailable(&e))?;
    let obligations = obligations.map_err(|e| unavailable(&e))?;
    let entry = AuditEntry {
        action: "viewed support".into(),
        case_id: Some(l.call.case_id),
        victim_id: Some(l.call.victim_id),
        detail: format!("call {}", l.call.call_id),
        ..AuditEntry::default()
    };
    staff.audit(state, entry).await?;
    let latest = versions.first().map(|v| &v.answers);
    let a = shown.or(latest).cloned().unwrap_or_default();
    let directory = &state.config.support_directory;
    let today = domain::calendar::london_date(Utc::now());
    let crime = crime_of(&l.case, l.record.is_child_on(today));
    let suggested: Vec<String> = suggest(directory, crime, &a.needs)
        .into_iter()
        .map(|a| a.id.clone())
        .collect();
    let mut agencies: Vec<AgencyChoice> = directory
        .find(None, None)
        .into_iter()
        .map(|ag| AgencyChoice {
            id: ag.id.clone(),
            name: ag.name.clone(),
            suggested: suggested.contains(&ag.id),
        })
        .collect();
    agencies.sort_by_key(|ag| {
        suggested
            .iter()
            .position(|s| *s == ag.id)
            .unwrap_or(usize::MAX)
    });
    let domestic_abuse = l.case.state.flags.domestic_abuse || a.close_to_suspect();
    Ok(SupportPage {
        nav: Nav::of(staff),
        call_id: l.call.call_id,
        crime_reference: l.case.state.crime_reference.to_string(),
        name: l.record.name.to_string(),
        versions: versions
            .iter()
            .map(|v| VersionRow {
                version: v.version,
                by: match v.assessed_by {
                    AssessedBy::Staff => v.taken_by.clone(),
                    AssessedBy::Victim => "the victim, on their page".into(),
                },
                at: when(v.taken_at),
                summary: summary(&v.answers),
            })
            .collect(),
        vulnerable: a.vulnerable,
        intimidated: a.intimidated,
        persistently_targeted: a.persistently_targeted,
        interpreter: a.interpreter.clone().unwrap_or_default(),
        formats: choices(
            AccessibleFormat::ALL,
            &a.formats,
            AccessibleFormat::as_str,
            AccessibleFormat::label,
        ),
        relationships: choices(
            Relationship::ALL,
            &a.relationship.into_iter().collect::<Vec<_>>(),
            Relationship::as_str,
            Relationship::label,
        ),
        risks: choices(
            RepeatRisk::ALL,
            &a.repeat_risk.into_iter().collect::<Vec<_>>(),
            RepeatRisk::as_str,
            RepeatRisk::label,
        ),
        needs: choices(
            SupportNeed::ALL,
            &a.needs,
            SupportNeed::as_str,
            SupportNeed::label,
        ),
        unsafe_channels: choices(
            &Channel::ALL,
            &a.unsafe_channels,
            Channel::as_str,
            channel_label,
        ),
        court: choices(
            CourtNeed::ALL,
            &a.court,
            CourtNeed::as_str,
            CourtNeed::label,
        ),
        notes: a.notes.clone().unwrap_or_default(),
        referrals: referrals
            .iter()
            .map(|r| ReferralRow {
                id: r.referral_id,
                agency: directory.name_of(&r.agency),
                status: r.status.label(),
                made: when(r.made_at),
                by: r.made_by.clone(),
                shares: r
                    .shares
                    .iter()
                    .map(|s| s.label().to_lowercase())
                    .collect::<Vec<_>>()
                    .join(", "),
                outcome: match (&r.outcome, &r.decline_reason) {
                    (Some(o), _) => o.label().to_owned(),
                    (None, Some(reason)) => format!("Declined: {reason}"),
                    _ => String::new(),
                },
            })
            .collect(),
        agencies,
        shares: choices(Share::ALL, &[], Share::as_str, Share::label),
        opt_out_allowed: opt_out_allowed(state, &l.case) && !domestic_abuse,
        domestic_abuse,
        referral_owed: obligations.iter().any(|o| {
            o.rule == store::REFERRAL_RULE && (o.status == "open" || o.status == "breached")
        }),
        dimensions: Dimension::ALL
            .iter()
            .map(|d| (d.as_str(), dimension_label(*d)))
            .collect(),
        scale: (1..=7)
            .rev()
            .filter_map(|n| domain::survey::Satisfaction::parse(&n.to_string()))
            .map(|s| (s.value(), s.label()))
            .collect(),
        errors,
        notice,
    })
}

fn channel_label(c: Channel) -> &'static str {
    match c {
        Channel::Email => "Email",
        Channel::Sms => "Text message",
        Channel::Letter => "Letter",
        Channel::PhoneCall => "Phone call",
        Channel::Voicemail => "Voicemail",
    }
}

pub(crate) fn dimension_label(d: Dimension) -> &'static str {
    match d {
        Dimension::EaseOfContact => "Ease of contacting the police",
        Dimension::ActionsTaken => "What the police did",
        Dimension::KeptInformed => "Being kept informed",
        Dimension::Treatment => "How they were treated",
        Dimension::WholeExperience => "The whole experience",
    }
}

/// One line saying what an assessment found, for the list of versions.
fn summary(a: &NeedsAssessment) -> String {
    let mut parts = Vec::new();
    let flags: Vec<&str> = [
        (a.vulnerable, "vulnerable"),
        (a.intimidated, "intimidated"),
        (a.persistently_targeted, "persistently targeted"),
    ]
    .into_iter()
    .filter_map(|(on, l)| on.then_some(l))
    .collect();
    if !flags.is_empty() {
        parts.push(format!("enhanced rights: {}", flags.join(", ")));
    }
    if !a.needs.is_empty() {
        let needs: Vec<String> = a.needs.iter().map(|n| n.label().to_lowercase()).collect();
        parts.push(format!("needs: {}", needs.join("; ")));
    }
    if let Some(i) = &a.interpreter {
        parts.push(format!("interpreter: {i}"));
    }
    if !a.unsafe_channels.is_empty() {
        let ch: Vec<&str> = a
            .unsafe_channels
            .iter()
            .map(|c| channel_label(*c))
            .collect();
        parts.push(format!("not safe: {}", ch.join(", ")));
    }
    if parts.is_empty() {
        "no needs recorded".into()
    } else {
        parts.join(" · ")
    }
}

fn opt_out_allowed(state: &AppState, case: &CaseDetail) -> bool {
    case.state
        .offence
        .is_some_and(|o| state.config.opt_out_offences.contains(&o))
}

#[derive(Deserialize)]
struct PageQuery {
    done: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path(call_id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    let l = match load(&state, &staff, &call_id).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let notice = q.done.as_deref().map(|d| {
        match d {
            "assessed" => "Needs assessment saved.",
            "referred" => "Referral made.",
            "declined" => "Recorded that the victim does not want a referral.",
            "survey" => "Survey recorded.",
            _ => "Saved.",
        }
        .to_owned()
    });
    match build(&state, &staff, &l, None, Vec::new(), notice).await {
        Ok(p) => p.into_response(),
        Err(r) => r,
    }
}

/// The fields of this page's forms, each the id an error links to.
const FIELDS: [&str; 19] = [
    "basis",
    "shares",
    "safety_checked",
    "agency",
    "relationship",
    "repeat_risk",
    "needs",
    "formats",
    "unsafe_channels",
    "court",
    "interpreter",
    "notes",
    "comment",
    "vulnerable",
    "ease_of_contact",
    "actions_taken",
    "kept_informed",
    "treatment",
    "whole_experience",
];

fn field_errors(problems: Vec<domain::Problem>) -> Vec<FieldError> {
    problems
        .into_iter()
        .map(|p| FieldError {
            // Every problem names one of the fields above; the first is a safe landing.
            field: FIELDS
                .iter()
                .find(|f| **f == p.field)
                .copied()
                .unwrap_or(FIELDS[0]),
            message: sentence(&p.field, &p.problem),
        })
        .collect()
}

/// "notes: must be at most…" as a sentence a person reads: "Notes must be at most…".
fn sentence(field: &str, problem: &str) -> String {
    let name = match field {
        "basis" | "shares" | "safety_checked" | "agency" => return super::capitalise(problem),
        "unsafe_channels" => "Ways that are not safe".to_owned(),
        "repeat_risk" => "Risk of it happening again".to_owned(),
        "comment" => "The comment".to_owned(),
        other => super::capitalise(&other.replace('_', " ")),
    };
    format!("{name} {problem}")
}

/// A change made: audited, then back to the page saying what was done.
async fn recorded(
    state: &AppState,
    staff: &Staff,
    l: &Loaded,
    entry: AuditEntry,
    done: &str,
) -> Response {
    if let Err(r) = staff.audit(state, entry).await {
        return r;
    }
    Redirect::to(&format!(
        "/console/calls/{}/support?done={done}",
        l.call.call_id
    ))
    .into_response()
}

async fn refused(
    state: &AppState,
    staff: &Staff,
    l: &Loaded,
    shown: Option<&NeedsAssessment>,
    errors: Vec<FieldError>,
) -> Response {
    match build(state, staff, l, shown, errors, None).await {
        Ok(p) => (StatusCode::UNPROCESSABLE_ENTITY, p).into_response(),
        Err(r) => r,
    }
}

async fn assess(
    State(state): State<AppState>,
    Path(call_id): Path<String>,
    Posted { staff, f }: Posted,
) -> Response {
    let l = match load(&state, &staff, &call_id).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let parsed = NeedsAssessment::parse(
        AssessedBy::Staff,
        |n| f.raw(n).map(str::to_owned),
        |n| f.all(n).map(str::to_owned).collect(),
    );
    let answers = match parsed {
        Ok(a) => a,
        Err(problems) => return refused(&state, &staff, &l, None, field_errors(problems)).await,
    };
    let now = Utc::now();
    let version = match state
        .db
        .save_assessment(
            l.call.case_id,
            l.call.victim_id,
            AssessedBy::Staff,
            &staff.user.username,
            &answers,
            now,
        )
        .await
    {
        Ok(v) => v,
        Err(e) => return unavailable(&e),
    };
    let entry = AuditEntry {
        action: "recorded needs assessment".into(),
        case_id: Some(l.call.case_id),
        victim_id: Some(l.call.victim_id),
        detail: format!("version {version}; call {}", l.call.call_id),
        ..AuditEntry::default()
    };
    recorded(&state, &staff, &l, entry, "assessed").await
}

async fn refer(
    State(state): State<AppState>,
    Path(call_id): Path<String>,
    Posted { staff, f }: Posted,
) -> Response {
    let l = match load(&state, &staff, &call_id).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let latest = match state.db.assessments(l.call.case_id, l.call.victim_id).await {
        Ok(v) => v.into_iter().next().map(|v| v.answers),
        Err(e) => return unavailable(&e),
    };
    let directory = &state.config.support_directory;
    let agency = f.get("agency").and_then(|id| directory.get(id));
    let mut problems = Vec::new();
    if agency.is_none() {
        problems.push(domain::Problem::new(
            "agency",
            "choose the agency to refer to",
        ));
    }
    let mut shares = Vec::new();
    for s in f.all("shares") {
        match Share::parse(s) {
            Some(s) => shares.push(s),
            None => problems.push(domain::Problem::new(
                "shares",
                "is not one of the choices offered",
            )),
        }
    }
    shares.sort_unstable();
    shares.dedup();
    let close = latest
        .as_ref()
        .is_some_and(NeedsAssessment::close_to_suspect);
    let ctx = ReferralContext {
        opt_out_allowed: opt_out_allowed(&state, &l.case),
        domestic_abuse: l.case.state.flags.domestic_abuse || close,
        safe_channels: &l.safe_channels,
    };
    let request = ReferralRequest {
        basis: f.get("basis").and_then(Basis::parse),
        shares,
        safety_checked: f.get("safety_checked") == Some("yes"),
    };
    problems.extend(check_referral(&ctx, &request));
    let Some(agency) = agency.filter(|_| problems.is_empty()) else {
        return refused(&state, &staff, &l, None, field_errors(problems)).await;
    };
    let new = NewReferral {
        case_id: l.call.case_id,
        victim_id: l.call.victim_id,
        agency: agency.id.clone(),
        basis: request.basis.unwrap_or(Basis::Consent),
        shares: request.shares,
        needs: latest.map(|a| a.needs).unwrap_or_default(),
        safety_checked: request.safety_checked,
        made_by: staff.user.username.clone(),
    };
    let made = match state.db.refer(&new, Utc::now()).await {
        Ok(r) => r,
        Err(StoreError::Refused(problems)) => {
            return refused(&state, &staff, &l, None, field_errors(problems)).await;
        }
        Err(e) => return unavailable(&e),
    };
    let entry = AuditEntry {
        action: "made referral".into(),
        case_id: Some(l.call.case_id),
        victim_id: Some(l.call.victim_id),
        detail: format!(
            "referral {} to {} ({}); shares {}",
            made.referral_id,
            made.agency,
            made.basis.as_str(),
            made.shares
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(",")
        ),
        ..AuditEntry::default()
    };
    recorded(&state, &staff, &l, entry, "referred").await
}

async fn no_referral(
    State(state): State<AppState>,
    Path(call_id): Path<String>,
    Posted { staff, .. }: Posted,
) -> Response {
    let l = match load(&state, &staff, &call_id).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let closed = match state
        .db
        .referral_not_wanted(l.call.case_id, l.call.victim_id, Utc::now())
        .await
    {
        Ok(n) => n,
        Err(e) => return unavailable(&e),
    };
    let entry = AuditEntry {
        action: "recorded referral not wanted".into(),
        case_id: Some(l.call.case_id),
        victim_id: Some(l.call.victim_id),
        detail: format!("{closed} obligation(s) closed"),
        ..AuditEntry::default()
    };
    recorded(&state, &staff, &l, entry, "declined").await
}

async fn phone_survey(
    State(state): State<AppState>,
    Path(call_id): Path<String>,
    Posted { staff, f }: Posted,
) -> Response {
    let l = match load(&state, &staff, &call_id).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let response = match SurveyResponse::parse(|n| f.raw(n).map(str::to_owned)) {
        Ok(r) => r,
        Err(problems) => return refused(&state, &staff, &l, None, field_errors(problems)).await,
    };
    if let Err(e) = state
        .db
        .record_phone_survey(
            l.call.case_id,
            l.call.victim_id,
            &staff.user.username,
            &response,
            Utc::now(),
        )
        .await
    {
        return match e {
            StoreError::Refused(p) => refused(&state, &staff, &l, None, field_errors(p)).await,
            e => unavailable(&e),
        };
    }
    // An anonymous answer is audited without the victim: the log must not link it back.
    let entry = if response.anonymous {
        AuditEntry {
            action: "recorded anonymous survey".into(),
            ..AuditEntry::default()
        }
    } else {
        AuditEntry {
            action: "recorded survey".into(),
            case_id: Some(l.call.case_id),
            victim_id: Some(l.call.victim_id),
            detail: format!("call {}", l.call.call_id),
            ..AuditEntry::default()
        }
    };
    recorded(&state, &staff, &l, entry, "survey").await
}
