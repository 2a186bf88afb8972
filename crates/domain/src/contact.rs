//! A contact with a victim: who was reached, how, and which owed information it carried. A
//! contact that reached the victim meets the obligations it names; one where the victim said
//! they did not want that information closes them as not wanted; an attempt that reached
//! nobody is recorded and meets nothing, because the victim has still not heard.

use crate::event::{
    CLOCK_SKEW, SourceEventId, SourceName, check, read_object, required, timestamp,
};
use crate::victim::VictimRef;
use crate::{CrimeReference, Problem};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How many obligations one contact may name.
pub const MAX_COVERED: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    Phone,
    Sms,
    Email,
    Letter,
    InPerson,
    Video,
    Portal,
}

impl ContactChannel {
    pub const ALL: [Self; 7] = [
        Self::Phone,
        Self::Sms,
        Self::Email,
        Self::Letter,
        Self::InPerson,
        Self::Video,
        Self::Portal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Sms => "sms",
            Self::Email => "email",
            Self::Letter => "letter",
            Self::InPerson => "in_person",
            Self::Video => "video",
            Self::Portal => "portal",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactOutcome {
    /// The victim was told (or the message was delivered).
    Informed,
    /// Nobody was reached; the obligations stay open.
    Attempted,
    /// The victim said they do not want this information.
    Declined,
}

impl ContactOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Informed => "informed",
            Self::Attempted => "attempted",
            Self::Declined => "declined",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Informed, Self::Attempted, Self::Declined]
            .into_iter()
            .find(|o| o.as_str() == raw)
    }
}

/// A contact as reported by staff or another system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactReport {
    /// The reporting system and its own id for the contact: a resend is a no-op.
    pub source: SourceName,
    pub id: SourceEventId,
    pub crime_reference: CrimeReference,
    pub victim: VictimRef,
    pub occurred_at: DateTime<Utc>,
    pub channel: ContactChannel,
    pub outcome: ContactOutcome,
    /// The obligations whose information the contact carried.
    pub obligations: Vec<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    source: Option<String>,
    id: Option<String>,
    crime_reference: Option<String>,
    victim: Option<String>,
    occurred_at: Option<String>,
    channel: Option<String>,
    outcome: Option<String>,
    #[serde(default)]
    obligations: Vec<i64>,
}

impl ContactReport {
    /// Reads and checks a contact from JSON, listing every problem. `now` is our clock.
    pub fn parse(json: &str, now: DateTime<Utc>) -> Result<Self, Vec<Problem>> {
        let body: Body = read_object(json)?;
        let mut problems = Vec::new();
        let mut required = |name: &str, value: Option<String>| required(&mut problems, name, value);
        let source = required("source", body.source);
        let id = required("id", body.id);
        let crime_reference = required("crime_reference", body.crime_reference);
        let victim = required("victim", body.victim);
        let occurred_at = required("occurred_at", body.occurred_at);
        let channel = required("channel", body.channel);
        let outcome = required("outcome", body.outcome);

        let source = source.and_then(|v| check(&mut problems, "source", SourceName::parse(&v)));
        let id = id.and_then(|v| check(&mut problems, "id", SourceEventId::parse(&v)));
        let crime_reference = crime_reference
            .and_then(|v| check(&mut problems, "crime_reference", CrimeReference::parse(&v)));
        let victim = victim.and_then(|v| check(&mut problems, "victim", VictimRef::parse(&v)));
        let occurred_at =
            occurred_at.and_then(|v| check(&mut problems, "occurred_at", timestamp(&v)));
        if occurred_at.is_some_and(|at| at > now + CLOCK_SKEW) {
            problems.push(Problem::new("occurred_at", "must not be in the future"));
        }
        let channel = channel.and_then(|v| {
            let known = ContactChannel::ALL.map(ContactChannel::as_str).join(", ");
            check(
                &mut problems,
                "channel",
                ContactChannel::parse(v.trim()).ok_or_else(|| format!("must be one of {known}")),
            )
        });
        let outcome = outcome.and_then(|v| {
            check(
                &mut problems,
                "outcome",
                ContactOutcome::parse(v.trim())
                    .ok_or_else(|| "must be one of informed, attempted, declined".to_owned()),
            )
        });
        if body.obligations.len() > MAX_COVERED {
            problems.push(Problem::new(
                "obligations",
                format!("must list at most {MAX_COVERED} obligations"),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, id) in body.obligations.iter().enumerate() {
            if !seen.insert(id) {
                problems.push(Problem::new(format!("obligations[{i}]"), "is listed twice"));
            }
        }
        if outcome == Some(ContactOutcome::Declined) && body.obligations.is_empty() {
            problems.push(Problem::new(
                "obligations",
                "must name the information the victim did not want",
            ));
        }
        match (
            source,
            id,
            crime_reference,
            victim,
            occurred_at,
            channel,
            outcome,
        ) {
            (
                Some(source),
                Some(id),
                Some(crime_reference),
                Some(victim),
                Some(occurred_at),
                Some(channel),
                Some(outcome),
            ) if problems.is_empty() => Ok(Self {
                source,
                id,
                crime_reference,
                victim,
                occurred_at,
                channel,
                outcome,
                obligations: body.obligations,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()
    }

    #[test]
    fn a_complete_contact_reads() {
        let c = ContactReport::parse(
            r#"{"source": "helpline", "id": "C-1", "crime_reference": "1234567/26",
                "victim": "V-1", "occurred_at": "2026-11-27T10:00:00Z", "channel": "phone",
                "outcome": "informed", "obligations": [3, 4]}"#,
            now(),
        )
        .unwrap();
        assert_eq!(c.channel, ContactChannel::Phone);
        assert_eq!(c.outcome, ContactOutcome::Informed);
        assert_eq!(c.obligations, vec![3, 4]);
    }

    #[test]
    fn every_problem_is_named() {
        let problems = ContactReport::parse(
            r#"{"source": "helpline", "crime_reference": "12/26", "victim": "V-1",
                "occurred_at": "2027-01-01T00:00:00Z", "channel": "pigeon",
                "outcome": "declined", "obligations": []}"#,
            now(),
        )
        .unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "id",
                "crime_reference",
                "occurred_at",
                "channel",
                "obligations"
            ]
        );
    }

    #[test]
    fn unknown_fields_and_repeats_are_refused() {
        let problems = ContactReport::parse(r#"{"notes": "called her"}"#, now()).unwrap_err();
        assert_eq!(problems[0].field, "notes");
        let problems = ContactReport::parse(
            r#"{"source": "h", "id": "1", "crime_reference": "1234567/26", "victim": "V",
                "occurred_at": "2026-11-27T10:00:00Z", "channel": "sms",
                "outcome": "informed", "obligations": [5, 5]}"#,
            now(),
        )
        .unwrap_err();
        assert_eq!(problems[0].field, "obligations[1]");
    }
}
