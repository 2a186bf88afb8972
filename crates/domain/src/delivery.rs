//! Whether, how and when a message may reach a victim, decided from their contact agreement
//! every time, just before sending: the agreement may have changed since the message was
//! queued. Anything that cannot go out safely by itself becomes work for a person, never a
//! silent drop.

use crate::victim::{Channel, QuietHours, VictimRecord};
use chrono::{DateTime, NaiveTime, TimeDelta, Timelike, Utc};
use chrono_tz::Europe::London;

/// Where a message goes: the victim, or the person they asked us to deal with instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    Victim,
    Nominated,
}

/// What to do with a message now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Send it by `channel` to `address`.
    Send {
        channel: Channel,
        address: String,
        recipient: Recipient,
    },
    /// Not now: it is quiet time for the victim. Try again at `until`.
    Wait { until: DateTime<Utc> },
    /// A person must do it, for this reason.
    Person(PersonReason),
}

/// Why a message became a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonReason {
    /// The victim has told us of no way that is safe.
    NoSafeChannel,
    /// The only safe ways need a person (a call) or a channel we cannot send on yet.
    NeedsPerson,
    /// The victim is a child and no parent or guardian is named to hear for them.
    ChildWithoutGuardian,
}

impl PersonReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoSafeChannel => "no safe way to contact the victim",
            Self::NeedsPerson => "the only safe ways to contact the victim need a person",
            Self::ChildWithoutGuardian => {
                "the victim is a child: contact goes through a parent or guardian, and none is named"
            }
        }
    }
}

/// 09:00 in London on `day`, when a message planned for that day goes.
pub fn morning_of(day: chrono::NaiveDate) -> DateTime<Utc> {
    let nine = day.and_time(NaiveTime::from_hms_opt(9, 0, 0).expect("a time"));
    nine.and_local_timezone(London)
        .earliest()
        .map_or_else(|| nine.and_utc(), |t| t.with_timezone(&Utc))
}

/// Quiet time when the victim chose none: nothing before 08:00 or after 20:00, London time.
pub fn default_quiet_hours() -> QuietHours {
    QuietHours {
        from: NaiveTime::from_hms_opt(20, 0, 0).expect("a time"),
        to: NaiveTime::from_hms_opt(8, 0, 0).expect("a time"),
    }
}

/// Decides for one message. `restricted` are the ways the victim stopped on their own page;
/// `automatic` are the channels we can send on without a person.
pub fn decide(
    record: &VictimRecord,
    restricted: &[String],
    automatic: &[Channel],
    now: DateTime<Utc>,
) -> Decision {
    let agreement = &record.contact_agreement;
    let safe: Vec<Channel> = agreement
        .safe_channels
        .iter()
        .copied()
        .filter(|c| !restricted.iter().any(|r| r == c.as_str()))
        .collect();
    if safe.is_empty() {
        return Decision::Person(PersonReason::NoSafeChannel);
    }
    // A child hears through their parent or guardian (the person named in the agreement),
    // never directly by message.
    if is_child(record, now) && agreement.nominated_person.is_none() {
        return Decision::Person(PersonReason::ChildWithoutGuardian);
    }
    // The victim's own order of preference, first way we can use by ourselves.
    let route = safe
        .iter()
        .filter(|c| automatic.contains(c))
        .find_map(|c| address_for(record, *c).map(|(a, r)| (*c, a, r)));
    let Some((channel, address, recipient)) = route else {
        return Decision::Person(PersonReason::NeedsPerson);
    };
    // A letter lands on the mat in daylight whenever it is posted: quiet hours are for the
    // ways that ring, buzz or light up a screen.
    let quiet = agreement.quiet_hours.unwrap_or_else(default_quiet_hours);
    if channel != Channel::Letter
        && let Some(until) = quiet_until(&quiet, now)
    {
        return Decision::Wait { until };
    }
    Decision::Send {
        channel,
        address,
        recipient,
    }
}

/// Under 18 on the London date of `now`.
fn is_child(record: &VictimRecord, now: DateTime<Utc>) -> bool {
    use chrono::Datelike;
    let Some(born) = record.date_of_birth.map(|d| d.date()) else {
        return false;
    };
    let today = crate::calendar::london_date(now);
    let mut age = today.year() - born.year();
    if (today.month(), today.day()) < (born.month(), born.day()) {
        age -= 1;
    }
    age < 18
}

