//! Support for a victim: the needs assessment the Code promises every victim, and the rules of
//! a referral to a support agency (consent, what may be shared, the safety check). The Code
//! says what the assessment covers (reference §4); the force says which crimes may be referred
//! on an opt-out basis.

use crate::Problem;
use crate::victim::Channel;
use serde::{Deserialize, Serialize};

/// The most characters of free text in one answer.
pub const MAX_NOTE: usize = 2000;

macro_rules! choice {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $slug:literal : $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $slug),+ }
            }

            /// The words staff read.
            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label),+ }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                match raw.trim() { $($slug => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}

choice!(
    /// The help a victim says they want.
    SupportNeed {
        Emotional = "emotional": "Someone to talk to",
        Practical = "practical": "Practical help (repairs, forms, money)",
        Specialist = "specialist": "Specialist support (domestic abuse, sexual violence, children)",
        Health = "health": "Health or counselling",
        Housing = "housing": "Housing or somewhere safe to stay",
        Safety = "safety": "Feeling safe (safety planning, alarms, locks)",
        Court = "court": "Help with going to court",
    }
);

choice!(
    /// How the victim knows the suspect: it decides how risky contact and sharing are.
    Relationship {
        NoSuspect = "no_suspect": "No suspect known",
        Stranger = "stranger": "A stranger",
        KnownToThem = "known": "Someone they know (neighbour, colleague, acquaintance)",
        PartnerOrEx = "partner_or_ex": "A partner or former partner",
        Family = "family": "A family member",
    }
);

choice!(
    /// How likely the victim is to be targeted again, as assessed.
    RepeatRisk {
        Low = "low": "Low",
        Medium = "medium": "Medium",
        High = "high": "High",
    }
);

choice!(
    /// A format the victim needs written information in.
    AccessibleFormat {
        LargePrint = "large_print": "Large print",
        EasyRead = "easy_read": "Easy read",
        Braille = "braille": "Braille",
        Audio = "audio": "Audio",
        BslVideo = "bsl": "British Sign Language",
    }
);

choice!(
    /// Court-stage needs (the Witness Care Unit's fuller assessment).
    CourtNeed {
        Screens = "screens": "Screens in court",
        LiveLink = "live_link": "Giving evidence by live link",
        RecordedEvidence = "recorded_evidence": "Recorded evidence",
        Intermediary = "intermediary": "A Registered Intermediary",
        Childcare = "childcare": "Childcare",
        Transport = "transport": "Transport",
        Medical = "medical": "Medical needs",
        EmployerLetter = "employer_letter": "A letter for their employer",
        PreTrialVisit = "pre_trial_visit": "A visit to the court before the trial",
        Expenses = "expenses": "Help with expenses",
    }
);

/// Who filled in an assessment: staff (the full form) or the victim on their page (the short
/// one, which cannot decide enhanced rights).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessedBy {
    Staff,
    Victim,
}

/// One version of a victim's needs assessment. Each is kept; the latest is the one that acts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedsAssessment {
    // Enhanced rights the Code leaves to judgement (the offence and age decide the rest).
    #[serde(default)]
    pub vulnerable: bool,
    #[serde(default)]
    pub intimidated: bool,
    #[serde(default)]
    pub persistently_targeted: bool,
    /// A language an interpreter is needed in, in the victim's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreter: Option<String>,
    #[serde(default)]
    pub formats: Vec<AccessibleFormat>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship: Option<Relationship>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_risk: Option<RepeatRisk>,
    #[serde(default)]
    pub needs: Vec<SupportNeed>,
    /// Ways of contact the victim says are not safe (someone else reads their post, shares
    /// their phone...): recorded as restrictions, which every message honours.
    #[serde(default)]
    pub unsafe_channels: Vec<Channel>,
    #[serde(default)]
    pub court: Vec<CourtNeed>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl NeedsAssessment {
    /// Reads the form (checkbox lists repeated by name). `by` limits the victim's own version
    /// to what a victim can say about themselves: enhanced rights and risk are staff's call.
    pub fn parse(
        by: AssessedBy,
        one: impl Fn(&str) -> Option<String>,
        all: impl Fn(&str) -> Vec<String>,
    ) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        fn list<T: Copy + Ord>(
            field: &str,
            raw: Vec<String>,
            parse: impl Fn(&str) -> Option<T>,
            problems: &mut Vec<Problem>,
        ) -> Vec<T> {
            let mut out = Vec::new();
            for r in raw.iter().filter(|r| !r.trim().is_empty()) {
                match parse(r) {
                    Some(v) => out.push(v),
                    None => problems.push(Problem::new(field, "is not one of the choices offered")),
                }
            }
            out.sort_unstable();
            out.dedup();
            out
        }
        fn text<const MAX: usize>(
            field: &str,
            raw: Option<String>,
            problems: &mut Vec<Problem>,
        ) -> Option<String> {
            crate::text::optional::<MAX>(raw.as_deref())
                .map_err(|e| problems.push(Problem::new(field, e)))
                .ok()
                .flatten()
                .map(String::from)
        }
        let yes = |field: &str| one(field).is_some_and(|v| v == "yes");
        let staff = by == AssessedBy::Staff;
        let pick = |field: &str, problems: &mut Vec<Problem>| -> Option<String> {
            let v = one(field)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty());
            if v.is_some() && !staff {
                problems.push(Problem::new(field, "is asked by staff only"));
            }
            v
        };
        let relationship = pick("relationship", &mut problems);
        let relationship = relationship.and_then(|r| {
            Relationship::parse(&r).or_else(|| {
                problems.push(Problem::new(
                    "relationship",
                    "is not one of the choices offered",
                ));
                None
            })
        });
        let repeat_risk = pick("repeat_risk", &mut problems);
        let repeat_risk = repeat_risk.and_then(|r| {
            RepeatRisk::parse(&r).or_else(|| {
                problems.push(Problem::new(
                    "repeat_risk",
                    "is not one of the choices offered",
                ));
                None
            })
        });
        let flags = ["vulnerable", "intimidated", "persistently_targeted"].map(yes);
        if !staff && flags.iter().any(|f| *f) {
            problems.push(Problem::new("vulnerable", "is asked by staff only"));
        }
        let assessment = Self {
            vulnerable: flags[0],
            intimidated: flags[1],
            persistently_targeted: flags[2],
            interpreter: text::<60>("interpreter", one("interpreter"), &mut problems),
            formats: list(
                "formats",
                all("formats"),
                AccessibleFormat::parse,
                &mut problems,
            ),
            relationship,
            repeat_risk,
            needs: list("needs", all("needs"), SupportNeed::parse, &mut problems),
            unsafe_channels: list(
                "unsafe_channels",
                all("unsafe_channels"),
                Channel::parse,
                &mut problems,
            ),
            court: list("court", all("court"), CourtNeed::parse, &mut problems),
            notes: text::<MAX_NOTE>("notes", one("notes"), &mut problems),
        };
        if problems.is_empty() {
            Ok(assessment)
        } else {
            Err(problems)
        }
    }

    /// The suspect is or was close to the victim: contact details go nowhere without the
    /// safety check.
    pub fn close_to_suspect(&self) -> bool {
        matches!(
            self.relationship,
            Some(Relationship::PartnerOrEx | Relationship::Family)
        )
    }
}

