//! The Victims' Code engine: rule sets as data, and the pure evaluation that turns a case's
//! events into the obligations owed to a victim, each with a due date in working days and an
//! explanation a person can read.

use crate::calendar::{Calendar, CalendarError, london_date};
use crate::case::{CaseFlags, ReviewScheme};
use crate::enhanced::{EnhancedReason, VictimFactors, enhanced_reasons};
use crate::event::{Event, EventBody, EventType};
use crate::offence::OffenceCategory;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use thiserror::Error;

/// The 2020 Code as in force from April 2021, built into the binary.
pub const VCOP_2021: &str = include_str!("../rules/vcop-2021.toml");

/// Every rule set ever built into the binary, the one in use last. Obligations name the set
/// they were made under, and their explanations are written from it whenever they are read
/// (decision 17), so a set once published stays here: a new version is added as a new file,
/// and none is edited or removed.
pub const PUBLISHED: &[&str] = &[VCOP_2021];

/// The sets in [`PUBLISHED`], read once per process.
fn published() -> &'static [RuleSet] {
    static SETS: std::sync::LazyLock<Vec<RuleSet>> = std::sync::LazyLock::new(|| {
        PUBLISHED
            .iter()
            .map(|text| RuleSet::parse(text).expect("a published rule set is valid (tested)"))
            .collect()
    });
    &SETS
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum RuleSetError {
    #[error("the rule set is not valid TOML or has the wrong shape: {0}")]
    Shape(String),
    #[error("rule {rule}: {problem}")]
    Rule { rule: String, problem: String },
}

/// Where a rule's clock starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// The day the event happened (police and CPS decisions).
    #[default]
    Occurred,
    /// The day the force learnt of it (the Witness Care Unit's duties).
    Received,
}

