use serde::{Deserialize, Serialize};

/// Where a case stands on the victim's journey through the justice system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Reported,
    Investigation,
    ChargeDecision,
    PreTrial,
    Trial,
    Sentencing,
    AfterSentence,
    Closed,
}

impl Phase {
    pub const ALL: [Self; 8] = [
        Self::Reported,
        Self::Investigation,
        Self::ChargeDecision,
        Self::PreTrial,
        Self::Trial,
        Self::Sentencing,
        Self::AfterSentence,
        Self::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reported => "reported",
            Self::Investigation => "investigation",
            Self::ChargeDecision => "charge_decision",
            Self::PreTrial => "pre_trial",
            Self::Trial => "trial",
            Self::Sentencing => "sentencing",
            Self::AfterSentence => "after_sentence",
            Self::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Reported => "Reported",
            Self::Investigation => "Investigation",
            Self::ChargeDecision => "Charge decision",
            Self::PreTrial => "Before the trial",
            Self::Trial => "The trial",
            Self::Sentencing => "Sentencing",
            Self::AfterSentence => "After sentence",
            Self::Closed => "Closed",
        }
    }
}
