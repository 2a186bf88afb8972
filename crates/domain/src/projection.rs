//! The case projection: what a victim or an agent needs to know about a case now, rebuilt from
//! its events in `occurred_at` order whatever order they arrived in.
//!
//! Events with the same `occurred_at` are applied in the order we stored them, so applying new
//! events on top of a stored state gives the same result as a rebuild from scratch whenever
//! none of them is older than the last one applied (see [`CaseState::can_append`]).

use crate::case::{
    CaseFlags, ChargeChange, Hearing, HearingKind, HearingResult, Officer, SuspectRef, VerdictKind,
};
use crate::crime_reference::CrimeReference;
use crate::event::{Event, EventBody};
use crate::offence::{HomeOfficeCode, OffenceCategory};
use crate::phase::Phase;
use crate::text::ShortText;
use crate::victim::VictimRef;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuspectStatus {
    Arrested,
    Interviewed,
    OnBail,
    UnderInvestigation,
    AwaitingChargeDecision,
    Charged,
    Convicted,
    Sentenced,
    NoFurtherAction,
    NotCharged,
    OutOfCourtDisposal,
    ChargesDropped,
    Acquitted,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotInvestigated => "not_investigated",
            Self::NoFurtherAction => "no_further_action",
            Self::OutOfCourtDisposal => "out_of_court_disposal",
            Self::NotCharged => "not_charged",
            Self::ChargesDropped => "charges_dropped",
            Self::Acquitted => "acquitted",
            Self::ClosedByPolice => "closed_by_police",
        }
    }
}

impl SuspectStatus {
    /// Before any decision to charge: arrested, interviewed, bailed, under investigation.
    pub fn awaits_charge_decision(self) -> bool {
        matches!(
            self,
            Self::Arrested
                | Self::Interviewed
                | Self::OnBail
                | Self::UnderInvestigation
                | Self::AwaitingChargeDecision
        )
    }

    /// Still moving through the system: the case cannot be over while one suspect is.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Arrested
                | Self::Interviewed
                | Self::OnBail
                | Self::UnderInvestigation
                | Self::AwaitingChargeDecision
                | Self::Charged
                | Self::Convicted
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspectState {
    pub status: SuspectStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bail_until: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bail_conditions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub charges: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence: Option<String>,
    #[serde(default)]
    pub appealed: bool,
}

/// Why a case is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    NotInvestigated,
    NoFurtherAction,
    OutOfCourtDisposal,
    NotCharged,
    ChargesDropped,
    Acquitted,
    ClosedByPolice,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedHearing {
    #[serde(flatten)]
    pub hearing: Hearing,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<HearingResult>,
}

/// The state of one case, as of its last applied event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseState {
    pub crime_reference: CrimeReference,
    pub phase: Phase,
    pub phase_since: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offence: Option<OffenceCategory>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_office_code: Option<HomeOfficeCode>,
    #[serde(default)]
    pub flags: CaseFlags,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub borough: Option<String>,
    /// When the crime was reported; absent until the `reported` event arrives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<Officer>,
    pub victims: BTreeSet<VictimRef>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub suspects: BTreeMap<SuspectRef, SuspectState>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hearings: Vec<ListedHearing>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub witnesses_required: BTreeSet<VictimRef>,
    #[serde(default)]
    pub reviews_requested: u32,
    #[serde(default)]
    pub complaints: u32,
    pub event_count: u64,
    pub last_occurred_at: DateTime<Utc>,
    /// The event that last changed what enhanced rights rest on (the offence and the flags):
    /// every obligation records who or what decided its victim's rights, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts_set_by: Option<FactsSource>,
    /// When an officer first came to the scene, and who (collar number, or name without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attended: Option<Attendance>,
}

/// An officer's first attendance at the scene.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub at: DateTime<Utc>,
    pub officer: ShortText,
}

/// Which event set a fact, and when it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactsSource {
    pub source: String,
    pub event: String,
    pub at: DateTime<Utc>,
}

