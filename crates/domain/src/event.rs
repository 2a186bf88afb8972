//! The events of a case, in the one JSON shape used everywhere: the ingest API, JSONL import,
//! `victimcare generate`, and the Code engine.
//!
//! ```json
//! {"source": "cris", "id": "E-1", "type": "arrested", "crime_reference": "1234567/26",
//!  "occurred_at": "2026-03-13T10:15:00Z", "payload": {"suspect": "S1"}}
//! ```

use crate::case::{
    AppealAgainst, AppealParty, CaseFlags, ChargeChange, CustodyStatus, Disposal, Hearing,
    HearingKind, HearingResult, Officer, ReviewScheme, SuspectRef, VerdictKind, Wording,
};
use crate::crime_reference::CrimeReference;
use crate::offence::{HomeOfficeCode, OffenceCategory};
use crate::problem::Problem;
use crate::text::{LongText, ShortText};
use crate::victim::{VictimRecord, VictimRef};
use chrono::{DateTime, NaiveDate, SubsecRound as _, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::fmt;

/// How far ahead of our clock an event may claim to have happened (clocks drift).
pub(crate) const CLOCK_SKEW: TimeDelta = TimeDelta::minutes(5);

macro_rules! events {
    ($($variant:ident($payload:ty) = $name:literal),+ $(,)?) => {
        /// The kinds of event a case can have.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EventType { $($variant),+ }

        impl EventType {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name),+ }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                match raw { $($name => Some(Self::$variant),)+ _ => None }
            }
        }

        /// An event's type together with its typed payload.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        #[serde(tag = "type", content = "payload", rename_all = "snake_case")]
        pub enum EventBody { $($variant($payload)),+ }

        /// Serialises an event's payload alone, without copying it.
        pub struct Payload<'a>(pub &'a EventBody);

        impl Serialize for Payload<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self.0 { $(EventBody::$variant(p) => p.serialize(s)),+ }
            }
        }

        impl EventBody {
            pub fn event_type(&self) -> EventType {
                match self { $(Self::$variant(_) => EventType::$variant),+ }
            }

            /// The payload alone, as stored.
            pub fn payload_json(&self) -> String {
                serde_json::to_string(&Payload(self))
                    .expect("payloads are plain data and always serialise")
            }

            /// Reads a payload of the given type; the error says where and what is wrong.
            pub fn from_payload(event_type: EventType, payload: &str) -> Result<Self, Problem> {
                match event_type {
                    $(EventType::$variant => from_json(payload).map(Self::$variant),)+
                }
            }
        }
    };
}

events! {
    Reported(Reported) = "reported",
    NotInvestigated(Reason) = "not_investigated",
    Arrested(SuspectOnly) = "arrested",
    InterviewedUnderCaution(SuspectOnly) = "interviewed_under_caution",
    ReleasedNoFurtherAction(SuspectWithReason) = "released_no_further_action",
    ReleasedOnBail(ReleasedOnBail) = "released_on_bail",
    BailVaried(BailVaried) = "bail_varied",
    BailCancelled(SuspectWithReason) = "bail_cancelled",
    ReleasedUnderInvestigation(SuspectOnly) = "released_under_investigation",
    ReferredToCps(SuspectOnly) = "referred_to_cps",
    Charged(Charged) = "charged",
    OutOfCourtDisposal(OutOfCourtDisposal) = "out_of_court_disposal",
    PoliceNoCharge(NoCharge) = "police_no_charge",
    CpsNoCharge(NoCharge) = "cps_no_charge",
    CpsChargesDroppedOrAltered(ChargesDroppedOrAltered) = "cps_charges_dropped_or_altered",
    HearingListed(HearingListed) = "hearing_listed",
    HearingOutcome(HearingOutcome) = "hearing_outcome",
    NotGuiltyPlea(NotGuiltyPlea) = "not_guilty_plea",
    WitnessRequired(WitnessRequired) = "witness_required",
    Verdict(Verdict) = "verdict",
    Sentenced(Sentenced) = "sentenced",
    AppealLodged(AppealLodged) = "appeal_lodged",
    ComplaintReceived(ComplaintReceived) = "complaint_received",
    ReviewRequested(ReviewRequested) = "review_requested",
    VictimDetailsChanged(VictimDetailsChanged) = "victim_details_changed",
    OfficerChanged(OfficerChanged) = "officer_changed",
    OfficerAttended(OfficerAttended) = "officer_attended",
    CaseDetailsChanged(CaseDetailsChanged) = "case_details_changed",
    CaseClosed(Reason) = "case_closed",
    CaseReopened(Reason) = "case_reopened",
}