choice!(
    /// What the victim agreed an agency may see about them.
    Share {
        Name = "name": "Name",
        Phone = "phone": "Phone number",
        Email = "email": "Email address",
        Address = "address": "Postal address",
        Language = "language": "Language and communication needs",
        Offence = "offence": "What happened (type of crime) and the crime reference",
        Needs = "needs": "The support they asked for",
    }
);

impl Share {
    /// The contact detail this share gives away, if it is one: only a safe way may be shared.
    pub fn channel(self) -> Option<Channel> {
        match self {
            Self::Phone => Some(Channel::PhoneCall),
            Self::Email => Some(Channel::Email),
            Self::Address => Some(Channel::Letter),
            _ => None,
        }
    }
}

/// On what basis the referral is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The victim said yes, to this agency and to what is shared.
    Consent,
    /// The force refers this kind of crime unless the victim objects, and they were told and
    /// did not.
    OptOut,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Consent => "consent",
            Self::OptOut => "opt_out",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "consent" => Some(Self::Consent),
            "opt_out" => Some(Self::OptOut),
            _ => None,
        }
    }
}

/// What is known of the victim and the case when a referral is asked for.
pub struct ReferralContext<'a> {
    /// The force allows opt-out referral for this case's crime type.
    pub opt_out_allowed: bool,
    /// Domestic abuse flagged on the case, or a suspect close to the victim.
    pub domestic_abuse: bool,
    /// The victim's safe ways of contact (after their own restrictions).
    pub safe_channels: &'a [Channel],
}

/// A referral as asked for, before it is checked.
pub struct ReferralRequest {
    pub basis: Option<Basis>,
    pub shares: Vec<Share>,
    /// Staff confirmed with the victim that the details shared are safe to give this agency.
    pub safety_checked: bool,
}

/// Checks a referral against the rules: a basis (consent, or opt-out where the force allows
/// it, never for domestic abuse), only safe contact details, and the safety check before any
/// contact detail of a domestic-abuse victim leaves the force.
pub fn check_referral(ctx: &ReferralContext<'_>, r: &ReferralRequest) -> Vec<Problem> {
    let mut problems = Vec::new();
    match r.basis {
        None => problems.push(Problem::new(
            "basis",
            "record the victim's consent (or that the opt-out rule applies) before referring",
        )),
        Some(Basis::OptOut) if !ctx.opt_out_allowed || ctx.domestic_abuse => {
            problems.push(Problem::new(
                "basis",
                "this case cannot be referred on an opt-out basis: the victim must agree",
            ))
        }
        Some(_) => {}
    }
    if r.shares.is_empty() {
        problems.push(Problem::new(
            "shares",
            "choose what the victim agreed the agency may see",
        ));
    }
    for s in &r.shares {
        if let Some(channel) = s.channel()
            && !ctx.safe_channels.contains(&channel)
        {
            problems.push(Problem::new(
                "shares",
                format!(
                    "{} is not a safe way to contact this victim, so it cannot be shared",
                    s.label().to_lowercase()
                ),
            ));
        }
    }
    let shares_contact = r.shares.iter().any(|s| s.channel().is_some());
    if ctx.domestic_abuse && shares_contact && !r.safety_checked {
        problems.push(Problem::new(
            "safety_checked",
            "confirm the safety check with the victim before sharing any contact detail",
        ));
    }
    problems
}

