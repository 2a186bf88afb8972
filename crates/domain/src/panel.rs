//! The victims' panel: victims who volunteer for focus groups and advisory groups, and the
//! invitation list for one session: chosen by criteria, balanced across groups, and never
//! including anyone it would be unsafe or wrong to contact.

use crate::Phase;
use crate::victim::Channel;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a volunteer is willing to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    FocusGroup,
    AdvisoryGroup,
    Online,
    InPerson,
}

impl Activity {
    pub const ALL: [Self; 4] = [
        Self::FocusGroup,
        Self::AdvisoryGroup,
        Self::Online,
        Self::InPerson,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::FocusGroup => "focus_group",
            Self::AdvisoryGroup => "advisory_group",
            Self::Online => "online",
            Self::InPerson => "in_person",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == raw.trim())
    }
}

/// Age bands for balancing, from the date of birth on the day of the session.
pub fn age_band(born: NaiveDate, on: NaiveDate) -> &'static str {
    use chrono::Datelike;
    let mut age = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        age -= 1;
    }
    match age {
        ..18 => "under 18",
        18..=24 => "18-24",
        25..=34 => "25-34",
        35..=44 => "35-44",
        45..=54 => "45-54",
        55..=64 => "55-64",
        _ => "65+",
    }
}

/// A volunteer as the list builder sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volunteer {
    pub victim_id: i64,
    pub activities: Vec<Activity>,
    pub offence: Option<String>,
    pub borough: Option<String>,
    pub phase: Phase,
    pub age_band: Option<&'static str>,
    pub language: String,
    /// The way they asked to be invited, and whether it is still safe.
    pub contact_by: Channel,
    pub contact_safe: bool,
    /// Any of their cases is flagged domestic abuse.
    pub domestic_abuse: bool,
}

/// What a session asks for; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criteria {
    pub activity: Option<Activity>,
    pub offence: Option<String>,
    pub borough: Option<String>,
    pub phase: Option<Phase>,
    pub age_band: Option<String>,
    pub language: Option<String>,
}

/// What the list is balanced across.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BalanceBy {
    Offence,
    Borough,
    AgeBand,
    Language,
}

impl BalanceBy {
    pub const ALL: [Self; 4] = [Self::Offence, Self::Borough, Self::AgeBand, Self::Language];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Offence => "offence",
            Self::Borough => "borough",
            Self::AgeBand => "age_band",
            Self::Language => "language",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.as_str() == raw.trim())
    }

    fn group_of(self, v: &Volunteer) -> String {
        let unknown = || "not recorded".to_owned();
        match self {
            Self::Offence => v.offence.clone().unwrap_or_else(unknown),
            Self::Borough => v.borough.clone().unwrap_or_else(unknown),
            Self::AgeBand => v.age_band.map_or_else(unknown, str::to_owned),
            Self::Language => v.language.clone(),
        }
    }
}

/// Why someone who matches is still not invited: the safe side of contact.
pub fn exclusion(v: &Volunteer) -> Option<&'static str> {
    if matches!(v.phase, Phase::PreTrial | Phase::Trial | Phase::Sentencing) {
        // Talking about their case in a group could affect their evidence.
        return Some("their case is going through court");
    }
    if v.age_band == Some("under 18") {
        return Some("under 18");
    }
    if !v.contact_safe {
        return Some("the way they asked to be invited is not safe now");
    }
    None
}

/// An invitation list: who, in which group, and who was left out and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvitationList {
    pub invited: Vec<(i64, String)>,
    /// How many matched but were excluded, by reason.
    pub excluded: BTreeMap<&'static str, usize>,
    /// Matching and eligible, by group (before the places were shared out).
    pub eligible: BTreeMap<String, usize>,
}