impl EventType {
    /// What happened, in plain words for a timeline.
    pub fn label(self) -> &'static str {
        match self {
            Self::Reported => "Crime reported",
            Self::NotInvestigated => "Decided not to investigate further",
            Self::Arrested => "Suspect arrested",
            Self::InterviewedUnderCaution => "Suspect interviewed",
            Self::ReleasedNoFurtherAction => "Suspect released with no further action",
            Self::ReleasedOnBail => "Suspect released on bail",
            Self::BailVaried => "Bail conditions changed",
            Self::BailCancelled => "Bail cancelled",
            Self::ReleasedUnderInvestigation => {
                "Suspect released while the investigation continues"
            }
            Self::ReferredToCps => "Case sent to the Crown Prosecution Service for a decision",
            Self::Charged => "Suspect charged",
            Self::OutOfCourtDisposal => "Dealt with out of court",
            Self::PoliceNoCharge => "Police decided not to charge",
            Self::CpsNoCharge => "Crown Prosecution Service decided not to charge",
            Self::CpsChargesDroppedOrAltered => "Charges dropped or changed",
            Self::HearingListed => "Court hearing arranged",
            Self::HearingOutcome => "Court hearing result",
            Self::NotGuiltyPlea => "Not guilty plea entered",
            Self::WitnessRequired => "Witness needed at court",
            Self::Verdict => "Verdict",
            Self::Sentenced => "Sentence given",
            Self::AppealLodged => "Appeal lodged",
            Self::ComplaintReceived => "Complaint received",
            Self::ReviewRequested => "Review of a decision requested",
            Self::VictimDetailsChanged => "Victim's details updated",
            Self::OfficerChanged => "New officer in the case",
            Self::OfficerAttended => "An officer came to the scene",
            Self::CaseDetailsChanged => "Case details updated",
            Self::CaseClosed => "Case closed",
            Self::CaseReopened => "Case reopened",
        }
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn from_json<T: for<'de> Deserialize<'de>>(payload: &str) -> Result<T, Problem> {
    let de = &mut serde_json::Deserializer::from_str(payload);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        serde_problem(&path, &e.into_inner().to_string(), "payload")
    })
}

/// Turns serde's wording into ours: "missing field `x`" becomes `x`: "is required".
pub(crate) fn serde_problem(path: &str, message: &str, prefix: &str) -> Problem {
    let join = |field: &str| {
        let inner = if path == "." || path.is_empty() {
            field.to_owned()
        } else if field.is_empty() {
            path.to_owned()
        } else {
            format!("{path}.{field}")
        };
        match (prefix.is_empty(), inner.is_empty()) {
            (true, _) => inner,
            (false, true) => prefix.to_owned(),
            (false, false) => format!("{prefix}.{inner}"),
        }
    };
    // serde_json appends " at line L column C"; the position inside one event is noise here.
    let message = message.split(" at line ").next().unwrap_or(message);
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return Problem::new(join(field), "is required");
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        // serde_path_to_error's path already ends with the unknown field's name.
        let expected = rest.split_once(", expected ").map(|(_, e)| e);
        let problem = match expected {
            Some(e) => format!("is not a field we know here (expected {e})"),
            None => "is not a field we know here".to_owned(),
        };
        return Problem::new(join(""), problem);
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let value = rest.split('`').next().unwrap_or_default();
        let expected = rest.split_once(", expected ").map_or("", |(_, e)| e);
        return Problem::new(
            join(""),
            format!("`{value}` is not an allowed value (expected {expected})"),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return Problem::new(join(""), format!("has the wrong type: got {rest}"));
    }
    Problem::new(join(""), message.to_owned())
}

/// The name of the system an event came from (`cris`, `connect`, `wcu`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SourceName(String);
string_newtype!(SourceName);

impl SourceName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        crate::text::identifier(raw, "-_.").map(|v| Self(v.to_owned()))
    }
}

