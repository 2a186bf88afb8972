//! One case's journey through the justice system, with the branch at every step that real
//! cases take in roughly the proportions they take it.

use crate::people::{Kinds, People};
use chrono::{DateTime, Datelike, NaiveTime, TimeDelta, Utc, Weekday};
use domain::OffenceCategory as O;
use domain::case::LONDON_BOROUGHS;
use rand::Rng;
use rand::seq::IndexedRandom;
use serde_json::{Value, json};

pub struct Ev {
    pub at: DateTime<Utc>,
    source: &'static str,
    kind: &'static str,
    payload: Value,
    /// How long after it happened the force heard of it (CPS and court news arrive later).
    delay: TimeDelta,
}

impl Ev {
    /// When the force learnt of it.
    pub fn received(&self) -> DateTime<Utc> {
        self.at + self.delay
    }

    pub fn into_json(self, case: u64, k: usize, reference: &str) -> Value {
        let mut v = json!({
            "source": self.source,
            "id": format!("{}-{case:07}-{k:02}", self.source.to_uppercase()),
            "type": self.kind,
            "crime_reference": reference,
            "occurred_at": self.at.to_rfc3339(),
            "payload": self.payload,
        });
        if self.delay > TimeDelta::zero() {
            v["received_at"] = json!((self.at + self.delay).to_rfc3339());
        }
        v
    }
}

/// Offences weighted roughly as London records them.
const MIX: &[(O, u32)] = &[
    (O::Theft, 300),
    (O::VehicleCrime, 100),
    (O::CommonAssault, 100),
    (O::CriminalDamage, 70),
    (O::BurglaryResidential, 70),
    (O::Abh, 60),
    (O::StalkingHarassment, 60),
    (O::Fraud, 50),
    (O::Robbery, 40),
    (O::PublicOrder, 40),
    (O::SexualOffence, 30),
    (O::Other, 30),
    (O::BurglaryBusiness, 20),
    (O::GbhWithIntent, 10),
    (O::ArsonEndangeringLife, 3),
    (O::Kidnap, 2),
    (O::FalseImprisonment, 2),
    (O::ModernSlavery, 2),
    (O::AttemptedMurder, 1),
    (O::Homicide, 1),
    (O::CausingDeathByDriving, 1),
    (O::Terrorism, 1),
];

const COURTS: &[&str] = &[
    "Westminster Magistrates' Court",
    "Highbury Corner Magistrates' Court",
    "Thames Magistrates' Court",
    "Croydon Magistrates' Court",
    "Willesden Magistrates' Court",
    "Snaresbrook Crown Court",
    "Southwark Crown Court",
    "Wood Green Crown Court",
    "Inner London Crown Court",
    "Central Criminal Court",
];

fn offence(rng: &mut impl Rng) -> O {
    let total: u32 = MIX.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for (o, w) in MIX {
        if roll < *w {
            return *o;
        }
        roll -= w;
    }
    O::Other
}

fn hours(rng: &mut impl Rng, lo: i64, hi: i64) -> TimeDelta {
    TimeDelta::minutes(rng.random_range(lo * 60..=hi * 60))
}

fn days(rng: &mut impl Rng, lo: i64, hi: i64) -> TimeDelta {
    TimeDelta::minutes(rng.random_range(lo * 1440..=hi * 1440))
}

/// A court sitting at 10:00 on a weekday about `after` from `from`.
fn sitting(from: DateTime<Utc>, after: TimeDelta) -> DateTime<Utc> {
    let mut day = (from + after).date_naive();
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day = day.succ_opt().unwrap_or(day);
    }
    day.and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default())
        .and_utc()
}

fn hearing(rng: &mut impl Rng, kind: &str, at: DateTime<Utc>, crown: bool) -> Value {
    let courts = if crown { &COURTS[5..] } else { &COURTS[..5] };
    json!({"kind": kind, "starts_at": at.to_rfc3339(), "court": courts.choose(rng).copied().unwrap_or(COURTS[0])})
}

struct Story<'r, R: Rng> {
    rng: &'r mut R,
    events: Vec<Ev>,
    t: DateTime<Utc>,
}

