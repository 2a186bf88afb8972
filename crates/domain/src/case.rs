//! The facts of a case that are not about a victim: the officer, the suspects, the hearings.

use crate::text::{LongText, ShortText};
use crate::victim::{Email, Phone};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// London's 32 boroughs and the City. Other forces send their own area names, so a borough is
/// free text; this list feeds the synthetic data and the demo.
pub const LONDON_BOROUGHS: [&str; 33] = [
    "Barking and Dagenham",
    "Barnet",
    "Bexley",
    "Brent",
    "Bromley",
    "Camden",
    "City of London",
    "Croydon",
    "Ealing",
    "Enfield",
    "Greenwich",
    "Hackney",
    "Hammersmith and Fulham",
    "Haringey",
    "Harrow",
    "Havering",
    "Hillingdon",
    "Hounslow",
    "Islington",
    "Kensington and Chelsea",
    "Kingston upon Thames",
    "Lambeth",
    "Lewisham",
    "Merton",
    "Newham",
    "Redbridge",
    "Richmond upon Thames",
    "Southwark",
    "Sutton",
    "Tower Hamlets",
    "Waltham Forest",
    "Wandsworth",
    "Westminster",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFlags {
    #[serde(default)]
    pub domestic_abuse: bool,
    #[serde(default)]
    pub hate_crime: bool,
}

/// The officer in the case, and how a victim or agent can reach them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Officer {
    pub name: ShortText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collar_number: Option<ShortText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<ShortText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
}

/// The recording system's label for a suspect (`S1`). We never need a suspect's name to keep
/// a victim informed, so we never ask for one.
pub type SuspectRef = crate::victim::VictimRef;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HearingKind {
    FirstAppearance,
    Plea,
    PreTrialReview,
    Trial,
    Sentencing,
    Appeal,
    Other,
}

impl HearingKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::FirstAppearance => "first hearing",
            Self::Plea => "plea hearing",
            Self::PreTrialReview => "pre-trial review",
            Self::Trial => "trial",
            Self::Sentencing => "sentencing hearing",
            Self::Appeal => "appeal hearing",
            Self::Other => "hearing",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hearing {
    pub kind: HearingKind,
    pub starts_at: DateTime<Utc>,
    pub court: ShortText,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HearingResult {
    /// The hearing went ahead as planned.
    Effective,
    /// Started but not finished; it continues on another day.
    PartHeard,
    Adjourned,
    /// Taken out of the list before the day.
    Vacated,
    /// The defendant pleaded guilty at this hearing.
    GuiltyPlea,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustodyStatus {
    RemandedInCustody,
    Bailed,
    Released,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposal {
    Caution,
    ConditionalCaution,
    CommunityResolution,
    PenaltyNotice,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeChange {
    Dropped,
    Altered,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictKind {
    Guilty,
    NotGuilty,
    /// Guilty of some charges and not guilty of others.
    Mixed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealParty {
    Defence,
    Prosecution,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealAgainst {
    Conviction,
    Sentence,
    ConvictionAndSentence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewScheme {
    /// The police Victims' Right to Review.
    Police,
    /// The CPS Victims' Right to Review.
    Cps,
}

/// Bail conditions, charges: each item is a sentence the victim may be told.
pub type Wording = LongText;