/// The source's own identifier of an event; with the source name it makes a resend a no-op.
pub type SourceEventId = crate::text::Text<128>;

/// One event of a case, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub source: SourceName,
    pub id: SourceEventId,
    pub crime_reference: CrimeReference,
    pub occurred_at: DateTime<Utc>,
    /// When the force learnt of it. Code deadlines run from here; absent, it is `occurred_at`.
    pub received_at: DateTime<Utc>,
    #[serde(flatten)]
    pub body: EventBody,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope<'a> {
    source: Option<String>,
    id: Option<String>,
    #[serde(rename = "type")]
    event_type: Option<String>,
    crime_reference: Option<String>,
    occurred_at: Option<String>,
    received_at: Option<String>,
    #[serde(borrow)]
    payload: Option<&'a RawValue>,
}

/// Reads a JSON object whose fields are all optional (so that every missing one is named,
/// not only the first), naming where the JSON itself is wrong.
pub(crate) fn read_object<'de, T: Deserialize<'de>>(json: &'de str) -> Result<T, Vec<Problem>> {
    let de = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return vec![Problem::new("", format!("is not valid JSON: {inner}"))];
        }
        vec![serde_problem(&path, &inner.to_string(), "")]
    })
}

/// A field that must be there: noted as a problem when it is not.
pub(crate) fn required<T>(problems: &mut Vec<Problem>, name: &str, value: Option<T>) -> Option<T> {
    if value.is_none() {
        problems.push(Problem::new(name, "is required"));
    }
    value
}

pub(crate) fn check<T>(
    problems: &mut Vec<Problem>,
    field: &str,
    result: Result<T, String>,
) -> Option<T> {
    match result {
        Ok(v) => Some(v),
        Err(problem) => {
            problems.push(Problem::new(field, problem));
            None
        }
    }
}

pub(crate) fn timestamp(raw: &str) -> Result<DateTime<Utc>, String> {
    let parsed = DateTime::parse_from_rfc3339(raw.trim()).map_err(|_| {
        "must be a date and time in RFC 3339 form, like 2026-03-14T09:30:00Z".to_owned()
    })?;
    // Both databases keep microseconds; finer digits would not survive a round trip.
    let utc = parsed.with_timezone(&Utc).trunc_subsecs(6);
    if utc
        < DateTime::parse_from_rfc3339("1990-01-01T00:00:00Z")
            .expect("valid")
            .with_timezone(&Utc)
    {
        return Err("must not be before 1990".into());
    }
    Ok(utc)
}

impl Event {
    /// Reads and checks one event from its JSON text. `now` is our clock: nothing may claim to
    /// have happened in the future. Every problem found is returned, not just the first.
    pub fn parse(json: &str, now: DateTime<Utc>) -> Result<Self, Vec<Problem>> {
        let envelope: Envelope = read_object(json)?;
        let mut problems = Vec::new();
        let mut required = |name: &str, value: Option<String>| required(&mut problems, name, value);
        let source = required("source", envelope.source);
        let id = required("id", envelope.id);
        let event_type = required("type", envelope.event_type);
        let crime_reference = required("crime_reference", envelope.crime_reference);
        let occurred_at = required("occurred_at", envelope.occurred_at);

        let source = source.and_then(|v| check(&mut problems, "source", SourceName::parse(&v)));
        let id = id.and_then(|v| check(&mut problems, "id", SourceEventId::parse(&v)));
        let crime_reference = crime_reference
            .and_then(|v| check(&mut problems, "crime_reference", CrimeReference::parse(&v)));
        let occurred_at =
            occurred_at.and_then(|v| check(&mut problems, "occurred_at", timestamp(&v)));
        let received_at = envelope
            .received_at
            .and_then(|v| check(&mut problems, "received_at", timestamp(&v)));
        let event_type = event_type.and_then(|v| {
            check(
                &mut problems,
                "type",
                EventType::parse(v.trim()).ok_or_else(|| {
                    format!("`{v}` is not an event type we know (see the API documentation for the list)")
                }),
            )
        });
        if let Some(received) = received_at
            && received > now + CLOCK_SKEW
        {
            problems.push(Problem::new("received_at", "must not be in the future"));
        }
        if let Some(at) = occurred_at {
            if at > now + CLOCK_SKEW {
                problems.push(Problem::new("occurred_at", "must not be in the future"));
            }
            if let Some(received) = received_at
                && received < at
            {
                problems.push(Problem::new(
                    "received_at",
                    "must not be before occurred_at",
                ));
            }
        }
        let body = event_type.and_then(|t| {
            let payload = envelope.payload.map_or("{}", RawValue::get);
            match EventBody::from_payload(t, payload) {
                Ok(body) => Some(body),
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            }
        });
        if let (Some(body), Some(at)) = (&body, occurred_at) {
            problems.extend(body.problems(at.date_naive()));
        }
        match (source, id, crime_reference, occurred_at, body) {
            (Some(source), Some(id), Some(crime_reference), Some(occurred_at), Some(body))
                if problems.is_empty() =>
            {
                Ok(Self {
                    source,
                    id,
                    crime_reference,
                    occurred_at,
                    received_at: received_at.unwrap_or(occurred_at),
                    body,
                })
            }
            _ => Err(problems),
        }
    }

