//! Staff: who may do what in the console. Least privilege: each role gets what its work needs
//! and nothing more, and everything else is refused.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A staff member's role. A person has exactly one; a second job is a second account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Answers the helpline: finds the case, verifies the caller, reads the status, logs.
    HelplineAgent,
    /// Works the queues: overdue updates, failed messages, callbacks, referrals.
    VictimCareOfficer,
    /// An investigating officer: only the cases where they are the officer in the case.
    OfficerInCase,
    /// Leads a team: everything an agent does, plus the audit log and every queue.
    Supervisor,
    /// Reads figures; never a victim's personal data.
    Analyst,
    /// Runs the system: staff accounts, templates, calendar. Not victims' cases.
    Administrator,
    /// Works for a support agency: only their agency's referrals, never the console.
    PartnerAgencyWorker,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::HelplineAgent,
        Role::VictimCareOfficer,
        Role::OfficerInCase,
        Role::Supervisor,
        Role::Analyst,
        Role::Administrator,
        Role::PartnerAgencyWorker,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::HelplineAgent => "helpline_agent",
            Self::VictimCareOfficer => "victim_care_officer",
            Self::OfficerInCase => "officer_in_case",
            Self::Supervisor => "supervisor",
            Self::Analyst => "analyst",
            Self::Administrator => "administrator",
            Self::PartnerAgencyWorker => "partner_agency_worker",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == raw.trim())
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|r| r.as_str()).collect();
                format!("must be one of: {}", names.join(", "))
            })
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::HelplineAgent => "Helpline agent",
            Self::VictimCareOfficer => "Victim care officer",
            Self::OfficerInCase => "Officer in the case",
            Self::Supervisor => "Supervisor",
            Self::Analyst => "Analyst",
            Self::Administrator => "Administrator",
            Self::PartnerAgencyWorker => "Partner agency worker",
        }
    }

    /// May use the staff console at all. Partner agencies have their own view.
    pub fn uses_console(self) -> bool {
        self != Self::PartnerAgencyWorker
    }

    /// May search for victims and open any case (with a reason when it is not theirs).
    pub fn searches_victims(self) -> bool {
        matches!(
            self,
            Self::HelplineAgent | Self::VictimCareOfficer | Self::Supervisor
        )
    }

    /// May open a case's victims at all: the searchers, and officers for their own cases.
    pub fn opens_cases(self) -> bool {
        self.searches_victims() || self == Self::OfficerInCase
    }

    /// Works the task queues.
    pub fn works_queues(self) -> bool {
        self.opens_cases()
    }

    pub fn reads_audit(self) -> bool {
        self == Self::Supervisor
    }

    pub fn administers(self) -> bool {
        self == Self::Administrator
    }

    /// Sees compliance and service figures (no personal data).
    pub fn reads_figures(self) -> bool {
        matches!(self, Self::Supervisor | Self::Analyst | Self::Administrator)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A sign-in name: 3 to 40 lower-case letters, digits, dots, hyphens and underscores.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);
string_newtype!(Username);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let v = raw.trim().to_lowercase();
        if !(3..=40).contains(&v.len()) {
            return Err("must be 3 to 40 characters".into());
        }
        if !v
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        {
            return Err("may use only letters, digits, dots, hyphens and underscores".into());
        }
        Ok(Self(v))
    }
}

/// A staff password: long enough to resist guessing, short enough to hash quickly.
pub fn check_password(raw: &str) -> Result<(), String> {
    let n = raw.chars().count();
    if n < 12 {
        return Err("must be at least 12 characters".into());
    }
    if n > 200 {
        return Err("must be at most 200 characters".into());
    }
    Ok(())
}

/// How a caller proved who they are before anything personal was said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// They gave their date of birth and postcode, and both matched the record.
    DateOfBirthAndPostcode,
    /// They gave the PIN they chose for their page.
    PortalPin,
    /// We rang them back on the number we hold.
    CallBack,
    /// They could not be verified: only what may be said to anyone.
    NotVerified,
}

impl Verification {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DateOfBirthAndPostcode => "dob_postcode",
            Self::PortalPin => "portal_pin",
            Self::CallBack => "call_back",
            Self::NotVerified => "not_verified",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::DateOfBirthAndPostcode,
            Self::PortalPin,
            Self::CallBack,
            Self::NotVerified,
        ]
        .into_iter()
        .find(|v| v.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::DateOfBirthAndPostcode => "Date of birth and postcode",
            Self::PortalPin => "Their PIN",
            Self::CallBack => "Called back on the number we hold",
            Self::NotVerified => "Not verified",
        }
    }

    /// Whether personal detail may now be discussed.
    pub fn verified(self) -> bool {
        self != Self::NotVerified
    }
}