/// Builds the list for `places`: those matching the criteria, less the excluded, shared
/// across the groups of `balance` in turn (each group gives one, then the next), so group
/// sizes differ by at most one unless a group runs out. Within a group, the order is by id:
/// the same panel gives the same list.
pub fn invitation_list(
    volunteers: &[Volunteer],
    criteria: &Criteria,
    balance: BalanceBy,
    places: usize,
) -> InvitationList {
    let mut list = InvitationList::default();
    let mut groups: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let matches = |v: &&Volunteer| {
        criteria.activity.is_none_or(|a| v.activities.contains(&a))
            && criteria
                .offence
                .as_ref()
                .is_none_or(|o| v.offence.as_ref() == Some(o))
            && criteria
                .borough
                .as_ref()
                .is_none_or(|b| v.borough.as_ref() == Some(b))
            && criteria.phase.is_none_or(|p| v.phase == p)
            && criteria
                .age_band
                .as_deref()
                .is_none_or(|a| v.age_band == Some(a))
            && criteria.language.as_ref().is_none_or(|l| &v.language == l)
    };
    for v in volunteers.iter().filter(matches) {
        if let Some(reason) = exclusion(v) {
            *list.excluded.entry(reason).or_default() += 1;
            continue;
        }
        groups
            .entry(balance.group_of(v))
            .or_default()
            .push(v.victim_id);
    }
    for (g, ids) in &mut groups {
        ids.sort_unstable();
        list.eligible.insert(g.clone(), ids.len());
    }
    let mut round = 0;
    while list.invited.len() < places {
        let mut took = false;
        for (g, ids) in &groups {
            if list.invited.len() == places {
                break;
            }
            if let Some(id) = ids.get(round) {
                list.invited.push((*id, g.clone()));
                took = true;
            }
        }
        if !took {
            break;
        }
        round += 1;
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(id: i64, borough: &str, phase: Phase, safe: bool) -> Volunteer {
        Volunteer {
            victim_id: id,
            activities: vec![Activity::FocusGroup],
            offence: Some("burglary_residential".into()),
            borough: Some(borough.into()),
            phase,
            age_band: Some("35-44"),
            language: "en".into(),
            contact_by: Channel::Email,
            contact_safe: safe,
            domestic_abuse: false,
        }
    }

    #[test]
    fn the_list_is_balanced_and_leaves_out_who_must_not_be_asked() {
        let mut panel = Vec::new();
        // Hackney 6, Camden 3, Brent 1 eligible; 2 at court and 1 with no safe way left out.
        for id in 1..=6 {
            panel.push(v(id, "Hackney", Phase::Investigation, true));
        }
        for id in 7..=9 {
            panel.push(v(id, "Camden", Phase::ChargeDecision, true));
        }
        panel.push(v(10, "Brent", Phase::Closed, true));
        panel.push(v(11, "Brent", Phase::Trial, true));
        panel.push(v(12, "Camden", Phase::PreTrial, true));
        panel.push(v(13, "Hackney", Phase::Closed, false));
        let list = invitation_list(&panel, &Criteria::default(), BalanceBy::Borough, 7);
        let count = |b: &str| list.invited.iter().filter(|(_, g)| g == b).count();
        // Brent runs out after 1; Camden and Hackney share the rest evenly.
        assert_eq!(
            (count("Brent"), count("Camden"), count("Hackney")),
            (1, 3, 3)
        );
        assert_eq!(list.excluded["their case is going through court"], 2);
        assert_eq!(
            list.excluded["the way they asked to be invited is not safe now"],
            1
        );
        assert!(
            list.invited
                .iter()
                .all(|(id, _)| ![11, 12, 13].contains(id))
        );
        // Criteria narrow it first.
        let camden = Criteria {
            borough: Some("Camden".into()),
            ..Criteria::default()
        };
        let list = invitation_list(&panel, &camden, BalanceBy::Borough, 10);
        assert_eq!(list.invited.len(), 3);
    }

    #[test]
    fn age_bands_count_birthdays() {
        let born = NaiveDate::from_ymd_opt(1990, 6, 15).unwrap();
        assert_eq!(
            age_band(born, NaiveDate::from_ymd_opt(2025, 6, 14).unwrap()),
            "25-34"
        );
        assert_eq!(
            age_band(born, NaiveDate::from_ymd_opt(2025, 6, 15).unwrap()),
            "35-44"
        );
        assert_eq!(
            age_band(born, NaiveDate::from_ymd_opt(2008, 1, 1).unwrap()),
            "under 18"
        );
    }
}