/// An extra condition a rule may put on its triggering event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// The charge came with the first hearing's date.
    FirstHearing,
    VictimContactSchemeEligible,
    PoliceReview,
    CpsReview,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Days {
    Fixed(u32),
    Parameter(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    right: u8,
    action: String,
    on: Vec<String>,
    #[serde(default)]
    clock: Clock,
    when: Option<Condition>,
    standard: Days,
    enhanced: Days,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleSet {
    id: String,
    version: u32,
    effective_from: NaiveDate,
    #[serde(default)]
    parameters: BTreeMap<String, u32>,
    rule: Vec<RawRule>,
    periodic: Option<RawPeriodic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriodic {
    id: String,
    right: u8,
    action: String,
    days: Days,
    phases: Vec<String>,
}

/// Updates at the interval agreed with the victim while nothing in particular happens: one
/// obligation at a time per victim and case, the next one due an interval after the last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodicRule {
    pub id: String,
    pub right: u8,
    pub action: String,
    /// The interval, in calendar days, for a victim who has not asked for another.
    pub default_days: u32,
    /// The phases during which the updates are owed.
    pub phases: Vec<crate::Phase>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: String,
    /// The Code right (1 to 12) the rule serves.
    pub right: u8,
    pub action: String,
    pub on: Vec<EventType>,
    pub clock: Clock,
    pub when: Option<Condition>,
    pub standard_days: u32,
    pub enhanced_days: u32,
}

impl Rule {
    /// The working days it allows, for a victim with enhanced rights or without.
    pub fn days(&self, enhanced: bool) -> u32 {
        if enhanced {
            self.enhanced_days
        } else {
            self.standard_days
        }
    }

    /// Day 0 of its clock: the London date the event happened or was received.
    pub fn day_zero(&self, occurred_at: DateTime<Utc>, received_at: DateTime<Utc>) -> NaiveDate {
        match self.clock {
            Clock::Occurred => london_date(occurred_at),
            Clock::Received => london_date(received_at),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    pub id: String,
    pub version: u32,
    pub effective_from: NaiveDate,
    pub parameters: BTreeMap<String, u32>,
    pub rules: Vec<Rule>,
    pub periodic: Option<PeriodicRule>,
    /// For each event type (by its position in `EventType::ALL`), the rules it triggers.
    by_event: Vec<Vec<usize>>,
    label: String,
}

impl RuleSet {
    /// The built-in 2020 Code rule set.
    pub fn builtin() -> Self {
        Self::parse(VCOP_2021).expect("the built-in rule set is valid (tested)")
    }

    /// The built-in rule set, read once per process.
    pub fn builtin_ref() -> &'static Self {
        static BUILTIN: std::sync::LazyLock<RuleSet> = std::sync::LazyLock::new(RuleSet::builtin);
        &BUILTIN
    }

    /// Reads a rule set, checking every rule: known event types, parameters that exist,
    /// rights from 1 to 12, unique ids.
    pub fn parse(text: &str) -> Result<Self, RuleSetError> {
        let raw: RawRuleSet =
            toml::from_str(text).map_err(|e| RuleSetError::Shape(e.to_string()))?;
        let mut seen = HashSet::new();
        let mut rules = Vec::with_capacity(raw.rule.len());
        for r in raw.rule {
            let problem = |problem: String| RuleSetError::Rule {
                rule: r.id.clone(),
                problem,
            };
            if !seen.insert(r.id.clone()) {
                return Err(problem("the id is used twice".into()));
            }
            if !(1..=12).contains(&r.right) {
                return Err(problem(format!(
                    "right {} is not one of the Code's 12",
                    r.right
                )));
            }
            let mut on = Vec::with_capacity(r.on.len());
            for name in &r.on {
                on.push(
                    EventType::parse(name)
                        .ok_or_else(|| problem(format!("`{name}` is not an event type")))?,
                );
            }
            if on.is_empty() {
                return Err(problem("`on` must name at least one event type".into()));
            }
            let days = |d: &Days| match d {
                Days::Fixed(n) => Ok(*n),
                Days::Parameter(name) => raw
                    .parameters
                    .get(name)
                    .copied()
                    .ok_or_else(|| problem(format!("there is no parameter `{name}`"))),
            };
            rules.push(Rule {
                standard_days: days(&r.standard)?,
                enhanced_days: days(&r.enhanced)?,
                id: r.id.clone(),
                right: r.right,
                action: r.action,
                on,
                clock: r.clock,
                when: r.when,
            });
        }
        let periodic = match raw.periodic {
            None => None,
            Some(p) => {
                let problem = |problem: String| RuleSetError::Rule {
                    rule: p.id.clone(),
                    problem,
                };
                if !seen.insert(p.id.clone()) {
                    return Err(problem("the id is used twice".into()));
                }
                if !(1..=12).contains(&p.right) {
                    return Err(problem(format!(
                        "right {} is not one of the Code's 12",
                        p.right
                    )));
                }
                let default_days = match &p.days {
                    Days::Fixed(n) => *n,
                    Days::Parameter(name) => raw
                        .parameters
                        .get(name)
                        .copied()
                        .ok_or_else(|| problem(format!("there is no parameter `{name}`")))?,
                };
                if default_days == 0 {
                    return Err(problem("the interval must be at least one day".into()));
                }
                if p.phases.is_empty() {
                    return Err(problem("`phases` must name at least one phase".into()));
                }
                let mut phases = Vec::with_capacity(p.phases.len());
                for name in &p.phases {
                    phases.push(
                        crate::Phase::parse(name)
                            .ok_or_else(|| problem(format!("`{name}` is not a phase")))?,
                    );
                }
                Some(PeriodicRule {
                    id: p.id,
                    right: p.right,
                    action: p.action,
                    default_days,
                    phases,
                })
            }
        };
        let mut by_event = vec![Vec::new(); EventType::ALL.len()];
        for (i, rule) in rules.iter().enumerate() {
            for t in &rule.on {
                by_event[*t as usize].push(i);
            }
        }
        Ok(Self {
            label: format!("{}/{}", raw.id, raw.version),
            id: raw.id,
            version: raw.version,
            effective_from: raw.effective_from,
            parameters: raw.parameters,
            rules,
            periodic,
            by_event,
        })
    }

    /// `vcop-2021/1`: recorded with every obligation.
    pub fn version_label(&self) -> &str {
        &self.label
    }

    /// The rules an event of this type triggers, in rule-set order.
    pub fn triggered_by(&self, t: EventType) -> impl Iterator<Item = &Rule> {
        self.by_event[t as usize].iter().map(|i| &self.rules[*i])
    }
}

/// What the engine needs of an event: its times, its type and the few facts rules look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineEvent {
    /// The sending system, when known (it makes `id` unique).
    pub source: Option<String>,
    /// The one victim the event concerns (a witness warning, a review request), if it names one.
    pub victim: Option<String>,
    pub id: String,
    pub event_type: EventType,
    pub occurred_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub first_hearing: bool,
    pub victim_contact_scheme_eligible: bool,
    pub review_scheme: Option<ReviewScheme>,
}

impl From<&Event> for EngineEvent {
    fn from(e: &Event) -> Self {
        let victim = match &e.body {
            EventBody::WitnessRequired(w) => Some(w.victim.as_str().to_owned()),
            EventBody::ReviewRequested(r) => Some(r.victim.as_str().to_owned()),
            EventBody::ComplaintReceived(c) => c.victim.as_ref().map(|v| v.as_str().to_owned()),
            _ => None,
        };
        Self {
            source: Some(e.source.as_str().to_owned()),
            victim,
            id: e.id.to_string(),
            event_type: e.event_type(),
            occurred_at: e.occurred_at,
            received_at: e.received_at,
            first_hearing: matches!(&e.body, EventBody::Charged(c) if c.first_hearing.is_some()),
            victim_contact_scheme_eligible: matches!(&e.body, EventBody::Sentenced(s) if s.victim_contact_scheme_eligible),
            review_scheme: match &e.body {
                EventBody::ReviewRequested(r) => Some(r.scheme),
                _ => None,
            },
        }
    }
}

/// The case-level facts the rules look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CaseFacts {
    pub offence: Option<OffenceCategory>,
    pub flags: CaseFlags,
}

/// Something owed to a victim by a date, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Obligation {
    pub rule: String,
    pub right: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub event: String,
    pub due: NaiveDate,
    pub enhanced: bool,
    pub enhanced_reasons: Vec<EnhancedReason>,
    pub explanation: String,
    pub rule_set: String,
    pub calendar: String,
}

fn holds(condition: Option<Condition>, e: &EngineEvent) -> bool {
    match condition {
        None => true,
        Some(Condition::FirstHearing) => e.first_hearing,
        Some(Condition::VictimContactSchemeEligible) => e.victim_contact_scheme_eligible,
        Some(Condition::PoliceReview) => e.review_scheme == Some(ReviewScheme::Police),
        Some(Condition::CpsReview) => e.review_scheme == Some(ReviewScheme::Cps),
    }
}

/// "Tue 14 Mar 2023", written directly: chrono's `format` re-reads its pattern every time, and
/// every obligation says two dates.
pub(crate) fn push_long_date(out: &mut String, d: NaiveDate) {
    use chrono::Datelike;
    use std::fmt::Write as _;
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let weekday = DAYS[d.weekday().num_days_from_monday() as usize];
    let month = MONTHS[d.month0() as usize];
    let _ = write!(out, "{weekday} {} {month} {}", d.day(), d.year());
}

/// "enhanced rights (domestic abuse, under 18)" or "standard rights".
pub fn rights_words(reasons: &[EnhancedReason]) -> String {
    if reasons.is_empty() {
        return "standard rights".to_owned();
    }
    let labels: Vec<&str> = reasons.iter().map(|r| r.label()).collect();
    format!("enhanced rights ({})", labels.join(", "))
}