/// What staff must know before they contact this victim, most important first: the ways that
/// are not safe, who to speak to, and when not to call. Shown at the top of the call screen.
/// `record` carries the agreement as it holds now (with channels the victim has since said
/// are unsafe already taken out).
pub fn safety_notes(
    record: &crate::victim::VictimRecord,
    domestic_abuse: bool,
    today: chrono::NaiveDate,
) -> Vec<String> {
    use crate::victim::Channel;
    let agreement = &record.contact_agreement;
    let mut notes = Vec::new();
    if domestic_abuse {
        notes.push(
            "Domestic abuse case: make sure the victim can talk freely before saying anything."
                .to_owned(),
        );
    }
    let safe = |c: Channel| agreement.safe_channels.contains(&c);
    for (channel, warning) in [
        (Channel::Voicemail, "Do not leave a voicemail."),
        (Channel::Sms, "Do not send a text message."),
        (Channel::Email, "Do not email."),
        (Channel::Letter, "Do not write by post."),
        (Channel::PhoneCall, "Do not phone unless they asked you to."),
    ] {
        if !safe(channel) {
            notes.push(warning.to_owned());
        }
    }
    for c in &agreement.discreet_channels {
        notes.push(format!(
            "Messages by {} must not say what they are about.",
            c.as_str().replace('_', " ")
        ));
    }
    if let Some(person) = &agreement.nominated_person {
        notes.push(format!(
            "Speak to their nominated person: {} ({}).",
            person.name, person.relationship
        ));
    }
    if let Some(dob) = record.date_of_birth
        && dob.age_on(today) < 18
    {
        notes.push("Under 18: speak to their parent or guardian.".to_owned());
    }
    if let Some(q) = &agreement.quiet_hours {
        notes.push(format!(
            "No contact between {} and {}.",
            q.from.format("%H:%M"),
            q.to.format("%H:%M")
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_right_roles_reach_victims() {
        assert!(Role::HelplineAgent.searches_victims());
        assert!(!Role::OfficerInCase.searches_victims());
        assert!(Role::OfficerInCase.opens_cases());
        for role in [
            Role::Analyst,
            Role::Administrator,
            Role::PartnerAgencyWorker,
        ] {
            assert!(!role.opens_cases(), "{role} must not open cases");
        }
        assert!(!Role::PartnerAgencyWorker.uses_console());
        assert!(Role::Supervisor.reads_audit() && !Role::HelplineAgent.reads_audit());
        assert!(Role::Administrator.administers() && !Role::Supervisor.administers());
    }

    #[test]
    fn roles_round_trip_and_bad_ones_name_the_choices() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        let e = Role::parse("root").unwrap_err();
        assert!(e.contains("helpline_agent"), "{e}");
    }

    #[test]
    fn usernames_are_plain() {
        assert_eq!(
            Username::parse(" Ada.Jones ").unwrap().as_str(),
            "ada.jones"
        );
        assert!(Username::parse("a").is_err());
        assert!(Username::parse("ada jones").is_err());
        assert!(Username::parse("ada<script>").is_err());
    }

    #[test]
    fn passwords_must_be_long() {
        assert!(check_password("short").is_err());
        assert!(check_password("correct horse battery").is_ok());
    }

    #[test]
    fn unsafe_ways_and_the_nominated_person_come_first() {
        let record: crate::victim::VictimRecord = serde_json::from_value(serde_json::json!({
            "ref": "V1", "kind": "person", "name": "Sam Okafor",
            "date_of_birth": "2012-05-01",
            "contact_agreement": {
                "channels": ["email", "phone_call"], "safe_channels": ["email"],
                "nominated_person": {"name": "Ada Okafor", "relationship": "mother"}
            }
        }))
        .unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let notes = safety_notes(&record, true, today);
        assert!(notes[0].starts_with("Domestic abuse"));
        assert!(notes.contains(&"Do not leave a voicemail.".to_owned()));
        assert!(!notes.contains(&"Do not email.".to_owned()));
        assert!(notes.iter().any(|n| n.contains("Ada Okafor (mother)")));
        assert!(notes.iter().any(|n| n.starts_with("Under 18")));
    }
}
