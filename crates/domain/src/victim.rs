//! Victims and how they want (and can safely) be contacted. Everything here is personal data:
//! it is never logged, and the storage layer keeps it apart from case facts.

use crate::problem::Problem;
use crate::text::ShortText;
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The crime recording system's own identifier of a person or organisation. The same victim
/// in two cases carries the same reference, which is how we know it is one person.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VictimRef(String);
string_newtype!(VictimRef);

impl std::borrow::Borrow<str> for VictimRef {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl VictimRef {
    pub fn parse(raw: &str) -> Result<Self, String> {
        crate::text::identifier(raw, "-_./:").map(|v| Self(v.to_owned()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VictimKind {
    /// A person harmed by the crime (or, for a child, the person themselves with a guardian
    /// named in the contact agreement).
    Person,
    /// A business or organisation, contacted through a named person.
    Business,
    /// A close relative of someone who died as a result of the crime.
    BereavedRelative,
}

impl VictimKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Business => "business",
            Self::BereavedRelative => "bereaved_relative",
        }
    }
}

/// A date of birth: a real date, not in the future, not before 1900.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DateOfBirth(NaiveDate);

impl DateOfBirth {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let date = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
            .map_err(|_| "must be a real date written YYYY-MM-DD, like 1984-03-09".to_owned())?;
        if date < NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid date") {
            return Err("must not be before 1900".into());
        }
        Ok(Self(date))
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }

    /// Age in whole years on `today`.
    pub fn age_on(self, today: NaiveDate) -> i32 {
        today
            .years_since(self.0)
            .map_or(0, |y| i32::try_from(y).unwrap_or(i32::MAX))
    }
}

impl TryFrom<String> for DateOfBirth {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<DateOfBirth> for String {
    fn from(value: DateOfBirth) -> Self {
        value.0.format("%Y-%m-%d").to_string()
    }
}

/// A telephone number, kept in international form (`+447700900123`). UK numbers may be given
/// in national form (`07700 900123`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);
string_newtype!(Phone);

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let trimmed = raw.trim();
        let (international, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut digits = String::with_capacity(rest.len());
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '(' | ')' => {}
                _ => return Err(
                    "must be a phone number made of digits, like 07700 900123 or +44 7700 900123"
                        .into(),
                ),
            }
        }
        let e164 = if international {
            digits
        } else if let Some(national) = digits.strip_prefix('0') {
            format!("44{national}")
        } else {
            return Err("must start with 0 (a UK number) or + and a country code".into());
        };
        if let Some(uk) = e164.strip_prefix("44") {
            if uk.len() != 10 && uk.len() != 9 {
                return Err("is not the right length for a UK phone number".into());
            }
        } else if !(8..=15).contains(&e164.len()) {
            return Err("is not the right length for a phone number".into());
        }
        Ok(Self(format!("+{e164}")))
    }

    /// A UK mobile (07…) can receive text messages; a landline cannot.
    pub fn is_uk_mobile(&self) -> bool {
        self.0.starts_with("+447")
    }

    /// The number as people in the UK write and read it aloud: "07700 900123",
    /// "020 7946 0000"; numbers abroad stay in their international form.
    pub fn for_reading(&self) -> String {
        let Some(national) = self.0.strip_prefix("+44") else {
            return self.0.clone();
        };
        let national = format!("0{national}");
        // London and the other 02x areas: 020 7946 0000. Everything else: 01632 960001,
        // 07700 900123 (a five-figure code, then the rest).
        let (a, b) = if national.starts_with("02") && national.len() == 11 {
            (3, 7)
        } else {
            (5, national.len())
        };
        let (code, rest) = national.split_at(a.min(national.len()));
        if b < rest.len() + a && b > a {
            let (mid, end) = rest.split_at(b - a);
            format!("{code} {mid} {end}")
        } else {
            format!("{code} {rest}")
        }
    }
}

/// An email address, checked for shape only; whether it reaches anyone is learnt by sending.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);
string_newtype!(Email);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let v = raw.trim();
        let problem = || "must be an email address, like name@example.org".to_owned();
        if v.len() > 254 || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(problem());
        }
        let (local, domain) = v.split_once('@').ok_or_else(problem)?;
        if local.is_empty()
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
        {
            return Err(problem());
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }
}

/// A UK postcode, normalised to upper case with one space (`SW1A 2AA`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Postcode(String);
string_newtype!(Postcode);