    pub fn event_type(&self) -> EventType {
        self.body.event_type()
    }

    /// The event in its one JSON shape.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("events are plain data and always serialise")
    }
}

fn require_items<T>(items: &[T], field: &str, max: usize, problems: &mut Vec<Problem>) {
    if items.is_empty() {
        problems.push(Problem::new(field, "must list at least one"));
    } else if items.len() > max {
        problems.push(Problem::new(field, format!("must list at most {max}")));
    }
}

impl EventBody {
    /// Checks that serde cannot make: lists that must not be empty, cross-field rules, dates.
    /// `on` is the day the event happened.
    pub fn problems(&self, on: NaiveDate) -> Vec<Problem> {
        let mut problems = Vec::new();
        match self {
            Self::Reported(r) => {
                require_items(&r.victims, "payload.victims", 50, &mut problems);
                for (i, v) in r.victims.iter().enumerate() {
                    let at = format!("payload.victims[{i}]");
                    if r.victims[..i].iter().any(|w| w.victim_ref == v.victim_ref) {
                        problems.push(Problem::new(
                            format!("{at}.ref"),
                            "is the same as an earlier victim's",
                        ));
                    }
                    problems.extend(v.problems(&at, on));
                }
            }
            Self::VictimDetailsChanged(c) => {
                problems.extend(c.victim.problems("payload.victim", on))
            }
            Self::ReleasedOnBail(b) => {
                if b.bail_until < on {
                    problems.push(Problem::new(
                        "payload.bail_until",
                        "must not be before the day of the event",
                    ));
                }
                if b.conditions.len() > 30 {
                    problems.push(Problem::new("payload.conditions", "must list at most 30"));
                }
            }
            Self::BailVaried(b) => {
                if b.bail_until.is_some_and(|d| d < on) {
                    problems.push(Problem::new(
                        "payload.bail_until",
                        "must not be before the day of the event",
                    ));
                }
                if b.conditions.len() > 30 {
                    problems.push(Problem::new("payload.conditions", "must list at most 30"));
                }
            }
            Self::Charged(c) => require_items(&c.charges, "payload.charges", 50, &mut problems),
            Self::CaseDetailsChanged(c)
                if c.offence.is_none()
                    && c.home_office_code.is_none()
                    && c.flags.is_none()
                    && c.borough.is_none() =>
            {
                problems.push(Problem::new("payload", "must change at least one detail"));
            }
            _ => {}
        }
        problems
    }

    /// The suspect this event is about, if it is about one.
    pub fn suspect(&self) -> Option<&SuspectRef> {
        match self {
            Self::Arrested(p)
            | Self::InterviewedUnderCaution(p)
            | Self::ReleasedUnderInvestigation(p)
            | Self::ReferredToCps(p) => Some(&p.suspect),
            Self::ReleasedNoFurtherAction(p) | Self::BailCancelled(p) => Some(&p.suspect),
            Self::ReleasedOnBail(p) => Some(&p.suspect),
            Self::BailVaried(p) => Some(&p.suspect),
            Self::Charged(p) => Some(&p.suspect),
            Self::OutOfCourtDisposal(p) => Some(&p.suspect),
            Self::PoliceNoCharge(p) | Self::CpsNoCharge(p) => p.suspect.as_ref(),
            Self::CpsChargesDroppedOrAltered(p) => Some(&p.suspect),
            Self::NotGuiltyPlea(p) => Some(&p.suspect),
            Self::Verdict(p) => Some(&p.suspect),
            Self::Sentenced(p) => Some(&p.suspect),
            Self::AppealLodged(p) => Some(&p.suspect),
            _ => None,
        }
    }