/// What an event rule's obligation is explained from. Stored obligations keep only their due
/// date, rule, rule set, event and reasons (the rest can be looked up), so the explanation is
/// written again, in the same words, whenever it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Explanation {
    pub due: NaiveDate,
    /// The kind of event that started the clock.
    pub what: EventType,
    pub clock: Clock,
    /// Day 0: the London date the event happened or, for a [`Clock::Received`] rule, was
    /// received.
    pub start: NaiveDate,
    pub days: u32,
}

impl Explanation {
    /// "due Tue 14 Mar 2023: suspect charged, on Mon 13 Mar 2023; enhanced rights (domestic
    /// abuse); 1 working day", where `why` comes from [`rights_words`].
    pub fn write(&self, why: &str) -> String {
        let mut out = String::with_capacity(120);
        out.push_str("due ");
        push_long_date(&mut out, self.due);
        out.push_str(": ");
        let what = self.what.label();
        let mut chars = what.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_lowercase());
            out.push_str(chars.as_str());
        }
        out.push_str(", ");
        if self.clock == Clock::Received {
            out.push_str("received ");
        }
        out.push_str("on ");
        push_long_date(&mut out, self.start);
        out.push_str("; ");
        out.push_str(why);
        out.push_str("; ");
        out.push_str(&self.days.to_string());
        out.push_str(" working day");
        if self.days != 1 {
            out.push('s');
        }
        out
    }
}

/// What is stored of an obligation an event rule made, and of its event.
#[derive(Debug, Clone, Copy)]
pub struct Made<'a> {
    pub rule_set: &'a str,
    pub rule: &'a str,
    pub due: NaiveDate,
    pub enhanced: bool,
    pub reasons: &'a [EnhancedReason],
    pub event: EventType,
    pub occurred_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
}

/// Every obligation the rules create for one victim of one case, in event order. The same
/// code serves the server and `victimcare code evaluate`.
pub fn evaluate(
    rules: &RuleSet,
    calendar: &Calendar,
    case: &CaseFacts,
    victim: &VictimFactors,
    events: &[EngineEvent],
) -> Result<Vec<Obligation>, CalendarError> {
    let mut ordered: Vec<&EngineEvent> = events.iter().collect();
    ordered.sort_by_key(|e| e.occurred_at);
    // Age and the like are judged on the day of the offence: the report is the best we know.
    let offence_date = ordered
        .iter()
        .find(|e| e.event_type == EventType::Reported)
        .or(ordered.first())
        .map(|e| london_date(e.occurred_at));
    let Some(offence_date) = offence_date else {
        return Ok(Vec::new());
    };
    evaluate_from(
        rules,
        calendar,
        case,
        victim,
        offence_date,
        &ordered,
        Words::Written,
    )
}

/// Whether the engine writes each obligation's explanation as it makes it. Ingest leaves it:
/// it stores no words for an event rule's obligation, and the reader writes them from the
/// stored facts with the same [`Explanation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    Written,
    Left,
}