impl Postcode {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let problem = || "must be a UK postcode, like SW1A 2AA".to_owned();
        if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
            return Err(problem());
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        let i = inward.as_bytes();
        let o = outward.as_bytes();
        let inward_ok =
            i[0].is_ascii_digit() && i[1].is_ascii_alphabetic() && i[2].is_ascii_alphabetic();
        let outward_ok = o[0].is_ascii_alphabetic()
            && o.iter().all(u8::is_ascii_alphanumeric)
            && o.iter().any(u8::is_ascii_digit);
        if inward_ok && outward_ok {
            Ok(Self(format!("{outward} {inward}")))
        } else {
            Err(problem())
        }
    }

    /// The outward code (`SW1A`): enough to tell areas apart without identifying a home.
    pub fn outward(&self) -> &str {
        self.0.split(' ').next().unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostalAddress {
    pub lines: Vec<ShortText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town: Option<ShortText>,
    pub postcode: Postcode,
}

/// A language tag such as `en`, `cy` or `pa-IN`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Language(String);
string_newtype!(Language);

impl Language {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let v = raw.trim();
        let (primary, region) = match v.split_once('-') {
            Some((p, r)) => (p, Some(r)),
            None => (v, None),
        };
        let primary_ok =
            (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase());
        let region_ok =
            region.is_none_or(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_uppercase()));
        if primary_ok && region_ok {
            Ok(Self(v.to_owned()))
        } else {
            Err("must be a language code, like en, cy or pa-IN".into())
        }
    }

    pub fn english() -> Self {
        Self("en".into())
    }
}

impl Default for Language {
    fn default() -> Self {
        Self::english()
    }
}

/// A way of reaching a victim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
    Letter,
    PhoneCall,
    Voicemail,
}

impl Channel {
    pub const ALL: [Self; 5] = [
        Self::Email,
        Self::Sms,
        Self::Letter,
        Self::PhoneCall,
        Self::Voicemail,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
            Self::Letter => "letter",
            Self::PhoneCall => "phone_call",
            Self::Voicemail => "voicemail",
        }
    }

    /// The channel `as_str` names.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }
}

/// How often a victim wants to hear from us when nothing in particular has happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateFrequency {
    /// The force's standard interval (the rule set's `periodic_update_days`, 28 by default).
    #[default]
    Standard,
    /// Only when something happens in the case (the Code's minimum): no periodic updates.
    #[serde(alias = "none")]
    KeyEventsOnly,
    Weekly,
    Fortnightly,
    /// Every four weeks.
    Monthly,
}

impl UpdateFrequency {
    pub const ALL: [Self; 5] = [
        Self::Standard,
        Self::Weekly,
        Self::Fortnightly,
        Self::Monthly,
        Self::KeyEventsOnly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::KeyEventsOnly => "key_events_only",
            Self::Weekly => "weekly",
            Self::Fortnightly => "fortnightly",
            Self::Monthly => "monthly",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw)
    }

    /// The interval in calendar days, or `None` for no periodic updates.
    pub fn days(self, standard: u32) -> Option<u32> {
        match self {
            Self::Standard => Some(standard),
            Self::KeyEventsOnly => None,
            Self::Weekly => Some(7),
            Self::Fortnightly => Some(14),
            Self::Monthly => Some(28),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuietHours {
    #[serde(with = "hhmm")]
    pub from: NaiveTime,
    #[serde(with = "hhmm")]
    pub to: NaiveTime,
}

impl QuietHours {
    /// The minutes of the day (from midnight) this window keeps quiet: `from` up to `to`,
    /// across midnight when `to` is earlier. `from == to` keeps nothing quiet.
    fn minutes(&self) -> impl Iterator<Item = u32> {
        use chrono::Timelike;
        let start = self.from.hour() * 60 + self.from.minute();
        let end = self.to.hour() * 60 + self.to.minute();
        let length = (end + 1440 - start) % 1440;
        (0..length).map(move |m| (start + m) % 1440)
    }

    /// Whether every minute `other` keeps quiet, this keeps quiet too.
    pub fn covers(&self, other: &QuietHours) -> bool {
        let mut quiet = [false; 1440];
        for m in self.minutes() {
            quiet[m as usize] = true;
        }
        other.minutes().all(|m| quiet[m as usize])
    }
}

mod hhmm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.format("%H:%M").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let raw = String::deserialize(d)?;
        NaiveTime::parse_from_str(raw.trim(), "%H:%M").map_err(|_| {
            serde::de::Error::custom("must be a time of day written HH:MM, like 21:00")
        })
    }
}