choice!(
    /// Where a referral stands.
    ReferralStatus {
        Sent = "sent": "Waiting for the agency",
        Accepted = "accepted": "Accepted by the agency",
        Declined = "declined": "Declined by the agency",
        Closed = "closed": "Closed",
    }
);

choice!(
    /// What came of a referral, as the agency records it.
    ReferralOutcome {
        Supported = "supported": "Support given",
        VictimDeclined = "victim_declined": "The victim did not want support",
        NoContact = "no_contact": "Could not reach the victim",
        ReferredOn = "referred_on": "Referred on to another service",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    fn form(
        pairs: &[(&str, &str)],
    ) -> (
        impl Fn(&str) -> Option<String>,
        impl Fn(&str) -> Vec<String>,
    ) {
        let a: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        let b = a.clone();
        (
            move |n: &str| a.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()),
            move |n: &str| {
                b.iter()
                    .filter(|(k, _)| k == n)
                    .map(|(_, v)| v.clone())
                    .collect()
            },
        )
    }

    #[test]
    fn an_assessment_reads_every_part_and_names_a_wrong_choice() {
        let (one, all) = form(&[
            ("vulnerable", "yes"),
            ("relationship", "partner_or_ex"),
            ("repeat_risk", "high"),
            ("needs", "safety"),
            ("needs", "emotional"),
            ("needs", "safety"),
            ("unsafe_channels", "letter"),
            ("interpreter", " Polish "),
            ("court", "screens"),
        ]);
        let a = NeedsAssessment::parse(AssessedBy::Staff, one, all).unwrap();
        assert!(a.vulnerable && !a.intimidated);
        assert_eq!(a.needs, vec![SupportNeed::Emotional, SupportNeed::Safety]);
        assert_eq!(a.unsafe_channels, vec![Channel::Letter]);
        assert_eq!(a.interpreter.as_deref(), Some("Polish"));
        assert!(a.close_to_suspect());

        let (one, all) = form(&[("needs", "pizza"), ("relationship", "cousin")]);
        let e = NeedsAssessment::parse(AssessedBy::Staff, one, all).unwrap_err();
        let fields: Vec<&str> = e.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["relationship", "needs"]);
    }

    #[test]
    fn a_victim_cannot_give_themselves_enhanced_rights_on_their_page() {
        let (one, all) = form(&[("vulnerable", "yes"), ("needs", "practical")]);
        let e = NeedsAssessment::parse(AssessedBy::Victim, one, all).unwrap_err();
        assert_eq!(e[0].field, "vulnerable");
        let (one, all) = form(&[("needs", "practical"), ("unsafe_channels", "sms")]);
        let a = NeedsAssessment::parse(AssessedBy::Victim, one, all).unwrap();
        assert_eq!(a.unsafe_channels, vec![Channel::Sms]);
    }

    fn ctx(opt_out_allowed: bool, domestic_abuse: bool) -> ReferralContext<'static> {
        ReferralContext {
            opt_out_allowed,
            domestic_abuse,
            safe_channels: &[Channel::PhoneCall],
        }
    }

    #[test]
    fn no_referral_without_consent_or_the_opt_out_rule() {
        let req = |basis| ReferralRequest {
            basis,
            shares: vec![Share::Name],
            safety_checked: false,
        };
        assert_eq!(
            check_referral(&ctx(false, false), &req(None))[0].field,
            "basis"
        );
        assert_eq!(
            check_referral(&ctx(false, false), &req(Some(Basis::OptOut)))[0].field,
            "basis"
        );
        assert!(check_referral(&ctx(true, false), &req(Some(Basis::OptOut))).is_empty());
        // Never opt-out for domestic abuse, whatever the force's list says.
        assert_eq!(
            check_referral(&ctx(true, true), &req(Some(Basis::OptOut)))[0].field,
            "basis"
        );
        assert!(check_referral(&ctx(false, true), &req(Some(Basis::Consent))).is_empty());
    }

    #[test]
    fn contact_details_are_shared_only_when_safe_and_checked() {
        let req = |shares: Vec<Share>, safety_checked| ReferralRequest {
            basis: Some(Basis::Consent),
            shares,
            safety_checked,
        };
        let e = check_referral(&ctx(false, false), &req(vec![Share::Email], false));
        assert!(e[0].problem.contains("not a safe way"), "{e:?}");
        let e = check_referral(&ctx(false, true), &req(vec![Share::Phone], false));
        assert_eq!(e[0].field, "safety_checked");
        assert!(check_referral(&ctx(false, true), &req(vec![Share::Phone], true)).is_empty());
        assert!(check_referral(&ctx(false, true), &req(vec![Share::Name], false)).is_empty());
    }
}
