use serde::{Deserialize, Serialize};
use std::fmt;

/// The offence categories the force records, as the API and the command line spell them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OffenceCategory {
    BurglaryResidential,
    BurglaryBusiness,
    Theft,
    VehicleCrime,
    Robbery,
    CommonAssault,
    Abh,
    GbhWithIntent,
    AttemptedMurder,
    Homicide,
    CausingDeathByDriving,
    SexualOffence,
    StalkingHarassment,
    CriminalDamage,
    ArsonEndangeringLife,
    Kidnap,
    FalseImprisonment,
    ModernSlavery,
    Terrorism,
    Fraud,
    PublicOrder,
    Other,
}

impl OffenceCategory {
    pub const ALL: [Self; 22] = [
        Self::BurglaryResidential,
        Self::BurglaryBusiness,
        Self::Theft,
        Self::VehicleCrime,
        Self::Robbery,
        Self::CommonAssault,
        Self::Abh,
        Self::GbhWithIntent,
        Self::AttemptedMurder,
        Self::Homicide,
        Self::CausingDeathByDriving,
        Self::SexualOffence,
        Self::StalkingHarassment,
        Self::CriminalDamage,
        Self::ArsonEndangeringLife,
        Self::Kidnap,
        Self::FalseImprisonment,
        Self::ModernSlavery,
        Self::Terrorism,
        Self::Fraud,
        Self::PublicOrder,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::BurglaryResidential => "burglary_residential",
            Self::BurglaryBusiness => "burglary_business",
            Self::Theft => "theft",
            Self::VehicleCrime => "vehicle_crime",
            Self::Robbery => "robbery",
            Self::CommonAssault => "common_assault",
            Self::Abh => "abh",
            Self::GbhWithIntent => "gbh_with_intent",
            Self::AttemptedMurder => "attempted_murder",
            Self::Homicide => "homicide",
            Self::CausingDeathByDriving => "causing_death_by_driving",
            Self::SexualOffence => "sexual_offence",
            Self::StalkingHarassment => "stalking_harassment",
            Self::CriminalDamage => "criminal_damage",
            Self::ArsonEndangeringLife => "arson_endangering_life",
            Self::Kidnap => "kidnap",
            Self::FalseImprisonment => "false_imprisonment",
            Self::ModernSlavery => "modern_slavery",
            Self::Terrorism => "terrorism",
            Self::Fraud => "fraud",
            Self::PublicOrder => "public_order",
            Self::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    /// What staff and victims read: "Burglary (home)".
    pub fn label(self) -> &'static str {
        match self {
            Self::BurglaryResidential => "Burglary (home)",
            Self::BurglaryBusiness => "Burglary (business)",
            Self::Theft => "Theft",
            Self::VehicleCrime => "Vehicle crime",
            Self::Robbery => "Robbery",
            Self::CommonAssault => "Common assault",
            Self::Abh => "Assault causing actual bodily harm",
            Self::GbhWithIntent => "Grievous bodily harm with intent",
            Self::AttemptedMurder => "Attempted murder",
            Self::Homicide => "Homicide",
            Self::CausingDeathByDriving => "Causing death by driving",
            Self::SexualOffence => "Sexual offence",
            Self::StalkingHarassment => "Stalking or harassment",
            Self::CriminalDamage => "Criminal damage",
            Self::ArsonEndangeringLife => "Arson endangering life",
            Self::Kidnap => "Kidnap",
            Self::FalseImprisonment => "False imprisonment",
            Self::ModernSlavery => "Modern slavery",
            Self::Terrorism => "Terrorism",
            Self::Fraud => "Fraud",
            Self::PublicOrder => "Public order offence",
            Self::Other => "Other offence",
        }
    }
}

impl fmt::Display for OffenceCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Home Office offence code: three digits, a slash and two digits (`028/01`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HomeOfficeCode(String);
string_newtype!(HomeOfficeCode);

impl HomeOfficeCode {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let b = raw.trim().as_bytes();
        if b.len() == 6
            && b[3] == b'/'
            && b[..3].iter().all(u8::is_ascii_digit)
            && b[4..].iter().all(u8::is_ascii_digit)
        {
            Ok(Self(raw.trim().to_owned()))
        } else {
            Err("must be a Home Office offence code: three digits, a slash and two digits, like 028/01".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_round_trips_through_its_name() {
        for c in OffenceCategory::ALL {
            assert_eq!(OffenceCategory::parse(c.as_str()), Some(c));
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        assert_eq!(OffenceCategory::parse("burglary"), None);
    }

    #[test]
    fn home_office_codes() {
        assert!(HomeOfficeCode::parse("028/01").is_ok());
        assert!(HomeOfficeCode::parse("28/01").is_err());
        assert!(HomeOfficeCode::parse("028-01").is_err());
    }
}