/// Someone the victim has asked us to deal with on their behalf: a parent or guardian, a
/// family spokesperson, a friend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NominatedPerson {
    pub name: ShortText,
    pub relationship: ShortText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
}

/// The victim's choices about contact. A channel missing from `safe_channels` is never used
/// automatically: a message for it becomes a task for a person. The default agrees to nothing,
/// because an unknown agreement must be treated as unsafe.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactAgreement {
    #[serde(default)]
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub safe_channels: Vec<Channel>,
    #[serde(default)]
    pub frequency: UpdateFrequency,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiet_hours: Option<QuietHours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nominated_person: Option<NominatedPerson>,
    /// Safe ways that someone else may still glimpse (a shared inbox, a phone left on the
    /// table): messages by them say only that there is an update, never what it is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discreet_channels: Vec<Channel>,
    /// Kinds of update the victim said they do not want (event types, such as `bail_varied`,
    /// or `periodic_update`): none is sent, and the duties they carry are recorded as not
    /// wanted, on the victim's word.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declined_updates: Vec<String>,
}

impl ContactAgreement {
    /// The agreement after the victim changed it on their own page, and the channels they
    /// asked to add. Their choice of which ways are safe can only narrow at once: someone
    /// else with their session (an abuser who knows their date of birth) must not be able to
    /// open a new way to reach them. A way they add is checked with them first, by a person,
    /// over a way already safe; how often they hear from us changes at once.
    pub fn changed_by_victim(
        &self,
        safe: &[Channel],
        frequency: UpdateFrequency,
    ) -> (Self, Vec<Channel>) {
        let mut applied = self.clone();
        applied.safe_channels.retain(|c| safe.contains(c));
        applied.frequency = frequency;
        let mut to_check: Vec<Channel> = safe
            .iter()
            .copied()
            .filter(|c| !self.safe_channels.contains(c))
            .collect();
        to_check.sort_unstable();
        to_check.dedup();
        (applied, to_check)
    }

    /// The quiet hours after the victim asked for `wanted`, and whether what they asked
    /// for waits for a person. More quiet time applies at once; less (or none) waits, like a
    /// new way to reach them: someone else with their session must not be able to make our
    /// messages arrive when the victim is not alone.
    pub fn quiet_hours_changed_by_victim(
        &self,
        wanted: Option<QuietHours>,
    ) -> (Option<QuietHours>, bool) {
        let more_or_same = match (&self.quiet_hours, &wanted) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(now), Some(new)) => new.covers(now),
        };
        if more_or_same {
            (wanted, false)
        } else {
            (self.quiet_hours, wanted != self.quiet_hours)
        }
    }

    pub fn problems(&self, at: &str) -> Vec<Problem> {
        let mut problems = Vec::new();
        for (i, channel) in self.safe_channels.iter().enumerate() {
            if !self.channels.contains(channel) {
                problems.push(Problem::new(
                    format!("{at}.safe_channels[{i}]"),
                    format!(
                        "`{}` is marked safe but is not one of the chosen channels",
                        channel.as_str()
                    ),
                ));
            }
        }
        for (i, kind) in self.declined_updates.iter().enumerate() {
            if kind != "periodic_update" && crate::event::EventType::parse(kind).is_none() {
                problems.push(Problem::new(
                    format!("{at}.declined_updates[{i}]"),
                    format!("`{kind}` is not a kind of update (an event type, or periodic_update)"),
                ));
            }
        }
        for (i, channel) in self.discreet_channels.iter().enumerate() {
            if !self.safe_channels.contains(channel) {
                problems.push(Problem::new(
                    format!("{at}.discreet_channels[{i}]"),
                    format!(
                        "`{}` is marked discreet but is not one of the safe channels",
                        channel.as_str()
                    ),
                ));
            }
        }
        if let Some(q) = self.quiet_hours
            && q.from == q.to
        {
            problems.push(Problem::new(
                format!("{at}.quiet_hours"),
                "must start and end at different times",
            ));
        }
        problems
    }
}

/// A victim as the crime recording system describes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VictimRecord {
    #[serde(rename = "ref")]
    pub victim_ref: VictimRef,
    pub kind: VictimKind,
    /// The person's name; for a business, the name of the person we deal with.
    pub name: ShortText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_name: Option<ShortText>,
    /// For a bereaved relative: how they were related to the person who died.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship_to_deceased: Option<ShortText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<DateOfBirth>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<PostalAddress>,
    #[serde(default)]
    pub language: Language,
    #[serde(default)]
    pub contact_agreement: ContactAgreement,
}