    /// Victim records this event carries (new victims, or new details of known ones).
    pub fn victim_records(&self) -> &[VictimRecord] {
        match self {
            Self::Reported(r) => &r.victims,
            Self::VictimDetailsChanged(c) => std::slice::from_ref(&*c.victim),
            _ => &[],
        }
    }
}

/// The crime is reported: the case and its first victims come into being.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reported {
    pub offence: OffenceCategory,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_office_code: Option<HomeOfficeCode>,
    #[serde(default)]
    pub flags: CaseFlags,
    pub borough: ShortText,
    pub officer: Officer,
    pub victims: Vec<VictimRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    pub reason: LongText,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuspectOnly {
    pub suspect: SuspectRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuspectWithReason {
    pub suspect: SuspectRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<LongText>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleasedOnBail {
    pub suspect: SuspectRef,
    pub bail_until: NaiveDate,
    #[serde(default)]
    pub conditions: Vec<Wording>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BailVaried {
    pub suspect: SuspectRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bail_until: Option<NaiveDate>,
    #[serde(default)]
    pub conditions: Vec<Wording>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Charged {
    pub suspect: SuspectRef,
    pub charges: Vec<Wording>,
    pub custody: CustodyStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_hearing: Option<Hearing>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutOfCourtDisposal {
    pub suspect: SuspectRef,
    pub disposal: Disposal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoCharge {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspect: Option<SuspectRef>,
    pub reason: LongText,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChargesDroppedOrAltered {
    pub suspect: SuspectRef,
    pub change: ChargeChange,
    pub detail: LongText,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HearingListed {
    pub hearing: Hearing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HearingOutcome {
    /// Whose hearing it was, when the case has more than one defendant. A guilty plea without
    /// it counts for every defendant awaiting trial.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspect: Option<SuspectRef>,
    pub hearing_kind: HearingKind,
    pub result: HearingResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_hearing: Option<Hearing>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotGuiltyPlea {
    pub suspect: SuspectRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial: Option<Hearing>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WitnessRequired {
    pub victim: VictimRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hearing: Option<Hearing>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    pub suspect: SuspectRef,
    pub verdict: VerdictKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sentenced {
    pub suspect: SuspectRef,
    pub sentence: Wording,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custody_months: Option<u32>,
    /// Custody of 12 months or more for a violent or sexual offence: the victim may join the
    /// Victim Contact Scheme.
    #[serde(default)]
    pub victim_contact_scheme_eligible: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppealLodged {
    pub suspect: SuspectRef,
    pub by: AppealParty,
    pub against: AppealAgainst,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplaintReceived {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub victim: Option<VictimRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequested {
    pub victim: VictimRef,
    pub scheme: ReviewScheme,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VictimDetailsChanged {
    /// The victim's full record as it now stands; a victim new to the case is added.
    pub victim: Box<VictimRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficerChanged {
    pub officer: Officer,
}

/// An officer came to where the crime happened (for a home burglary, the victim's home). The
/// event's `occurred_at` is when they arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficerAttended {
    pub officer: Officer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseDetailsChanged {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offence: Option<OffenceCategory>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_office_code: Option<HomeOfficeCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<CaseFlags>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub borough: Option<ShortText>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        "2026-11-28T12:00:00Z".parse().unwrap()
    }

    fn parse(value: serde_json::Value) -> Result<Event, Vec<Problem>> {
        Event::parse(&value.to_string(), now())
    }

    fn reported() -> serde_json::Value {
        json!({
            "source": "cris", "id": "E1", "type": "reported", "crime_reference": "1234567/26",
            "occurred_at": "2026-03-13T10:15:00+00:00",
            "payload": {
                "offence": "burglary_residential", "borough": "Camden",
                "officer": {"name": "PC Ada Jones", "collar_number": "1234CA"},
                "victims": [{"ref": "P1", "kind": "person", "name": "Sam Green",
                             "date_of_birth": "1980-01-02", "phone": "07700 900123"}]
            }
        })
    }

    #[test]
    fn a_good_event_round_trips_through_its_json_shape() {
        let event = parse(reported()).unwrap();
        assert_eq!(event.event_type(), EventType::Reported);
        assert_eq!(event.received_at, event.occurred_at);
        let again = Event::parse(&event.to_json(), now()).unwrap();
        assert_eq!(again, event);
        let value: serde_json::Value = serde_json::from_str(&event.to_json()).unwrap();
        assert_eq!(value["type"], "reported");
        assert_eq!(value["payload"]["victims"][0]["phone"], "+447700900123");
    }

    #[test]
    fn every_type_name_parses_back() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(*t));
        }
    }

    #[test]
    fn all_envelope_problems_are_reported_together() {
        let problems = parse(json!({"type": "arrested", "crime_reference": "12/26",
                                    "occurred_at": "yesterday", "payload": {"suspect": "S1"}}))
        .unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["source", "id", "crime_reference", "occurred_at"]);
        assert!(problems[2].problem.contains("1234567/26"));
    }

    #[test]
    fn payload_problems_name_the_nested_field() {
        let mut e = reported();
        e["payload"]["victims"][0]["email"] = json!("not-an-email");
        let problems = parse(e).unwrap_err();
        assert_eq!(problems[0].field, "payload.victims[0].email");
        assert!(
            problems[0].problem.contains("email address"),
            "{problems:?}"
        );

        let mut e = reported();
        e["payload"].as_object_mut().unwrap().remove("borough");
        assert_eq!(
            parse(e).unwrap_err()[0],
            Problem::new("payload.borough", "is required")
        );

        let mut e = reported();
        e["payload"]["offence"] = json!("burglary");
        let p = &parse(e).unwrap_err()[0];
        assert_eq!(p.field, "payload.offence");
        assert!(
            p.problem.contains("`burglary` is not an allowed value"),
            "{p:?}"
        );
    }

    #[test]
    fn unknown_types_and_fields_are_refused_not_dropped() {
        let mut e = reported();
        e["type"] = json!("teleported");
        assert_eq!(parse(e).unwrap_err()[0].field, "type");

        let mut e = reported();
        e["colour"] = json!("blue");
        assert_eq!(parse(e).unwrap_err()[0].field, "colour");

        let mut e = reported();
        e["payload"]["victims"][0]["shoe_size"] = json!(9);
        assert_eq!(
            parse(e).unwrap_err()[0].field,
            "payload.victims[0].shoe_size"
        );
    }

    #[test]
    fn times_must_make_sense() {
        let mut e = reported();
        e["occurred_at"] = json!("2027-01-01T00:00:00Z");
        assert_eq!(
            parse(e).unwrap_err()[0].problem,
            "must not be in the future"
        );

        let mut e = reported();
        e["received_at"] = json!("2026-03-12T00:00:00Z");
        assert_eq!(parse(e).unwrap_err()[0].field, "received_at");

        // Code deadlines run from received_at: one in the future would never fall due.
        let mut e = reported();
        e["received_at"] = json!("2099-01-01T00:00:00Z");
        assert_eq!(
            parse(e).unwrap_err()[0],
            Problem::new("received_at", "must not be in the future")
        );

        let bail = json!({"source": "cris", "id": "E2", "type": "released_on_bail",
            "crime_reference": "1234567/26", "occurred_at": "2026-03-13T10:15:00Z",
            "payload": {"suspect": "S1", "bail_until": "2026-03-01"}});
        assert_eq!(parse(bail).unwrap_err()[0].field, "payload.bail_until");
    }

    #[test]
    fn a_report_needs_distinct_victims() {
        let mut e = reported();
        let v = e["payload"]["victims"][0].clone();
        e["payload"]["victims"] = json!([v, v]);
        assert_eq!(
            parse(e.clone()).unwrap_err()[0].field,
            "payload.victims[1].ref"
        );
        e["payload"]["victims"] = json!([]);
        assert_eq!(parse(e).unwrap_err()[0].field, "payload.victims");
    }
}