impl<R: Rng> Story<'_, R> {
    fn push(&mut self, source: &'static str, kind: &'static str, payload: Value) {
        self.push_at(self.t, source, kind, payload, TimeDelta::zero());
    }

    fn push_at(
        &mut self,
        at: DateTime<Utc>,
        source: &'static str,
        kind: &'static str,
        payload: Value,
        delay: TimeDelta,
    ) {
        self.events.push(Ev {
            at,
            source,
            kind,
            payload,
            delay,
        });
    }

    fn wait(&mut self, d: TimeDelta) {
        self.t += d;
    }

    fn wait_days(&mut self, lo: i64, hi: i64) {
        let d = days(self.rng, lo, hi);
        self.wait(d);
    }

    fn wait_hours(&mut self, lo: i64, hi: i64) {
        let d = hours(self.rng, lo, hi);
        self.wait(d);
    }

    /// Now and then a victim asks for a decision not to go ahead to be reviewed.
    fn maybe_review(&mut self, p: f64, victim: &Value, source: &'static str, scheme: &str) {
        if self.chance(p) {
            self.wait_days(3, 30);
            self.push(
                source,
                "review_requested",
                json!({"victim": victim, "scheme": scheme}),
            );
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }
}

#[allow(clippy::too_many_lines)] // a journey reads best as one story
pub fn journey(
    rng: &mut impl Rng,
    people: &mut People,
    case: u64,
    _reference: &str,
    reported_at: DateTime<Utc>,
) -> Vec<Ev> {
    let offence = offence(rng);
    let violent = matches!(
        offence,
        O::CommonAssault
            | O::Abh
            | O::GbhWithIntent
            | O::StalkingHarassment
            | O::SexualOffence
            | O::AttemptedMurder
            | O::FalseImprisonment
            | O::Kidnap
    );
    let domestic_abuse = violent && rng.random_bool(0.3);
    let hate_crime = matches!(
        offence,
        O::PublicOrder | O::CommonAssault | O::CriminalDamage
    ) && rng.random_bool(0.08);
    let bereaved = matches!(offence, O::Homicide | O::CausingDeathByDriving);
    let business = matches!(offence, O::BurglaryBusiness)
        || (matches!(offence, O::Theft | O::Fraud | O::CriminalDamage) && rng.random_bool(0.15));
    let kinds = Kinds {
        business,
        bereaved,
        domestic_abuse,
    };
    let victim_count = match rng.random_range(0..100) {
        0..=2 => 3,
        3..=11 => 2,
        _ => 1,
    };
    let mut victims: Vec<Value> = Vec::new();
    while victims.len() < victim_count {
        let v = people.victim(rng, &kinds, reported_at);
        if victims.iter().all(|w| w["ref"] != v["ref"]) {
            victims.push(v);
        } else {
            break;
        }
    }
    let borough = LONDON_BOROUGHS
        .choose(rng)
        .copied()
        .unwrap_or("Westminster");
    let officer = json!({
        "name": format!("{} {}", ["PC", "DC", "DS", "PS"].choose(rng).copied().unwrap_or("PC"),
                        ["Ada Moss", "Ben Oduya", "Cara Lin", "Dev Sharma", "Eve Kaur", "Finn Doyle",
                         "Gita Rao", "Hal Obi"].choose(rng).copied().unwrap_or("Ada Moss")),
        "collar_number": format!("{:04}{}", rng.random_range(100..9999), ["CW", "NE", "SE", "SW", "NW", "AS", "CE"].choose(rng).copied().unwrap_or("CW")),
        "team": format!("{borough} CID"),
    });

    let mut s = Story {
        rng,
        events: Vec::new(),
        t: reported_at,
    };
    s.push(
        "cris",
        "reported",
        json!({
            "offence": offence,
            "flags": {"domestic_abuse": domestic_abuse, "hate_crime": hate_crime},
            "borough": borough,
            "officer": officer,
            "victims": victims,
        }),
    );
    let first_victim = victims[0]["ref"].clone();

    // The force sends an officer to every home burglary: most within hours, a few days
    // later, a few never (those are what the attendance list is for).
    if offence == O::BurglaryResidential && s.chance(0.96) {
        let after = if s.chance(0.85) {
            TimeDelta::minutes(s.rng.random_range(20..=8 * 60))
        } else {
            hours(s.rng, 8, 72)
        };
        let attending = json!({"officer": {
            "name": "PC Jo Reyes",
            "collar_number": format!("{:04}RS", s.rng.random_range(100..9999)),
        }});
        s.push_at(
            s.t + after,
            "cad",
            "officer_attended",
            attending,
            TimeDelta::zero(),
        );
    }

    if s.chance(0.06) {
        let mut changed = victims[0].clone();
        changed["phone"] = json!(format!("07700 900{:03}", (case * 7) % 1000));
        let at = s.t + days(s.rng, 3, 40);
        s.push_at(
            at,
            "cris",
            "victim_details_changed",
            json!({"victim": changed}),
            TimeDelta::zero(),
        );
    }
    if s.chance(0.08) {
        let at = s.t + days(s.rng, 5, 60);
        s.push_at(
            at,
            "cris",
            "officer_changed",
            json!({"officer": {"name": "DC Sam Ward", "team": format!("{borough} CID")}}),
            TimeDelta::zero(),
        );
    }
    if s.chance(0.02) {
        let at = s.t + days(s.rng, 10, 90);
        s.push_at(
            at,
            "cris",
            "complaint_received",
            json!({"victim": first_victim}),
            TimeDelta::zero(),
        );
    }

    let volume = matches!(
        offence,
        O::Theft | O::VehicleCrime | O::CriminalDamage | O::Fraud | O::Other
    );
    let screened_out = if volume {
        0.55
    } else if violent {
        0.05
    } else {
        0.2
    };
    if s.chance(screened_out) {
        s.wait_days(1, 10);
        s.push(
            "cris",
            "not_investigated",
            json!({"reason": "There are no lines of enquiry that could identify who did this."}),
        );
        return s.events;
    }
    if s.chance(0.03) {
        s.wait_days(10, 40);
        s.push(
            "cris",
            "case_details_changed",
            json!({"offence": if violent { "abh" } else { "theft" }}),
        );
    }
    if s.chance(0.35) {
        s.wait_days(14, 70);
        s.push("cris", "case_closed", json!({"reason": "All reasonable lines of enquiry have been followed and no suspect has been identified."}));
        if s.chance(0.04) {
            s.wait_days(20, 120);
            s.push(
                "cris",
                "case_reopened",
                json!({"reason": "New information has come to light."}),
            );
        } else {
            return s.events;
        }
    }

    let suspects: &[&str] = if s.chance(0.1) {
        &["S1", "S2"]
    } else {
        &["S1"]
    };
    s.wait_days(0, 21);
    for suspect in suspects {
        s.push("cris", "arrested", json!({"suspect": suspect}));
        s.wait_hours(2, 12);
        s.push(
            "cris",
            "interviewed_under_caution",
            json!({"suspect": suspect}),
        );
    }
    s.wait_hours(1, 6);
    let main = suspects[0];
    match s.rng.random_range(0..10) {
        0..=3 => {
            let until = (s.t + days(s.rng, 21, 90)).date_naive();
            let mut conditions = vec!["Not to contact the victim directly or indirectly"];
            if domestic_abuse || s.chance(0.4) {
                conditions.push("Not to go within 100 metres of the victim's home");
            }
            if s.chance(0.3) {
                conditions.push("To live and sleep each night at a named address");
            }
            s.push(
                "cris",
                "released_on_bail",
                json!({"suspect": main, "bail_until": until, "conditions": conditions}),
            );
            if s.chance(0.2) {
                s.wait_days(7, 20);
                let until = (s.t + days(s.rng, 30, 60)).date_naive();
                s.push("cris", "bail_varied", json!({"suspect": main, "bail_until": until, "conditions": ["Not to contact the victim directly or indirectly"]}));
            }
            if s.chance(0.05) {
                s.wait_days(5, 20);
                s.push(
                    "cris",
                    "bail_cancelled",
                    json!({"suspect": main, "reason": "Released under investigation instead"}),
                );
            }
        }
        4..=6 => s.push(
            "cris",
            "released_under_investigation",
            json!({"suspect": main}),
        ),
        _ => {
            s.push("cris", "released_no_further_action", json!({"suspect": main, "reason": "There is not enough evidence to take further action."}));
            for other in &suspects[1..] {
                s.push(
                    "cris",
                    "released_no_further_action",
                    json!({"suspect": other}),
                );
            }
            s.maybe_review(0.1, &first_victim, "cris", "police");
            return s.events;
        }
    }
    for other in &suspects[1..] {
        s.push(
            "cris",
            "released_no_further_action",
            json!({"suspect": other}),
        );
    }

    s.wait_days(14, 120);
    match s.rng.random_range(0..20) {
        0..=1 => {
            let disposal = ["caution", "conditional_caution", "community_resolution"]
                .choose(s.rng)
                .copied()
                .unwrap_or("caution");
            s.push(
                "cris",
                "out_of_court_disposal",
                json!({"suspect": main, "disposal": disposal}),
            );
            return s.events;
        }
        2..=4 => {
            s.push("cris", "police_no_charge", json!({"suspect": main, "reason": "The evidence does not meet the test for charging."}));
            s.maybe_review(0.1, &first_victim, "cris", "police");
            return s.events;
        }
        _ => {}
    }
    s.push("cris", "referred_to_cps", json!({"suspect": main}));
    s.wait_days(7, 60);
    if s.chance(0.3) {
        let delay = hours(s.rng, 2, 48);
        let at = s.t;
        s.push_at(
            at,
            "cps",
            "cps_no_charge",
            json!({"suspect": main, "reason": "There is not a realistic prospect of conviction."}),
            delay,
        );
        if s.chance(0.12) {
            let d = days(s.rng, 5, 40);
            s.wait(d + delay);
            s.push(
                "cps",
                "review_requested",
                json!({"victim": first_victim, "scheme": "cps"}),
            );
        }
        return s.events;
    }
    let crown = !volume && s.chance(0.4);
    let first = sitting(s.t, days(s.rng, 1, 28));
    let custody = if domestic_abuse || s.chance(0.15) {
        "remanded_in_custody"
    } else {
        "bailed"
    };
    let charges = match offence {
        O::BurglaryResidential => "Burglary of a dwelling",
        O::Robbery => "Robbery",
        O::Abh => "Assault occasioning actual bodily harm",
        O::CommonAssault => "Common assault",
        O::StalkingHarassment => "Stalking involving serious alarm or distress",
        _ => "The offence as reported",
    };
    let first_hearing = hearing(s.rng, "first_appearance", first, false);
    s.push(
        "cris",
        "charged",
        json!({"suspect": main, "charges": [charges], "custody": custody,
        "first_hearing": first_hearing}),
    );
    let wcu_delay = hours(s.rng, 1, 30);
    if first >= s.t {
        s.t = first + hours(s.rng, 2, 6);
    }
    if s.chance(0.05) {
        let at = s.t;
        s.push_at(at, "cps", "cps_charges_dropped_or_altered", json!({"suspect": main, "change": "dropped", "detail": "The CPS has stopped the case because a key witness is not available."}), wcu_delay);
        return s.events;
    }
    if s.chance(0.55) {
        s.push(
            "wcu",
            "hearing_outcome",
            json!({"hearing_kind": "first_appearance", "result": "guilty_plea"}),
        );
    } else {
        let trial = sitting(s.t, days(s.rng, 60, 300));
        let trial_hearing = hearing(s.rng, "trial", trial, crown);
        s.push(
            "wcu",
            "not_guilty_plea",
            json!({"suspect": main, "trial": trial_hearing}),
        );
        s.wait_days(3, 20);
        s.push(
            "wcu",
            "witness_required",
            json!({"victim": first_victim, "hearing": trial_hearing}),
        );
        if s.chance(0.25) {
            let at = s.t + days(s.rng, 10, 40);
            let review = sitting(at, days(s.rng, 7, 30));
            let review = hearing(s.rng, "pre_trial_review", review, crown);
            s.push_at(
                at,
                "wcu",
                "hearing_listed",
                json!({"hearing": review}),
                wcu_delay,
            );
        }
        s.t = trial + hours(s.rng, 4, 7);
        let result = if s.chance(0.15) {
            "adjourned"
        } else {
            "effective"
        };
        s.push(
            "wcu",
            "hearing_outcome",
            json!({"hearing_kind": "trial", "result": result}),
        );
        if result == "adjourned" {
            let again = sitting(s.t, days(s.rng, 30, 120));
            s.t = again + hours(s.rng, 4, 7);
            s.push(
                "wcu",
                "hearing_outcome",
                json!({"hearing_kind": "trial", "result": "effective"}),
            );
        }
        s.wait_days(1, 4);
        if s.chance(0.3) {
            s.push(
                "wcu",
                "verdict",
                json!({"suspect": main, "verdict": "not_guilty"}),
            );
            return s.events;
        }
        s.push(
            "wcu",
            "verdict",
            json!({"suspect": main, "verdict": "guilty"}),
        );
    }
    let sentencing = sitting(s.t, days(s.rng, 14, 50));
    let at = s.t + hours(s.rng, 1, 48);
    let listed = hearing(s.rng, "sentencing", sentencing, crown);
    s.push_at(
        at,
        "wcu",
        "hearing_listed",
        json!({"hearing": listed}),
        wcu_delay,
    );
    s.t = sentencing + hours(s.rng, 2, 6);
    let months: u32 = if crown {
        s.rng.random_range(6..120)
    } else {
        s.rng.random_range(0..12)
    };
    let sentence = if months == 0 {
        "A community order with 120 hours of unpaid work".to_owned()
    } else {
        format!("{months} months' imprisonment")
    };
    s.push(
        "wcu",
        "sentenced",
        json!({"suspect": main, "sentence": sentence,
        "custody_months": months, "victim_contact_scheme_eligible": months >= 12 && violent}),
    );
    if s.chance(0.05) {
        s.wait_days(7, 27);
        s.push(
            "wcu",
            "appeal_lodged",
            json!({"suspect": main, "by": "defence", "against": "sentence"}),
        );
    }
    s.events
}
