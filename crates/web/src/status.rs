//! The plain-English status of one victim's case: where it stands, what has happened, when
//! they will next hear. One view model for the victim's page, the helpline's call screen and
//! the phone menu, so all three always say the same thing in the same words.

use crate::i18n::Texts;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::Phase;
use domain::code::EngineEvent;
use store::CaseDetail;

#[derive(Debug, Clone)]
pub struct CaseStatus {
    pub crime_reference: String,
    pub stage: String,
    pub stage_summary: String,
    /// The leaflet's page for this step, if the case is not closed.
    pub stage_link: Option<String>,
    /// Newest first: (date, what happened).
    pub timeline: Vec<(String, String)>,
    pub next_update: String,
    pub officer: Option<String>,
    pub enhanced: bool,
    pub updated: String,
}

/// "28 November 2026", in the page's language.
pub fn long_date(t: Texts, d: NaiveDate) -> String {
    format!(
        "{} {} {}",
        d.day(),
        t.get(&format!("month-{}", d.month())),
        d.year()
    )
}

pub fn step_key(phase: Phase) -> Option<&'static str> {
    match phase {
        Phase::Reported => Some("report"),
        Phase::Investigation => Some("investigation"),
        Phase::ChargeDecision => Some("charge"),
        Phase::PreTrial => Some("pretrial"),
        Phase::Trial => Some("trial"),
        Phase::Sentencing => Some("sentencing"),
        Phase::AfterSentence => Some("after"),
        Phase::Closed => None,
    }
}

/// The status as staff and the phone menu give it, from the victim's obligations: the next
/// update is the earliest due of what is still owed (open or overdue).
pub fn status_from_obligations(
    t: Texts,
    case: &CaseDetail,
    victim_ref: &str,
    obligations: &[store::ObligationView],
) -> CaseStatus {
    let next_due = obligations
        .iter()
        .filter(|o| o.status == "open" || o.status == "breached")
        .map(|o| o.due_on)
        .min();
    let enhanced = obligations.iter().any(|o| o.enhanced);
    case_status(t, case, victim_ref, next_due, enhanced)
}

/// The status of `case` for the victim `victim_ref`. `next_update_due` is the earliest due
/// date of what they are still owed; `enhanced` whether they have enhanced rights.
pub fn case_status(
    t: Texts,
    case: &CaseDetail,
    victim_ref: &str,
    next_update_due: Option<NaiveDate>,
    enhanced: bool,
) -> CaseStatus {
    let s = &case.state;
    let london = |at: DateTime<Utc>| domain::calendar::london_date(at);
    // Only what concerns this victim: an event naming another victim is theirs, not ours.
    let timeline = case
        .events
        .iter()
        .rev()
        .filter(|e| {
            EngineEvent::from(&e.event)
                .victim
                .is_none_or(|v| v == victim_ref)
        })
        .map(|e| {
            (
                long_date(t, london(e.event.occurred_at)),
                t.get(&format!("event-{}", e.event.event_type().as_str())),
            )
        })
        .collect();
    let step = step_key(s.phase);
    CaseStatus {
        crime_reference: s.crime_reference.to_string(),
        stage: step.map_or_else(|| t.get("portal-closed"), |k| t.get(&format!("{k}-title"))),
        stage_summary: step.map_or_else(
            || t.get("portal-closed-text"),
            |k| t.get(&format!("{k}-summary")),
        ),
        stage_link: step.map(|k| format!("/leaflet/steps/{k}")),
        timeline,
        next_update: next_update_due.map_or_else(
            || t.get("portal-next-none"),
            |d| t.with("portal-next-by", &[("date", long_date(t, d).into())]),
        ),
        officer: s.officer.as_ref().map(|o| {
            let mut who = o.name.to_string();
            if let Some(team) = &o.team {
                who.push_str(", ");
                who.push_str(team.as_str());
            }
            who
        }),
        enhanced,
        updated: t.with(
            "portal-updated",
            &[("date", long_date(t, london(s.last_occurred_at)).into())],
        ),
    }
}