impl VictimRecord {
    /// Checks that need more than one field, or today's date. `at` is the path of this record.
    pub fn problems(&self, at: &str, today: NaiveDate) -> Vec<Problem> {
        let mut problems = Vec::new();
        match self.kind {
            VictimKind::Business if self.business_name.is_none() => problems.push(Problem::new(
                format!("{at}.business_name"),
                "is required when the victim is a business",
            )),
            VictimKind::BereavedRelative if self.relationship_to_deceased.is_none() => {
                problems.push(Problem::new(
                    format!("{at}.relationship_to_deceased"),
                    "is required for a bereaved relative",
                ));
            }
            _ => {}
        }
        if let Some(dob) = self.date_of_birth
            && dob.date() > today
        {
            problems.push(Problem::new(
                format!("{at}.date_of_birth"),
                "must not be in the future",
            ));
        }
        if let Some(address) = &self.address
            && !(1..=4).contains(&address.lines.len())
        {
            problems.push(Problem::new(
                format!("{at}.address.lines"),
                "must have 1 to 4 lines",
            ));
        }
        let agreement = &self.contact_agreement;
        if agreement.channels.contains(&Channel::Email) && self.email.is_none() {
            problems.push(Problem::new(
                format!("{at}.contact_agreement.channels"),
                "includes email but the victim has no email address",
            ));
        }
        let needs_phone = [Channel::Sms, Channel::PhoneCall, Channel::Voicemail]
            .iter()
            .any(|c| agreement.channels.contains(c));
        if needs_phone && self.phone.is_none() {
            problems.push(Problem::new(
                format!("{at}.contact_agreement.channels"),
                "includes a phone channel but the victim has no phone number",
            ));
        }
        if agreement.channels.contains(&Channel::Sms)
            && self
                .phone
                .as_ref()
                .is_some_and(|p| p.as_str().starts_with("+44") && !p.is_uk_mobile())
        {
            problems.push(Problem::new(
                format!("{at}.contact_agreement.channels"),
                "includes text messages but the phone number is not a mobile",
            ));
        }
        if agreement.channels.contains(&Channel::Letter) && self.address.is_none() {
            problems.push(Problem::new(
                format!("{at}.contact_agreement.channels"),
                "includes letters but the victim has no postal address",
            ));
        }
        problems.extend(agreement.problems(&format!("{at}.contact_agreement")));
        problems
    }