/// The obligations `events` create, given the day of the offence (which decides, for one, if
/// the victim was a child). Ingest calls this with only the events it has just stored.
pub fn evaluate_from(
    rules: &RuleSet,
    calendar: &Calendar,
    case: &CaseFacts,
    victim: &VictimFactors,
    offence_date: NaiveDate,
    ordered: &[&EngineEvent],
    words: Words,
) -> Result<Vec<Obligation>, CalendarError> {
    let reasons = enhanced_reasons(case.offence, case.flags, victim, offence_date);
    let enhanced = !reasons.is_empty();
    let why = match words {
        Words::Written => rights_words(&reasons),
        Words::Left => String::new(),
    };
    let mut obligations = Vec::new();
    for &e in ordered {
        for rule in rules.triggered_by(e.event_type) {
            if !holds(rule.when, e) {
                continue;
            }
            let days = rule.days(enhanced);
            let start = rule.day_zero(e.occurred_at, e.received_at);
            // A rule set governs what happens from its effective date; older events (a case
            // loaded from history) owe nothing under it.
            if start < rules.effective_from {
                continue;
            }
            let due = calendar.add_working_days(start, days)?;
            let explanation = match words {
                Words::Written => Explanation {
                    due,
                    what: e.event_type,
                    clock: rule.clock,
                    start,
                    days,
                }
                .write(&why),
                Words::Left => String::new(),
            };
            obligations.push(Obligation {
                rule: rule.id.clone(),
                right: rule.right,
                source: e.source.clone(),
                event: e.id.clone(),
                due,
                enhanced,
                enhanced_reasons: reasons.clone(),
                explanation,
                rule_set: rules.version_label().to_owned(),
                calendar: calendar.version().to_owned(),
            });
        }
    }
    Ok(obligations)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: &str, t: EventType, occurred: &str, received: Option<&str>) -> EngineEvent {
        let occurred_at: DateTime<Utc> = occurred.parse().unwrap();
        EngineEvent {
            source: None,
            victim: None,
            id: id.into(),
            event_type: t,
            occurred_at,
            received_at: received.map_or(occurred_at, |r| r.parse().unwrap()),
            first_hearing: false,
            victim_contact_scheme_eligible: false,
            review_scheme: None,
        }
    }

    fn adult() -> VictimFactors {
        crate::enhanced::adult_person()
    }

    fn run(case: CaseFacts, events: &[EngineEvent]) -> Vec<Obligation> {
        evaluate(
            RuleSet::builtin_ref(),
            &Calendar::default(),
            &case,
            &adult(),
            events,
        )
        .unwrap()
    }

    #[test]
    fn the_built_in_rule_set_is_valid_and_covers_the_police_events() {
        let rules = RuleSet::builtin();
        assert_eq!(rules.version_label(), "vcop-2021/1");
        for t in [
            EventType::NotInvestigated,
            EventType::Arrested,
            EventType::InterviewedUnderCaution,
            EventType::ReleasedNoFurtherAction,
            EventType::ReleasedOnBail,
            EventType::BailVaried,
            EventType::BailCancelled,
            EventType::ReleasedUnderInvestigation,
            EventType::Charged,
            EventType::OutOfCourtDisposal,
            EventType::PoliceNoCharge,
            EventType::CpsNoCharge,
            EventType::CpsChargesDroppedOrAltered,
            EventType::HearingListed,
            EventType::Verdict,
            EventType::Sentenced,
            EventType::ComplaintReceived,
            EventType::ReviewRequested,
        ] {
            assert!(
                rules.rules.iter().any(|r| r.on.contains(&t)),
                "no rule for {t}"
            );
        }
    }

    /// Stored obligations name their rule set and are explained from its rules when read
    /// (decision 17), so a published set must never change under the same label: a change
    /// to the built-in set's clocks or days needs a new version, and this list says so.
    #[test]
    fn the_built_in_rule_set_is_not_changed_under_its_label() {
        const PINNED: &str = "vcop-2021/1
P2-written-confirmation occurred 5 5
P6-support-referral occurred 2 2
P10-not-investigated occurred 5 1
P12-arrest occurred 5 1
P13-interview occurred 5 1
P14-released-nfa occurred 5 1
P15-police-bail occurred 5 1
P16-bail-changed occurred 5 1
P17-released-under-investigation occurred 5 1
P18-charged occurred 5 1
P19-first-hearing occurred 5 1
P20-out-of-court-disposal occurred 5 1
P21-police-no-charge occurred 5 1
C1-cps-no-charge occurred 5 1
C2-charges-dropped-or-altered occurred 5 1
W1-hearing-listed received 1 1
W2-hearing-outcome received 1 1
W3-witness-required received 1 1
W6-verdict received 1 1
W7-sentence received 1 1
W8-appeal received 1 1
W9-victim-contact-scheme occurred 10 10
P26-complaint-acknowledged received 10 10
VRR-police-acknowledged received 10 10
VRR-cps-acknowledged received 10 10";
        let set = RuleSet::builtin_ref();
        let mut lines = vec![set.version_label().to_owned()];
        for r in &set.rules {
            let clock = match r.clock {
                Clock::Occurred => "occurred",
                Clock::Received => "received",
            };
            lines.push(format!(
                "{} {clock} {} {}",
                r.id, r.standard_days, r.enhanced_days
            ));
        }
        assert_eq!(lines.join("\n"), PINNED);
    }

    #[test]
    fn a_stored_obligation_is_explained_again_in_the_same_words() {
        // Every event type, for a standard and an enhanced victim, so that every rule (those
        // counted from receipt among them) is explained both ways.
        let events: Vec<EngineEvent> = EventType::ALL
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut e = ev(
                    &format!("e{i}"),
                    *t,
                    "2026-07-03T22:30:00Z",
                    Some("2026-07-06T09:00:00Z"),
                );
                e.first_hearing = true;
                e.victim_contact_scheme_eligible = true;
                e
            })
            .collect();
        let book = RuleBook::builtin();
        let mut explained = 0;
        for flags in [
            CaseFlags::default(),
            CaseFlags {
                domestic_abuse: true,
                hate_crime: true,
            },
        ] {
            let case = CaseFacts {
                offence: Some(OffenceCategory::Abh),
                flags,
            };
            for o in run(case, &events) {
                let e = events.iter().find(|e| e.id == o.event).unwrap();
                let made = Made {
                    rule_set: &o.rule_set,
                    rule: &o.rule,
                    due: o.due,
                    enhanced: o.enhanced,
                    reasons: &o.enhanced_reasons,
                    event: e.event_type,
                    occurred_at: e.occurred_at,
                    received_at: e.received_at,
                };
                assert_eq!(book.explain(&made).as_deref(), Some(o.explanation.as_str()));
                explained += 1;
            }
        }
        assert!(explained > 40, "only {explained} obligations explained");
        let unknown = Made {
            rule_set: "vcop-1999/1",
            rule: "P18-charged",
            due: "2026-07-06".parse().unwrap(),
            enhanced: false,
            reasons: &[],
            event: EventType::Charged,
            occurred_at: "2026-07-03T10:00:00Z".parse().unwrap(),
            received_at: "2026-07-03T10:00:00Z".parse().unwrap(),
        };
        assert_eq!(book.explain(&unknown), None);
    }

    #[test]
    fn a_charge_is_due_in_five_working_days_or_one_with_enhanced_rights() {
        let events = [ev("e1", EventType::Charged, "2023-03-13T10:00:00Z", None)];
        let standard = run(
            CaseFacts {
                offence: Some(OffenceCategory::Abh),
                flags: CaseFlags::default(),
            },
            &events,
        );
        assert_eq!(standard[0].rule, "P18-charged");
        assert_eq!(standard[0].due.to_string(), "2023-03-20");
        let da = CaseFlags {
            domestic_abuse: true,
            hate_crime: false,
        };
        let enhanced = run(
            CaseFacts {
                offence: Some(OffenceCategory::Abh),
                flags: da,
            },
            &events,
        );
        assert_eq!(enhanced[0].due.to_string(), "2023-03-14");
        assert_eq!(
            enhanced[0].explanation,
            "due Tue 14 Mar 2023: suspect charged, on Mon 13 Mar 2023; enhanced rights (domestic abuse); 1 working day"
        );
    }

    #[test]
    fn witness_care_deadlines_run_from_receipt_and_london_dates() {
        // Listed on 1 April, received by the WCU at 16:30 on 2 April: due 3 April.
        let events = [ev(
            "e2",
            EventType::HearingListed,
            "2026-04-01T09:00:00Z",
            Some("2026-04-02T16:30:00Z"),
        )];
        let o = run(CaseFacts::default(), &events);
        assert_eq!(
            (o[0].rule.as_str(), o[0].due.to_string()),
            ("W1-hearing-listed", "2026-04-07".into()),
            "3 April is Good Friday and 6 April Easter Monday"
        );
        // 23:30 UTC in summer is already the next London day.
        let events = [ev("e3", EventType::Arrested, "2026-07-02T23:30:00Z", None)];
        let o = run(CaseFacts::default(), &events);
        assert_eq!(o[0].due.to_string(), "2026-07-10", "day 0 is Fri 3 July");
    }

    #[test]
    fn conditions_pick_the_right_rules() {
        let mut sentence = ev("s", EventType::Sentenced, "2026-05-05T12:00:00Z", None);
        let o = run(CaseFacts::default(), std::slice::from_ref(&sentence));
        assert_eq!(
            o.iter().map(|o| o.rule.as_str()).collect::<Vec<_>>(),
            ["W7-sentence"]
        );
        sentence.victim_contact_scheme_eligible = true;
        let o = run(CaseFacts::default(), &[sentence]);
        assert_eq!(o[1].rule, "W9-victim-contact-scheme");
        assert_eq!(o[1].due.to_string(), "2026-05-19");
        let mut review = ev(
            "r",
            EventType::ReviewRequested,
            "2026-05-05T12:00:00Z",
            None,
        );
        review.review_scheme = Some(ReviewScheme::Cps);
        let o = run(CaseFacts::default(), &[review]);
        assert_eq!(
            o.iter().map(|o| o.rule.as_str()).collect::<Vec<_>>(),
            ["VRR-cps-acknowledged"]
        );
    }

    /// One scenario per rule, for a standard and an enhanced victim. The event happens on
    /// Mon 9 March 2026; the force hears of it on Tue 10 March. A rule added to the rule set
    /// without a line here fails the test.
    #[test]
    fn every_rule_for_standard_and_enhanced_victims() {
        use EventType as T;
        let scenarios: &[(&str, T, Option<Condition>, &str, &str)] = &[
            (
                "P2-written-confirmation",
                T::Reported,
                None,
                "2026-03-16",
                "2026-03-16",
            ),
            (
                "P6-support-referral",
                T::Reported,
                None,
                "2026-03-11",
                "2026-03-11",
            ),
            (
                "P10-not-investigated",
                T::NotInvestigated,
                None,
                "2026-03-16",
                "2026-03-10",
            ),
            ("P12-arrest", T::Arrested, None, "2026-03-16", "2026-03-10"),
            (
                "P13-interview",
                T::InterviewedUnderCaution,
                None,
                "2026-03-16",
                "2026-03-10",
            ),
            (
                "P14-released-nfa",
                T::ReleasedNoFurtherAction,
                None,
                "2026-03-16",
                "2026-03-10",
            ),
            (
                "P15-police-bail",
                T::ReleasedOnBail,
                None,
                "2026-03-16",
                "2026-03-10",
            ),
            (
                "P16-bail-changed",
                T::BailVaried,
                None,
                "2026-03-16",
                "2026-03-10",
            ),
            (
                "P17-released-under-investigation",
                T::ReleasedUnderInvestigation,
                None,
                "2026-03-16",
                "2026-03-10",
            ),
            ("P18-charged", T::Charged, None, "2026-03-16", "2026-03-10"),
            (
                "P19-first-hearing",
                T::Charged,
                Some(Condition::FirstHearing),
                "2026-03-16",
                "2026-03-10",
            ),
            (
                "P20-out-of-court-disposal",
                T::OutOfCourtDisposal,
                None,
                "2026-03-16",
                "2026-03-10",
            ),
            (
                "P21-police-no-charge",
                T::PoliceNoCharge,
                None,
                "2026-03-16",
                "2026-03-10",
            ),
            (
                "C1-cps-no-charge",
                T::CpsNoCharge,
                None,
                "2026-03-16",
                "2026-03-10",
            ),
            (
                "C2-charges-dropped-or-altered",
                T::CpsChargesDroppedOrAltered,
                None,
                "2026-03-16",
                "2026-03-10",
            ),
            (
                "W1-hearing-listed",
                T::HearingListed,
                None,
                "2026-03-11",
                "2026-03-11",
            ),
            (
                "W2-hearing-outcome",
                T::HearingOutcome,
                None,
                "2026-03-11",
                "2026-03-11",
            ),
            (
                "W3-witness-required",
                T::WitnessRequired,
                None,
                "2026-03-11",
                "2026-03-11",
            ),
            ("W6-verdict", T::Verdict, None, "2026-03-11", "2026-03-11"),
            (
                "W7-sentence",
                T::Sentenced,
                None,
                "2026-03-11",
                "2026-03-11",
            ),
            (
                "W8-appeal",
                T::AppealLodged,
                None,
                "2026-03-11",
                "2026-03-11",
            ),
            (
                "W9-victim-contact-scheme",
                T::Sentenced,
                Some(Condition::VictimContactSchemeEligible),
                "2026-03-23",
                "2026-03-23",
            ),
            (
                "P26-complaint-acknowledged",
                T::ComplaintReceived,
                None,
                "2026-03-24",
                "2026-03-24",
            ),
            (
                "VRR-police-acknowledged",
                T::ReviewRequested,
                Some(Condition::PoliceReview),
                "2026-03-24",
                "2026-03-24",
            ),
            (
                "VRR-cps-acknowledged",
                T::ReviewRequested,
                Some(Condition::CpsReview),
                "2026-03-24",
                "2026-03-24",
            ),
        ];
        let rules = RuleSet::builtin();
        for rule in &rules.rules {
            assert!(
                scenarios.iter().any(|s| s.0 == rule.id),
                "no scenario for {}",
                rule.id
            );
        }
        let da = CaseFlags {
            domestic_abuse: true,
            hate_crime: false,
        };
        for (rule, t, condition, standard, enhanced) in scenarios {
            let mut e = ev(
                "e",
                *t,
                "2026-03-09T10:00:00Z",
                Some("2026-03-10T10:00:00Z"),
            );
            match condition {
                Some(Condition::FirstHearing) => e.first_hearing = true,
                Some(Condition::VictimContactSchemeEligible) => {
                    e.victim_contact_scheme_eligible = true
                }
                Some(Condition::PoliceReview) => e.review_scheme = Some(ReviewScheme::Police),
                Some(Condition::CpsReview) => e.review_scheme = Some(ReviewScheme::Cps),
                None => {}
            }
            for (flags, expected) in [(CaseFlags::default(), standard), (da, enhanced)] {
                let found = run(
                    CaseFacts {
                        offence: Some(OffenceCategory::Abh),
                        flags,
                    },
                    std::slice::from_ref(&e),
                );
                let o = found
                    .iter()
                    .find(|o| o.rule == *rule)
                    .unwrap_or_else(|| panic!("{rule} did not fire"));
                assert_eq!(
                    o.due.to_string(),
                    *expected,
                    "{rule}, enhanced: {}",
                    flags.domestic_abuse
                );
                assert_eq!(o.enhanced, flags.domestic_abuse);
            }
        }
    }

    #[test]
    fn events_before_the_rule_set_came_into_force_owe_nothing() {
        let events = [ev("old", EventType::Arrested, "2021-03-31T10:00:00Z", None)];
        assert!(run(CaseFacts::default(), &events).is_empty());
        let events = [ev("new", EventType::Arrested, "2021-04-01T10:00:00Z", None)];
        assert_eq!(run(CaseFacts::default(), &events).len(), 1);
    }

    #[test]
    fn a_broken_rule_set_is_refused_by_name() {
        let bad = VCOP_2021.replace("on = [\"arrested\"]", "on = [\"arested\"]");
        assert_eq!(
            RuleSet::parse(&bad).unwrap_err(),
            RuleSetError::Rule {
                rule: "P12-arrest".into(),
                problem: "`arested` is not an event type".into()
            }
        );
        let bad = VCOP_2021.replace(
            "standard = \"support_referral_days\"",
            "standard = \"nope\"",
        );
        assert!(
            RuleSet::parse(&bad)
                .unwrap_err()
                .to_string()
                .contains("no parameter `nope`")
        );
    }
}