/// The address for `channel`: the nominated person's when the victim named one (and we hold
/// theirs), else the victim's own.
pub fn address_for(record: &VictimRecord, channel: Channel) -> Option<(String, Recipient)> {
    let agreement = &record.contact_agreement;
    if let Some(nominated) = &agreement.nominated_person {
        let theirs = match channel {
            Channel::Email => nominated.email.as_ref().map(ToString::to_string),
            Channel::Sms => nominated.phone.as_ref().map(ToString::to_string),
            _ => None,
        };
        // Someone else speaks for the victim: never fall back to the victim's own details.
        return theirs.map(|a| (a, Recipient::Nominated));
    }
    let own = match channel {
        Channel::Email => record.email.as_ref().map(ToString::to_string),
        Channel::Sms => record.phone.as_ref().map(ToString::to_string),
        // The name, the address lines, the town and the postcode, a line each.
        // A business's letter goes to its named contact, at the business.
        Channel::Letter => record.address.as_ref().map(|a| {
            std::iter::once(record.name.to_string())
                .chain(record.business_name.iter().map(ToString::to_string))
                .chain(a.lines.iter().map(ToString::to_string))
                .chain(a.town.iter().map(ToString::to_string))
                .chain(std::iter::once(a.postcode.to_string()))
                .collect::<Vec<_>>()
                .join("\n")
        }),
        _ => None,
    };
    own.map(|a| (a, Recipient::Victim))
}