impl CaseState {
    /// A case before any event: reported, as of `at`.
    pub fn new(crime_reference: CrimeReference, at: DateTime<Utc>) -> Self {
        Self {
            crime_reference,
            phase: Phase::Reported,
            phase_since: at,
            outcome: None,
            offence: None,
            home_office_code: None,
            flags: CaseFlags::default(),
            borough: None,
            reported_at: None,
            officer: None,
            victims: BTreeSet::new(),
            suspects: BTreeMap::new(),
            hearings: Vec::new(),
            witnesses_required: BTreeSet::new(),
            reviews_requested: 0,
            complaints: 0,
            event_count: 0,
            last_occurred_at: at,
            facts_set_by: None,
            attended: None,
        }
    }

    /// Builds the state from all the events of one case, in any order. Ties on `occurred_at`
    /// keep the order of the slice, which must be the order the events were stored in.
    pub fn rebuild<'a>(events: impl IntoIterator<Item = &'a Event>) -> Option<Self> {
        Self::rebuild_watching(events.into_iter().map(|e| ((), e)), |(), _| {})
    }

    /// As [`CaseState::rebuild`], showing `watch` the state after each event with the tag
    /// that came with it (ingest notes the case facts as they stood at each new event).
    pub fn rebuild_watching<'a, T>(
        events: impl IntoIterator<Item = (T, &'a Event)>,
        mut watch: impl FnMut(&T, &Self),
    ) -> Option<Self> {
        let mut events: Vec<(T, &Event)> = events.into_iter().collect();
        events.sort_by_key(|(_, e)| e.occurred_at);
        let (_, first) = events.first()?;
        let mut state = Self::new(first.crime_reference.clone(), first.occurred_at);
        for (tag, event) in &events {
            state.apply(event);
            watch(tag, &state);
        }
        Some(state)
    }

    /// Whether events all at or after `earliest` can be applied on top of this state and give
    /// the same answer as a rebuild.
    pub fn can_append(&self, earliest: DateTime<Utc>) -> bool {
        self.event_count == 0 || earliest >= self.last_occurred_at
    }

    fn any_open_suspect(&self) -> bool {
        self.suspects.values().any(|s| s.status.is_open())
    }

    fn move_to(&mut self, phase: Phase, at: DateTime<Utc>) {
        if self.phase != phase {
            self.phase = phase;
            self.phase_since = at;
        }
        if phase != Phase::Closed {
            self.outcome = None;
        }
    }

    /// Moves forward to `phase` unless the case is already further on. A closed case that sees
    /// new activity is open again.
    fn advance_to(&mut self, phase: Phase, at: DateTime<Utc>) {
        if self.phase == Phase::Closed || self.phase < phase {
            self.move_to(phase, at);
        }
    }

    /// Closes the case if nobody is still moving through the system.
    fn close_if_done(&mut self, outcome: Outcome, at: DateTime<Utc>) {
        if !self.any_open_suspect() {
            self.move_to(Phase::Closed, at);
            self.outcome = Some(outcome);
        }
    }

    fn suspect(&mut self, suspect: &SuspectRef, status: SuspectStatus) -> &mut SuspectState {
        let entry = self
            .suspects
            .entry(suspect.clone())
            .or_insert_with(|| SuspectState {
                status,
                bail_until: None,
                bail_conditions: Vec::new(),
                charges: Vec::new(),
                sentence: None,
                appealed: false,
            });
        entry.status = status;
        entry
    }

    /// Gives every suspect whose status passes `which` the status `to`.
    fn restate_where(&mut self, which: impl Fn(SuspectStatus) -> bool, to: SuspectStatus) {
        for s in self.suspects.values_mut().filter(|s| which(s.status)) {
            s.status = to;
        }
    }

    fn list_hearing(&mut self, hearing: &Hearing) {
        let same = self
            .hearings
            .iter_mut()
            .find(|h| h.hearing.kind == hearing.kind && h.hearing.starts_at == hearing.starts_at);
        match same {
            Some(h) => h.hearing = hearing.clone(),
            None => self.hearings.push(ListedHearing {
                hearing: hearing.clone(),
                result: None,
            }),
        }
        self.hearings.sort_by_key(|h| h.hearing.starts_at);
    }

    /// Applies one event. Events must come in `occurred_at` order.
    pub fn apply(&mut self, event: &Event) {
        let at = event.occurred_at;
        self.event_count += 1;
        self.last_occurred_at = self.last_occurred_at.max(at);
        let facts_before = (self.offence, self.flags);
        self.apply_body(event, at);
        if (self.offence, self.flags) != facts_before {
            self.facts_set_by = Some(FactsSource {
                source: event.source.to_string(),
                event: event.id.to_string(),
                at,
            });
        }
    }

    #[allow(clippy::too_many_lines)] // one arm per event type reads best as one match
    fn apply_body(&mut self, event: &Event, at: DateTime<Utc>) {
        use SuspectStatus as S;
        match &event.body {
            EventBody::Reported(r) => {
                self.offence = Some(r.offence);
                self.home_office_code.clone_from(&r.home_office_code);
                self.flags = r.flags;
                self.borough = Some(r.borough.to_string());
                self.reported_at = Some(at);
                self.officer = Some(r.officer.clone());
                self.victims
                    .extend(r.victims.iter().map(|v| v.victim_ref.clone()));
            }
            EventBody::NotInvestigated(_) => {
                self.move_to(Phase::Closed, at);
                self.outcome = Some(Outcome::NotInvestigated);
            }
            EventBody::Arrested(p) => {
                self.suspect(&p.suspect, S::Arrested);
                self.advance_to(Phase::Investigation, at);
            }
            EventBody::InterviewedUnderCaution(p) => {
                self.suspect(&p.suspect, S::Interviewed);
                self.advance_to(Phase::Investigation, at);
            }
            EventBody::ReleasedOnBail(p) => {
                let s = self.suspect(&p.suspect, S::OnBail);
                s.bail_until = Some(p.bail_until);
                s.bail_conditions = p.conditions.iter().map(ToString::to_string).collect();
                self.advance_to(Phase::Investigation, at);
            }
            EventBody::BailVaried(p) => {
                let s = self.suspect(&p.suspect, S::OnBail);
                if p.bail_until.is_some() {
                    s.bail_until = p.bail_until;
                }
                s.bail_conditions = p.conditions.iter().map(ToString::to_string).collect();
            }
            EventBody::BailCancelled(p) => {
                // After charge, bail is the court's; cancelling it does not undo the charge.
                let status = match self.suspects.get(&p.suspect).map(|s| s.status) {
                    Some(status) if !status.awaits_charge_decision() => status,
                    _ => S::UnderInvestigation,
                };
                let s = self.suspect(&p.suspect, status);
                s.bail_until = None;
                s.bail_conditions.clear();
            }
            EventBody::ReleasedUnderInvestigation(p) => {
                let s = self.suspect(&p.suspect, S::UnderInvestigation);
                s.bail_until = None;
                s.bail_conditions.clear();
                self.advance_to(Phase::Investigation, at);
            }
            EventBody::ReleasedNoFurtherAction(p) => {
                let s = self.suspect(&p.suspect, S::NoFurtherAction);
                s.bail_until = None;
                s.bail_conditions.clear();
                self.close_if_done(Outcome::NoFurtherAction, at);
            }
            EventBody::ReferredToCps(p) => {
                self.suspect(&p.suspect, S::AwaitingChargeDecision);
                self.advance_to(Phase::ChargeDecision, at);
            }
            EventBody::Charged(p) => {
                let s = self.suspect(&p.suspect, S::Charged);
                s.charges = p.charges.iter().map(ToString::to_string).collect();
                s.bail_until = None;
                s.bail_conditions.clear();
                if let Some(h) = &p.first_hearing {
                    self.list_hearing(h);
                }
                self.advance_to(Phase::PreTrial, at);
            }
            EventBody::OutOfCourtDisposal(p) => {
                self.suspect(&p.suspect, S::OutOfCourtDisposal);
                self.close_if_done(Outcome::OutOfCourtDisposal, at);
            }
            EventBody::PoliceNoCharge(p) | EventBody::CpsNoCharge(p) => {
                match &p.suspect {
                    Some(s) => {
                        self.suspect(s, S::NotCharged);
                    }
                    // A decision not to charge covers those not yet charged; anyone already
                    // charged or convicted is past that decision.
                    None => {
                        self.restate_where(SuspectStatus::awaits_charge_decision, S::NotCharged)
                    }
                }
                self.close_if_done(Outcome::NotCharged, at);
            }
            EventBody::CpsChargesDroppedOrAltered(p) => {
                if p.change == ChargeChange::Dropped {
                    self.suspect(&p.suspect, S::ChargesDropped);
                    self.close_if_done(Outcome::ChargesDropped, at);
                }
            }
            EventBody::HearingListed(p) => {
                self.list_hearing(&p.hearing);
                match p.hearing.kind {
                    HearingKind::Sentencing => self.advance_to(Phase::Sentencing, at),
                    HearingKind::Appeal => {}
                    _ => self.advance_to(Phase::PreTrial, at),
                }
            }
            EventBody::HearingOutcome(p) => {
                if let Some(h) = self
                    .hearings
                    .iter_mut()
                    .rev()
                    .find(|h| h.hearing.kind == p.hearing_kind && h.hearing.starts_at <= at)
                {
                    h.result = Some(p.result);
                }
                if let Some(next) = &p.next_hearing {
                    self.list_hearing(next);
                }
                match (p.hearing_kind, p.result) {
                    (_, HearingResult::GuiltyPlea) => {
                        match &p.suspect {
                            Some(who) => {
                                self.suspect(who, S::Convicted);
                            }
                            None => self.restate_where(|s| s == S::Charged, S::Convicted),
                        }
                        self.advance_to(Phase::Sentencing, at);
                    }
                    (HearingKind::Trial, HearingResult::Effective | HearingResult::PartHeard) => {
                        self.advance_to(Phase::Trial, at);
                    }
                    _ => {}
                }
            }
            EventBody::NotGuiltyPlea(p) => {
                self.suspect(&p.suspect, S::Charged);
                if let Some(h) = &p.trial {
                    self.list_hearing(h);
                }
                self.advance_to(Phase::PreTrial, at);
            }
            EventBody::WitnessRequired(p) => {
                self.witnesses_required.insert(p.victim.clone());
                if let Some(h) = &p.hearing {
                    self.list_hearing(h);
                }
                self.advance_to(Phase::PreTrial, at);
            }
            EventBody::Verdict(p) => match p.verdict {
                VerdictKind::Guilty | VerdictKind::Mixed => {
                    self.suspect(&p.suspect, S::Convicted);
                    self.advance_to(Phase::Sentencing, at);
                }
                VerdictKind::NotGuilty => {
                    self.suspect(&p.suspect, S::Acquitted);
                    self.close_if_done(Outcome::Acquitted, at);
                }
            },
            EventBody::Sentenced(p) => {
                let s = self.suspect(&p.suspect, S::Sentenced);
                s.sentence = Some(p.sentence.to_string());
                if !self.any_open_suspect() {
                    self.advance_to(Phase::AfterSentence, at);
                }
            }
            EventBody::AppealLodged(p) => {
                if let Some(s) = self.suspects.get_mut(&p.suspect) {
                    s.appealed = true;
                }
            }
            EventBody::ComplaintReceived(_) => self.complaints += 1,
            EventBody::ReviewRequested(_) => self.reviews_requested += 1,
            EventBody::VictimDetailsChanged(c) => {
                self.victims.insert(c.victim.victim_ref.clone());
            }
            EventBody::OfficerChanged(c) => self.officer = Some(c.officer.clone()),
            // The first attendance is the one the promise is measured by.
            EventBody::OfficerAttended(a) => {
                if self.attended.is_none() {
                    self.attended = Some(Attendance {
                        at,
                        officer: a
                            .officer
                            .collar_number
                            .clone()
                            .unwrap_or_else(|| a.officer.name.clone()),
                    });
                }
            }
            EventBody::CaseDetailsChanged(c) => {
                if let Some(o) = c.offence {
                    self.offence = Some(o);
                }
                if c.home_office_code.is_some() {
                    self.home_office_code.clone_from(&c.home_office_code);
                }
                if let Some(f) = c.flags {
                    self.flags = f;
                }
                if let Some(b) = &c.borough {
                    self.borough = Some(b.to_string());
                }
            }
            EventBody::CaseClosed(_) => {
                self.move_to(Phase::Closed, at);
                self.outcome = Some(Outcome::ClosedByPolice);
            }
            EventBody::CaseReopened(_) => self.move_to(Phase::Investigation, at),
        }
    }

    /// The next hearing on or after `now`, if one is listed.
    pub fn next_hearing(&self, now: DateTime<Utc>) -> Option<&Hearing> {
        self.hearings
            .iter()
            .map(|h| &h.hearing)
            .find(|h| h.starts_at >= now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(id: u32, kind: &str, at: &str, payload: serde_json::Value) -> Event {
        let json = json!({"source": "cris", "id": format!("E{id}"), "type": kind,
            "crime_reference": "1234567/26", "occurred_at": at, "payload": payload});
        Event::parse(&json.to_string(), "2026-11-28T00:00:00Z".parse().unwrap()).unwrap()
    }

    fn journey() -> Vec<Event> {
        vec![
            event(
                1,
                "reported",
                "2026-01-05T09:00:00Z",
                json!({
                "offence": "robbery", "borough": "Hackney", "officer": {"name": "DC Rao"},
                "victims": [{"ref": "P1", "kind": "person", "name": "Kim Lee"}]}),
            ),
            event(
                2,
                "arrested",
                "2026-01-06T09:00:00Z",
                json!({"suspect": "S1"}),
            ),
            event(
                3,
                "released_on_bail",
                "2026-01-06T18:00:00Z",
                json!({"suspect": "S1",
                "bail_until": "2026-02-06", "conditions": ["Not to contact the victim"]}),
            ),
            event(
                4,
                "referred_to_cps",
                "2026-02-01T09:00:00Z",
                json!({"suspect": "S1"}),
            ),
            event(
                5,
                "charged",
                "2026-02-03T09:00:00Z",
                json!({"suspect": "S1",
                "charges": ["Robbery"], "custody": "bailed",
                "first_hearing": {"kind": "first_appearance", "starts_at": "2026-02-10T10:00:00Z",
                                  "court": "Thames Magistrates' Court"}}),
            ),
            event(
                6,
                "not_guilty_plea",
                "2026-02-10T11:00:00Z",
                json!({"suspect": "S1",
                "trial": {"kind": "trial", "starts_at": "2026-06-01T10:00:00Z",
                          "court": "Snaresbrook Crown Court"}}),
            ),
            event(
                7,
                "hearing_outcome",
                "2026-06-01T16:00:00Z",
                json!({"hearing_kind": "trial", "result": "part_heard"}),
            ),
            event(
                8,
                "verdict",
                "2026-06-03T15:00:00Z",
                json!({"suspect": "S1", "verdict": "guilty"}),
            ),
            event(
                9,
                "sentenced",
                "2026-07-01T12:00:00Z",
                json!({"suspect": "S1",
                "sentence": "4 years' imprisonment", "custody_months": 48,
                "victim_contact_scheme_eligible": true}),
            ),
        ]
    }

    #[test]
    fn a_case_walks_the_whole_journey() {
        let events = journey();
        let mut phases = Vec::new();
        let mut state = CaseState::new(events[0].crime_reference.clone(), events[0].occurred_at);
        for e in &events {
            state.apply(e);
            phases.push(state.phase);
        }
        use Phase::*;
        assert_eq!(
            phases,
            [
                Reported,
                Investigation,
                Investigation,
                ChargeDecision,
                PreTrial,
                PreTrial,
                Trial,
                Sentencing,
                AfterSentence
            ]
        );
        let s1 = SuspectRef::parse("S1").unwrap();
        assert_eq!(
            state.suspects[&s1].sentence.as_deref(),
            Some("4 years' imprisonment")
        );
        assert_eq!(state.hearings.len(), 2);
        assert_eq!(state.event_count, 9);
        assert_eq!(state.phase_since, events[8].occurred_at);
    }

    #[test]
    fn arrival_order_does_not_matter() {
        let events = journey();
        let in_order = CaseState::rebuild(&events).unwrap();
        let mut shuffled = events.clone();
        shuffled.reverse();
        shuffled.swap(1, 4);
        assert_eq!(CaseState::rebuild(&shuffled).unwrap(), in_order);
    }

    #[test]
    fn appending_in_order_equals_a_rebuild() {
        let events = journey();
        let mut state = CaseState::rebuild(&events[..4]).unwrap();
        assert!(state.can_append(events[4].occurred_at));
        assert!(!state.can_append(events[0].occurred_at));
        for e in &events[4..] {
            state.apply(e);
        }
        assert_eq!(state, CaseState::rebuild(&events).unwrap());
    }

    #[test]
    fn no_further_action_closes_only_when_every_suspect_is_done() {
        let mut events = journey()[..2].to_vec();
        events.push(event(
            20,
            "arrested",
            "2026-01-07T09:00:00Z",
            json!({"suspect": "S2"}),
        ));
        events.push(event(
            21,
            "released_no_further_action",
            "2026-01-08T09:00:00Z",
            json!({"suspect": "S1"}),
        ));
        let state = CaseState::rebuild(&events).unwrap();
        assert_eq!(state.phase, Phase::Investigation);
        events.push(event(
            22,
            "released_no_further_action",
            "2026-01-09T09:00:00Z",
            json!({"suspect": "S2"}),
        ));
        let state = CaseState::rebuild(&events).unwrap();
        assert_eq!(state.phase, Phase::Closed);
        assert_eq!(state.outcome, Some(Outcome::NoFurtherAction));
    }

    #[test]
    fn an_acquittal_closes_and_a_reopening_reopens() {
        let mut events = journey()[..6].to_vec();
        events.push(event(
            30,
            "verdict",
            "2026-06-03T15:00:00Z",
            json!({"suspect": "S1", "verdict": "not_guilty"}),
        ));
        let state = CaseState::rebuild(&events).unwrap();
        assert_eq!(
            (state.phase, state.outcome),
            (Phase::Closed, Some(Outcome::Acquitted))
        );
        events.push(event(
            31,
            "case_reopened",
            "2026-07-03T15:00:00Z",
            json!({"reason": "New evidence"}),
        ));
        let state = CaseState::rebuild(&events).unwrap();
        assert_eq!((state.phase, state.outcome), (Phase::Investigation, None));
    }

    #[test]
    fn co_defendants_keep_their_own_status() {
        let mut events = journey()[..5].to_vec();
        events.push(event(
            40,
            "charged",
            "2026-02-03T10:00:00Z",
            json!({"suspect": "S2",
            "charges": ["Robbery"], "custody": "bailed"}),
        ));
        events.push(event(
            41,
            "not_guilty_plea",
            "2026-02-10T10:05:00Z",
            json!({"suspect": "S2"}),
        ));
        events.push(event(
            42,
            "hearing_outcome",
            "2026-02-10T10:30:00Z",
            json!({"suspect": "S1", "hearing_kind": "first_appearance", "result": "guilty_plea"}),
        ));
        events.push(event(
            43,
            "bail_cancelled",
            "2026-02-11T10:30:00Z",
            json!({"suspect": "S2"}),
        ));
        events.push(event(
            44,
            "cps_no_charge",
            "2026-02-12T10:30:00Z",
            json!({"reason": "Not enough evidence against anyone else"}),
        ));
        let state = CaseState::rebuild(&events).unwrap();
        let s1 = SuspectRef::parse("S1").unwrap();
        let s2 = SuspectRef::parse("S2").unwrap();
        assert_eq!(state.suspects[&s1].status, SuspectStatus::Convicted);
        assert_eq!(state.suspects[&s2].status, SuspectStatus::Charged);
        assert_eq!(state.phase, Phase::Sentencing);
    }

    #[test]
    fn the_state_survives_storage_as_json() {
        let state = CaseState::rebuild(&journey()).unwrap();
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<CaseState>(&json).unwrap(), state);
    }
}