    /// Is this victim a child on `today`? Children's contact goes through a parent or guardian.
    pub fn is_child_on(&self, today: NaiveDate) -> bool {
        self.date_of_birth.is_some_and(|d| d.age_on(today) < 18)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_read_as_people_write_them() {
        let read = |raw: &str| Phone::parse(raw).unwrap().for_reading();
        assert_eq!(read("+447700900123"), "07700 900123");
        assert_eq!(read("020 7946 0000"), "020 7946 0000");
        assert_eq!(read("01632 960001"), "01632 960001");
        assert_eq!(read("+33 1 23 45 67 89"), "+33123456789");
    }

    use super::*;

    #[test]
    fn phones_are_normalised_to_international_form() {
        assert_eq!(
            Phone::parse("07700 900123").unwrap().as_str(),
            "+447700900123"
        );
        assert_eq!(
            Phone::parse("+44 (0)20 7946 0000").unwrap_err(),
            "is not the right length for a UK phone number"
        );
        assert_eq!(
            Phone::parse("020 7946 0000").unwrap().as_str(),
            "+442079460000"
        );
        assert_eq!(
            Phone::parse("+33 1 23 45 67 89").unwrap().as_str(),
            "+33123456789"
        );
        assert!(Phone::parse("call me").is_err());
        assert!(Phone::parse("7700900123").is_err());
        assert!(Phone::parse("07700 900123").unwrap().is_uk_mobile());
        assert!(!Phone::parse("020 7946 0000").unwrap().is_uk_mobile());
    }

    #[test]
    fn emails_and_postcodes() {
        assert_eq!(
            Email::parse(" Ana@Example.ORG ").unwrap().as_str(),
            "Ana@example.org"
        );
        for bad in [
            "ana",
            "ana@",
            "@x.org",
            "a b@x.org",
            "a@x",
            "a@@x.org",
            "a@.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Postcode::parse("sw1a2aa").unwrap().as_str(), "SW1A 2AA");
        assert_eq!(Postcode::parse("E1 6AN").unwrap().outward(), "E1");
        for bad in ["", "SW1A", "12345", "SW1A 2A1", "ÄB1 2AA"] {
            assert!(Postcode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_of_birth_and_languages() {
        assert!(DateOfBirth::parse("1984-02-30").is_err());
        assert!(DateOfBirth::parse("1899-12-31").is_err());
        let dob = DateOfBirth::parse("2010-06-01").unwrap();
        assert_eq!(
            dob.age_on(NaiveDate::from_ymd_opt(2026, 5, 31).unwrap()),
            15
        );
        assert_eq!(dob.age_on(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()), 16);
        assert!(Language::parse("cy").is_ok());
        assert!(Language::parse("pa-IN").is_ok());
        assert!(Language::parse("Welsh").is_err());
    }

    fn record(json: serde_json::Value) -> VictimRecord {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn cross_field_problems_name_the_field() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let v = record(serde_json::json!({
            "ref": "P1", "kind": "business", "name": "Sam Shah",
            "phone": "020 7946 0000",
            "contact_agreement": {"channels": ["sms"], "safe_channels": ["sms", "letter"]}
        }));
        let fields: Vec<_> = v
            .problems("victims[0]", today)
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "victims[0].business_name",
                "victims[0].contact_agreement.channels",
                "victims[0].contact_agreement.safe_channels[1]"
            ]
        );
    }

    #[test]
    fn an_unknown_agreement_marks_nothing_safe() {
        let v = record(serde_json::json!({"ref": "P1", "kind": "person", "name": "Ann"}));
        assert!(v.contact_agreement.safe_channels.is_empty());
        assert_eq!(v.language.as_str(), "en");
    }
}

#[cfg(test)]
mod victim_change_tests {
    use super::*;

    fn quiet(from: &str, to: &str) -> QuietHours {
        let t = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").unwrap();
        QuietHours {
            from: t(from),
            to: t(to),
        }
    }

    #[test]
    fn quiet_hours_across_midnight_cover_what_they_contain() {
        assert!(quiet("20:00", "09:00").covers(&quiet("21:00", "08:00")));
        assert!(quiet("21:00", "08:00").covers(&quiet("21:00", "08:00")));
        assert!(!quiet("21:00", "08:00").covers(&quiet("20:00", "08:00")));
        assert!(!quiet("09:00", "17:00").covers(&quiet("21:00", "08:00")));
        assert!(quiet("00:00", "23:59").covers(&quiet("09:00", "17:00")));
    }

    #[test]
    fn more_quiet_time_applies_at_once_and_less_waits_for_a_person() {
        let agreement = ContactAgreement {
            quiet_hours: Some(quiet("21:00", "08:00")),
            ..ContactAgreement::default()
        };
        assert_eq!(
            agreement.quiet_hours_changed_by_victim(Some(quiet("19:00", "09:00"))),
            (Some(quiet("19:00", "09:00")), false)
        );
        assert_eq!(
            agreement.quiet_hours_changed_by_victim(Some(quiet("22:00", "08:00"))),
            (Some(quiet("21:00", "08:00")), true),
            "an hour less quiet waits"
        );
        assert_eq!(
            agreement.quiet_hours_changed_by_victim(None),
            (Some(quiet("21:00", "08:00")), true),
            "removing them waits"
        );
        assert_eq!(
            agreement.quiet_hours_changed_by_victim(Some(quiet("21:00", "08:00"))),
            (Some(quiet("21:00", "08:00")), false),
            "no change is no task"
        );
        let none = ContactAgreement::default();
        assert_eq!(
            none.quiet_hours_changed_by_victim(Some(quiet("21:00", "08:00"))),
            (Some(quiet("21:00", "08:00")), false)
        );
    }

    #[test]
    fn a_victim_can_narrow_safe_ways_at_once_but_widening_waits_for_a_check() {
        let agreement = ContactAgreement {
            channels: vec![Channel::Email, Channel::Sms, Channel::Letter],
            safe_channels: vec![Channel::Email, Channel::Sms],
            ..ContactAgreement::default()
        };
        let (applied, to_check) = agreement
            .changed_by_victim(&[Channel::Email, Channel::Letter], UpdateFrequency::Weekly);
        assert_eq!(
            applied.safe_channels,
            vec![Channel::Email],
            "SMS stops at once"
        );
        assert_eq!(
            applied.channels, agreement.channels,
            "the details we hold stay"
        );
        assert_eq!(applied.frequency, UpdateFrequency::Weekly);
        assert_eq!(
            to_check,
            vec![Channel::Letter],
            "the letter waits for a person"
        );
        assert!(applied.problems("x").is_empty());
    }
}