/// If `now` is inside the quiet window (London time), when it ends.
fn quiet_until(quiet: &QuietHours, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let local = now.with_timezone(&London);
    let minute = |t: NaiveTime| t.hour() * 60 + t.minute();
    let (from, to, at) = (minute(quiet.from), minute(quiet.to), minute(local.time()));
    let inside = if from <= to {
        (from..to).contains(&at)
    } else {
        at >= from || at < to
    };
    if !inside {
        return None;
    }
    // The next time the clock in London shows `to`: today or tomorrow.
    let mut day = local.date_naive();
    if at >= to {
        day = day.succ_opt()?;
    }
    let end = day.and_time(quiet.to);
    let end = end
        .and_local_timezone(London)
        .earliest()
        // A time skipped by the clocks going forward: an hour later exists.
        .or_else(|| {
            (end + TimeDelta::hours(1))
                .and_local_timezone(London)
                .earliest()
        })?;
    Some(end.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::victim::{NominatedPerson, VictimRecord};

    fn record(json: serde_json::Value) -> VictimRecord {
        serde_json::from_value(json).unwrap()
    }

    fn grace(agreement: serde_json::Value) -> VictimRecord {
        record(
            serde_json::json!({"ref": "V1", "kind": "person", "name": "Grace Adeyemi",
            "email": "grace@example.org", "phone": "07700 900123",
            "contact_agreement": agreement}),
        )
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    const NOON: &str = "2026-11-27T12:00:00Z";

    #[test]
    fn sends_by_the_first_safe_way_we_can_use() {
        let v = grace(serde_json::json!({"channels": ["sms", "email"],
                                         "safe_channels": ["sms", "email"]}));
        // SMS is the victim's first choice, but only email can go by itself here.
        assert_eq!(
            decide(&v, &[], &[Channel::Email], at(NOON)),
            Decision::Send {
                channel: Channel::Email,
                address: "grace@example.org".into(),
                recipient: Recipient::Victim
            }
        );
    }

    #[test]
    fn an_unsafe_or_stopped_way_is_never_used() {
        let v = grace(serde_json::json!({"channels": ["sms", "email"], "safe_channels": ["sms"]}));
        assert_eq!(
            decide(&v, &[], &[Channel::Email, Channel::Sms], at(NOON)),
            Decision::Send {
                channel: Channel::Sms,
                address: "+447700900123".into(),
                recipient: Recipient::Victim
            }
        );
        assert_eq!(
            decide(
                &v,
                &["sms".into()],
                &[Channel::Email, Channel::Sms],
                at(NOON)
            ),
            Decision::Person(PersonReason::NoSafeChannel),
            "the victim stopped texts on their page"
        );
        let calls_only = grace(serde_json::json!({"channels": ["phone_call", "email"],
                                                  "safe_channels": ["phone_call"]}));
        assert_eq!(
            decide(&calls_only, &[], &[Channel::Email], at(NOON)),
            Decision::Person(PersonReason::NeedsPerson)
        );
    }

    #[test]
    fn quiet_hours_hold_a_message_until_they_end_in_london_time() {
        let v = grace(serde_json::json!({"channels": ["email"], "safe_channels": ["email"]}));
        // 21:30 in London in winter (GMT): wait until 08:00 the next morning.
        assert_eq!(
            decide(&v, &[], &[Channel::Email], at("2026-11-27T21:30:00Z")),
            Decision::Wait {
                until: at("2026-11-28T08:00:00Z")
            }
        );
        // 06:00 in London in summer (BST) is 05:00 UTC: wait until 08:00 BST, 07:00 UTC.
        assert_eq!(
            decide(&v, &[], &[Channel::Email], at("2026-07-01T05:00:00Z")),
            Decision::Wait {
                until: at("2026-07-01T07:00:00Z")
            }
        );
        // The victim's own quiet hours replace the default.
        let late = grace(
            serde_json::json!({"channels": ["email"], "safe_channels": ["email"],
            "quiet_hours": {"from": "09:00", "to": "17:00"}}),
        );
        assert!(matches!(
            decide(&late, &[], &[Channel::Email], at("2026-11-27T21:30:00Z")),
            Decision::Send { .. }
        ));
        assert_eq!(
            decide(&late, &[], &[Channel::Email], at(NOON)),
            Decision::Wait {
                until: at("2026-11-27T17:00:00Z")
            }
        );
    }

    #[test]
    fn a_letter_is_addressed_to_the_victim_and_ignores_quiet_hours() {
        let v = record(
            serde_json::json!({"ref": "L1", "kind": "person", "name": "Ola Nowak",
            "address": {"lines": ["12 Acacia Road"], "town": "London", "postcode": "NW10 4AB"},
            "contact_agreement": {"channels": ["letter"], "safe_channels": ["letter"]}}),
        );
        assert_eq!(
            decide(&v, &[], &[Channel::Letter], at("2026-11-27T23:30:00Z")),
            Decision::Send {
                channel: Channel::Letter,
                address: "Ola Nowak\n12 Acacia Road\nLondon\nNW10 4AB".into(),
                recipient: Recipient::Victim
            }
        );
    }

    #[test]
    fn a_child_hears_through_their_guardian_only() {
        let mut child =
            grace(serde_json::json!({"channels": ["email"], "safe_channels": ["email"]}));
        child.date_of_birth = Some(crate::victim::DateOfBirth::parse("2012-05-01").unwrap());
        assert_eq!(
            decide(&child, &[], &[Channel::Email], at(NOON)),
            Decision::Person(PersonReason::ChildWithoutGuardian)
        );
        child.contact_agreement.nominated_person = Some(
            serde_json::from_value::<NominatedPerson>(serde_json::json!({
                "name": "Joy Adeyemi", "relationship": "mother", "email": "joy@example.org"}))
            .unwrap(),
        );
        assert_eq!(
            decide(&child, &[], &[Channel::Email], at(NOON)),
            Decision::Send {
                channel: Channel::Email,
                address: "joy@example.org".into(),
                recipient: Recipient::Nominated
            }
        );
        // Eighteen today: an adult.
        let mut adult =
            grace(serde_json::json!({"channels": ["email"], "safe_channels": ["email"]}));
        adult.date_of_birth = Some(crate::victim::DateOfBirth::parse("2008-11-27").unwrap());
        assert!(matches!(
            decide(&adult, &[], &[Channel::Email], at(NOON)),
            Decision::Send { .. }
        ));
    }

    #[test]
    fn a_nominated_person_gets_the_message_and_never_the_victim() {
        let mut v = grace(serde_json::json!({"channels": ["email"], "safe_channels": ["email"]}));
        v.contact_agreement.nominated_person = Some(
            serde_json::from_value::<NominatedPerson>(serde_json::json!({
                "name": "Ada Adeyemi", "relationship": "sister", "email": "ada@example.org"}))
            .unwrap(),
        );
        assert_eq!(
            decide(&v, &[], &[Channel::Email], at(NOON)),
            Decision::Send {
                channel: Channel::Email,
                address: "ada@example.org".into(),
                recipient: Recipient::Nominated
            }
        );
        v.contact_agreement.nominated_person.as_mut().unwrap().email = None;
        assert_eq!(
            decide(&v, &[], &[Channel::Email], at(NOON)),
            Decision::Person(PersonReason::NeedsPerson),
            "no address for the nominated person: a person sorts it out"
        );
    }
}
