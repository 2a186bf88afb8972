//! Enhanced rights under the Victims' Code: who gets them, and why. Victims with enhanced
//! rights are told things sooner (typically 1 working day instead of 5), so every reason is
//! kept: a deadline must be able to say why it is short.

use crate::case::CaseFlags;
use crate::offence::OffenceCategory;
use crate::victim::VictimKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Why a victim has enhanced rights. A victim may have several reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnhancedReason {
    // Victims of the most serious crime.
    BereavedRelative,
    DomesticAbuse,
    HateCrime,
    Terrorism,
    SexualOffence,
    ModernSlavery,
    AttemptedMurder,
    Kidnap,
    FalseImprisonment,
    ArsonEndangeringLife,
    GbhWithIntent,
    // Persistently targeted.
    PersistentlyTargeted,
    // Vulnerable or intimidated.
    UnderEighteen,
    Vulnerable,
    Intimidated,
}

impl EnhancedReason {
    /// The reason as an explanation says it: "enhanced rights (domestic abuse)".
    pub fn label(self) -> &'static str {
        match self {
            Self::BereavedRelative => "bereaved relative",
            Self::DomesticAbuse => "domestic abuse",
            Self::HateCrime => "hate crime",
            Self::Terrorism => "terrorism",
            Self::SexualOffence => "sexual offence",
            Self::ModernSlavery => "modern slavery or trafficking",
            Self::AttemptedMurder => "attempted murder",
            Self::Kidnap => "kidnap",
            Self::FalseImprisonment => "false imprisonment",
            Self::ArsonEndangeringLife => "arson endangering life",
            Self::GbhWithIntent => "wounding or grievous bodily harm with intent",
            Self::PersistentlyTargeted => "persistently targeted",
            Self::UnderEighteen => "under 18",
            Self::Vulnerable => "vulnerable",
            Self::Intimidated => "intimidated",
        }
    }
}

/// What is known about the victim that bears on enhanced rights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VictimFactors {
    pub kind: VictimKind,
    pub date_of_birth: Option<NaiveDate>,
    /// Evidence likely to be affected by a mental disorder, impairment or physical disability.
    pub vulnerable: bool,
    /// Evidence likely to be affected by fear or distress about testifying.
    pub intimidated: bool,
    pub persistently_targeted: bool,
}

/// Every reason this victim has enhanced rights, in a fixed order; empty if none. `offence_date`
/// decides whether the victim was under 18 (the Code looks at the time of the offence).
pub fn enhanced_reasons(
    offence: Option<OffenceCategory>,
    flags: CaseFlags,
    victim: &VictimFactors,
    offence_date: NaiveDate,
) -> Vec<EnhancedReason> {
    use EnhancedReason as R;
    use OffenceCategory as O;
    // Businesses are not victims under the Code: they receive its services through a named
    // contact, but the enhanced categories are for people.
    if victim.kind == VictimKind::Business {
        return Vec::new();
    }
    let mut reasons = Vec::new();
    if victim.kind == VictimKind::BereavedRelative {
        reasons.push(R::BereavedRelative);
    }
    if flags.domestic_abuse {
        reasons.push(R::DomesticAbuse);
    }
    if flags.hate_crime {
        reasons.push(R::HateCrime);
    }
    match offence {
        Some(O::Terrorism) => reasons.push(R::Terrorism),
        Some(O::SexualOffence) => reasons.push(R::SexualOffence),
        Some(O::ModernSlavery) => reasons.push(R::ModernSlavery),
        Some(O::AttemptedMurder) => reasons.push(R::AttemptedMurder),
        Some(O::Kidnap) => reasons.push(R::Kidnap),
        Some(O::FalseImprisonment) => reasons.push(R::FalseImprisonment),
        Some(O::ArsonEndangeringLife) => reasons.push(R::ArsonEndangeringLife),
        Some(O::GbhWithIntent) => reasons.push(R::GbhWithIntent),
        _ => {}
    }
    // Stalking and harassment are persistent targeting by their nature; where the Code's
    // wording is unsure we choose the reading that tells the victim sooner.
    if victim.persistently_targeted || offence == Some(O::StalkingHarassment) {
        reasons.push(R::PersistentlyTargeted);
    }
    let under_18 = victim
        .date_of_birth
        .and_then(|dob| offence_date.years_since(dob))
        .is_some_and(|age| age < 18);
    if under_18 {
        reasons.push(R::UnderEighteen);
    }
    if victim.vulnerable {
        reasons.push(R::Vulnerable);
    }
    // Complainants of sexual offences and of trafficking are treated as intimidated.
    if victim.intimidated || matches!(offence, Some(O::SexualOffence | O::ModernSlavery)) {
        reasons.push(R::Intimidated);
    }
    reasons
}

/// An adult person with no vulnerability: the starting point of the engine's tests.
#[cfg(test)]
pub(crate) fn adult_person() -> VictimFactors {
    VictimFactors {
        kind: VictimKind::Person,
        date_of_birth: NaiveDate::from_ymd_opt(1990, 5, 1),
        vulnerable: false,
        intimidated: false,
        persistently_targeted: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> VictimFactors {
        adult_person()
    }

    fn on(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn an_ordinary_theft_victim_has_standard_rights() {
        let r = enhanced_reasons(
            Some(OffenceCategory::Theft),
            CaseFlags::default(),
            &person(),
            on("2026-03-13"),
        );
        assert!(r.is_empty());
    }

    #[test]
    fn every_reason_is_recorded() {
        let flags = CaseFlags {
            domestic_abuse: true,
            hate_crime: false,
        };
        let r = enhanced_reasons(
            Some(OffenceCategory::SexualOffence),
            flags,
            &person(),
            on("2026-03-13"),
        );
        assert_eq!(
            r,
            [
                EnhancedReason::DomesticAbuse,
                EnhancedReason::SexualOffence,
                EnhancedReason::Intimidated
            ]
        );
    }

    #[test]
    fn age_is_taken_on_the_offence_date() {
        let child = VictimFactors {
            date_of_birth: NaiveDate::from_ymd_opt(2008, 3, 14),
            ..person()
        };
        let r = |d| {
            enhanced_reasons(
                Some(OffenceCategory::Theft),
                CaseFlags::default(),
                &child,
                on(d),
            )
        };
        assert_eq!(r("2026-03-13"), [EnhancedReason::UnderEighteen]);
        assert!(r("2026-03-14").is_empty(), "18 on the day");
    }

    #[test]
    fn businesses_have_standard_rights() {
        let shop = VictimFactors {
            kind: VictimKind::Business,
            date_of_birth: None,
            ..person()
        };
        let flags = CaseFlags {
            domestic_abuse: false,
            hate_crime: true,
        };
        assert!(
            enhanced_reasons(
                Some(OffenceCategory::CriminalDamage),
                flags,
                &shop,
                on("2026-01-01")
            )
            .is_empty()
        );
    }

    #[test]
    fn bereaved_families_and_stalking() {
        let bereaved = VictimFactors {
            kind: VictimKind::BereavedRelative,
            ..person()
        };
        assert_eq!(
            enhanced_reasons(
                Some(OffenceCategory::Homicide),
                CaseFlags::default(),
                &bereaved,
                on("2026-01-01")
            ),
            [EnhancedReason::BereavedRelative]
        );
        assert_eq!(
            enhanced_reasons(
                Some(OffenceCategory::StalkingHarassment),
                CaseFlags::default(),
                &person(),
                on("2026-01-01")
            ),
            [EnhancedReason::PersistentlyTargeted]
        );
    }
}