/// The input of `victimcare code evaluate`: one case, one victim, its events.
pub mod scenario {
    use super::{CaseFacts, EngineEvent};
    use crate::case::{CaseFlags, ReviewScheme};
    use crate::enhanced::VictimFactors;
    use crate::event::EventType;
    use crate::offence::OffenceCategory;
    use crate::problem::Problem;
    use crate::victim::{DateOfBirth, VictimKind};
    use chrono::{DateTime, Utc};
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Scenario {
        case: Case,
        victim: Victim,
        events: Vec<Event>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Flag {
        DomesticAbuse,
        HateCrime,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // crime_reference is accepted for the reader's benefit
    struct Case {
        crime_reference: Option<String>,
        offence: Option<OffenceCategory>,
        #[serde(default)]
        flags: Vec<Flag>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Victim {
        kind: VictimKind,
        date_of_birth: Option<DateOfBirth>,
        #[serde(default)]
        vulnerable: bool,
        #[serde(default)]
        intimidated: bool,
        #[serde(default)]
        persistently_targeted: bool,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Event {
        id: String,
        #[serde(rename = "type")]
        event_type: String,
        occurred_at: DateTime<Utc>,
        received_at: Option<DateTime<Utc>>,
        source: Option<String>,
        crime_reference: Option<String>,
        #[serde(default)]
        payload: serde_json::Value,
    }

    /// Reads a scenario; a problem names the field (`events[2].type`).
    pub fn parse(json: &str) -> Result<(CaseFacts, VictimFactors, Vec<EngineEvent>), Problem> {
        let de = &mut serde_json::Deserializer::from_str(json);
        let s: Scenario = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let message = e.into_inner().to_string();
            Problem::new(path, message.split(" at line ").next().unwrap_or_default())
        })?;
        let mut flags = CaseFlags::default();
        for f in s.case.flags {
            match f {
                Flag::DomesticAbuse => flags.domestic_abuse = true,
                Flag::HateCrime => flags.hate_crime = true,
            }
        }
        let mut events = Vec::with_capacity(s.events.len());
        for (i, e) in s.events.into_iter().enumerate() {
            let event_type = EventType::parse(&e.event_type).ok_or_else(|| {
                Problem::new(
                    format!("events[{i}].type"),
                    format!("`{}` is not an event type we know", e.event_type),
                )
            })?;
            let received_at = e.received_at.unwrap_or(e.occurred_at);
            if received_at < e.occurred_at {
                return Err(Problem::new(
                    format!("events[{i}].received_at"),
                    "must not be before occurred_at",
                ));
            }
            let p = &e.payload;
            events.push(EngineEvent {
                source: e.source,
                victim: None,
                id: e.id,
                event_type,
                occurred_at: e.occurred_at,
                received_at,
                first_hearing: p.get("first_hearing").is_some_and(|h| !h.is_null()),
                victim_contact_scheme_eligible: p["victim_contact_scheme_eligible"] == true,
                review_scheme: match p["scheme"].as_str() {
                    Some("police") => Some(ReviewScheme::Police),
                    Some("cps") => Some(ReviewScheme::Cps),
                    _ => None,
                },
            });
        }
        Ok((
            CaseFacts {
                offence: s.case.offence,
                flags,
            },
            VictimFactors {
                kind: s.victim.kind,
                date_of_birth: s.victim.date_of_birth.map(DateOfBirth::date),
                vulnerable: s.victim.vulnerable,
                intimidated: s.victim.intimidated,
                persistently_targeted: s.victim.persistently_targeted,
            },
            events,
        ))
    }
}

/// Every rule set the force has used, each in force from its effective date until the next
/// one's. An event is judged by the rule set in force on the London date it happened, so a
/// new Code changes what later events owe and never what earlier ones did.
#[derive(Debug, Clone)]
pub struct RuleBook {
    /// By effective date, oldest first.
    sets: Vec<std::sync::Arc<RuleSet>>,
    /// Every set given, including any another replaced: obligations made under a replaced
    /// set still name it.
    every: Vec<std::sync::Arc<RuleSet>>,
}

impl RuleBook {
    /// The built-in rule set alone.
    pub fn builtin() -> Self {
        Self::new(vec![std::sync::Arc::new(RuleSet::builtin())])
    }

    /// A book of these sets (in any order). A later-loaded set with the same effective date
    /// as another replaces it: the order given is the order they were loaded.
    pub fn new(sets: Vec<std::sync::Arc<RuleSet>>) -> Self {
        let mut by_date: BTreeMap<NaiveDate, std::sync::Arc<RuleSet>> = BTreeMap::new();
        for set in &sets {
            by_date.insert(set.effective_from, set.clone());
        }
        Self {
            sets: by_date.into_values().collect(),
            every: sets,
        }
    }

    /// The explanation of an obligation an event rule made, from what is stored of it; `None`
    /// if its rule set or rule is not in this book.
    pub fn explain(&self, made: &Made<'_>) -> Option<String> {
        let rule = self.rule(made.rule_set, made.rule)?;
        let explanation = Explanation {
            due: made.due,
            what: made.event,
            clock: rule.clock,
            start: rule.day_zero(made.occurred_at, made.received_at),
            days: rule.days(made.enhanced),
        };
        Some(explanation.write(&rights_words(made.reasons)))
    }

    /// The rule `rule_id` of the set labelled `rule_set` ("vcop-2021/1"), in force or not: a
    /// set of this book, or one built into an earlier binary.
    pub fn rule(&self, rule_set: &str, rule_id: &str) -> Option<&Rule> {
        let set = self
            .every
            .iter()
            .map(|s| &**s)
            .chain(published())
            .find(|s| s.version_label() == rule_set)?;
        set.rules.iter().find(|r| r.id == rule_id)
    }

    /// The rule set in force on `day`; before the first one's date, the first (whose own
    /// effective date then keeps it from owing anything).
    pub fn in_force(&self, day: NaiveDate) -> &RuleSet {
        let i = self.sets.partition_point(|s| s.effective_from <= day);
        &self.sets[i.saturating_sub(1)]
    }

    pub fn sets(&self) -> impl Iterator<Item = &RuleSet> {
        self.sets.iter().map(|s| &**s)
    }

    /// [`evaluate_from`] with each event judged by the rule set in force when it happened.
    pub fn evaluate_from(
        &self,
        calendar: &Calendar,
        case: &CaseFacts,
        victim: &VictimFactors,
        offence_date: NaiveDate,
        ordered: &[&EngineEvent],
        words: Words,
    ) -> Result<Vec<Obligation>, CalendarError> {
        if let [only] = self.sets.as_slice() {
            return evaluate_from(only, calendar, case, victim, offence_date, ordered, words);
        }
        let mut obligations = Vec::new();
        let mut start = 0;
        while start < ordered.len() {
            let set = self.in_force(london_date(ordered[start].occurred_at));
            let mut end = start + 1;
            while end < ordered.len()
                && std::ptr::eq(set, self.in_force(london_date(ordered[end].occurred_at)))
            {
                end += 1;
            }
            obligations.extend(evaluate_from(
                set,
                calendar,
                case,
                victim,
                offence_date,
                &ordered[start..end],
                words,
            )?);
            start = end;
        }
        Ok(obligations)
    }
}

/// The next periodic update owed to a victim: `interval` calendar days after `since` (the
/// later of the last time we told them something and the last missed update's due date; at
/// first, the day the case was reported), moved on to a working day. Never due before
/// `today`: a victim who has waited too long is owed an update now, and a deadline already
/// gone when the obligation is made would be a breach nobody could have prevented. `None`
/// when the victim wants no periodic updates.
pub fn next_periodic_update(
    rule_set: &RuleSet,
    calendar: &Calendar,
    frequency: crate::victim::UpdateFrequency,
    since: NaiveDate,
    today: NaiveDate,
) -> Result<Option<Obligation>, CalendarError> {
    let Some(rule) = rule_set.periodic.as_ref() else {
        return Ok(None);
    };
    let Some(days) = frequency.days(rule.default_days) else {
        return Ok(None);
    };
    let Some(mut due) = since.checked_add_days(chrono::Days::new(u64::from(days))) else {
        return Ok(None);
    };
    let overdue = due < today;
    if overdue {
        due = today;
    }
    if !calendar.is_working_day(due)? {
        due = calendar.add_working_days(due, 1)?;
    }
    let mut explanation = String::with_capacity(140);
    explanation.push_str("due ");
    push_long_date(&mut explanation, due);
    explanation.push_str(": an update every ");
    explanation.push_str(&days.to_string());
    explanation.push_str(" days while the case is under investigation");
    if frequency != crate::victim::UpdateFrequency::Standard {
        explanation.push_str(" (as the victim asked)");
    }
    explanation.push_str("; counted from ");
    push_long_date(&mut explanation, since);
    if overdue {
        explanation.push_str("; already overdue when it was made, so due now");
    }
    Ok(Some(Obligation {
        rule: rule.id.clone(),
        right: rule.right,
        source: None,
        event: String::new(),
        due,
        enhanced: false,
        enhanced_reasons: Vec::new(),
        explanation,
        rule_set: rule_set.version_label().to_owned(),
        calendar: calendar.version().to_owned(),
    }))
}

#[cfg(test)]
mod periodic_tests {
    use super::*;
    use crate::victim::UpdateFrequency;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_standard_interval_is_28_days_and_victims_may_choose_another() {
        let rules = RuleSet::builtin();
        let calendar = Calendar::default();
        let next = |f, since: &str, today: &str| {
            next_periodic_update(&rules, &calendar, f, day(since), day(today)).unwrap()
        };
        let since = "2026-11-02";
        let standard = next(UpdateFrequency::Standard, since, since).unwrap();
        assert_eq!(standard.due, day("2026-11-30"));
        assert_eq!(standard.rule, "PU-periodic-update");
        assert_eq!(standard.right, 6);
        assert_eq!(
            standard.explanation,
            "due Mon 30 Nov 2026: an update every 28 days while the case is under \
             investigation; counted from Mon 2 Nov 2026"
        );
        let weekly = next(UpdateFrequency::Weekly, since, since).unwrap();
        assert_eq!(weekly.due, day("2026-11-09"));
        assert!(weekly.explanation.contains("as the victim asked"));
        assert!(next(UpdateFrequency::KeyEventsOnly, since, since).is_none());
        // 28 days from Fri 27 Nov 2026 is Christmas Day; Boxing Day's substitute is Mon 28
        // Dec, so the update is due on the next working day, Tue 29 Dec.
        let christmas = next(UpdateFrequency::Standard, "2026-11-27", "2026-11-27").unwrap();
        assert_eq!(christmas.due, day("2026-12-29"));
        let weekly = next(UpdateFrequency::Weekly, "2026-12-18", "2026-12-18").unwrap();
        assert_eq!(weekly.due, day("2026-12-29"));
        // Long overdue when made: due today, and it says so.
        let late = next(UpdateFrequency::Standard, "2026-01-05", "2026-11-27").unwrap();
        assert_eq!(late.due, day("2026-11-27"));
        assert!(
            late.explanation
                .ends_with("already overdue when it was made, so due now")
        );
    }

    #[test]
    fn none_is_read_as_key_events_only() {
        let f: UpdateFrequency = serde_json::from_str("\"none\"").unwrap();
        assert_eq!(f, UpdateFrequency::KeyEventsOnly);
    }
}

#[cfg(test)]
mod rule_book_tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn every_published_rule_set_reads_under_its_own_label_and_the_last_is_in_use() {
        let sets: Vec<RuleSet> = PUBLISHED
            .iter()
            .map(|t| RuleSet::parse(t).unwrap())
            .collect();
        let labels: HashSet<&str> = sets.iter().map(RuleSet::version_label).collect();
        assert_eq!(
            labels.len(),
            sets.len(),
            "each published set has its own label"
        );
        assert_eq!(
            PUBLISHED.last(),
            Some(&VCOP_2021),
            "the set in use is the last published"
        );
    }

    /// A binary whose built-in set is a later version still explains the obligations made
    /// under the one before.
    #[test]
    fn an_obligation_made_under_an_earlier_built_in_set_is_still_explained() {
        let later = RuleSet::parse(&VCOP_2021.replacen("version = 1", "version = 9", 1)).unwrap();
        let book = RuleBook::new(vec![Arc::new(later)]);
        let at: DateTime<Utc> = "2026-04-13T10:00:00Z".parse().unwrap();
        let made = Made {
            rule_set: "vcop-2021/1",
            rule: "P12-arrest",
            due: "2026-04-20".parse().unwrap(),
            enhanced: false,
            reasons: &[],
            event: EventType::Arrested,
            occurred_at: at,
            received_at: at,
        };
        let words = book.explain(&made).expect("vcop-2021/1 is published");
        assert!(words.contains("5 working days"), "{words}");
        assert_eq!(
            book.explain(&Made {
                rule_set: "vcop-1999/1",
                ..made
            }),
            None
        );
    }

    #[test]
    fn each_event_is_judged_by_the_rule_set_in_force_when_it_happened() {
        // A force shortens the arrest update to 3 working days from 1 June 2026.
        let text = include_str!("../rules/vcop-2021.toml")
            .replacen("version = 1", "version = 2", 1)
            .replacen(
                "effective_from = \"2021-04-01\"",
                "effective_from = \"2026-06-01\"",
                1,
            )
            .replacen(
                "on = [\"arrested\"]\nstandard = 5",
                "on = [\"arrested\"]\nstandard = 3",
                1,
            );
        let newer = RuleSet::parse(&text).unwrap();
        assert_eq!(newer.version_label(), "vcop-2021/2");
        let book = RuleBook::new(vec![Arc::new(RuleSet::builtin()), Arc::new(newer)]);
        let arrest = |id: &str, at: &str| EngineEvent {
            source: None,
            victim: None,
            id: id.into(),
            event_type: EventType::Arrested,
            occurred_at: at.parse().unwrap(),
            received_at: at.parse().unwrap(),
            first_hearing: false,
            victim_contact_scheme_eligible: false,
            review_scheme: None,
        };
        let (before, after) = (
            arrest("a", "2026-05-04T10:00:00Z"),
            arrest("b", "2026-06-01T10:00:00Z"),
        );
        let case = CaseFacts {
            offence: Some(crate::OffenceCategory::Theft),
            flags: Default::default(),
        };
        let victim = crate::enhanced::adult_person();
        let got = book
            .evaluate_from(
                &Calendar::default(),
                &case,
                &victim,
                "2026-05-01".parse().unwrap(),
                &[&before, &after],
                Words::Written,
            )
            .unwrap();
        let summary: Vec<(&str, String, &str)> = got
            .iter()
            .map(|o| (o.event.as_str(), o.due.to_string(), o.rule_set.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("a", "2026-05-11".to_owned(), "vcop-2021/1"),
                ("b", "2026-06-04".to_owned(), "vcop-2021/2"),
            ]
        );
    }
}
