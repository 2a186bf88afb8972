//! Made-up victims: people, children, businesses and bereaved relatives.

use chrono::{DateTime, Datelike, TimeDelta, Utc};
use rand::Rng;
use rand::seq::IndexedRandom;
use serde_json::{Value, json};

const GIVEN: &[&str] = &[
    "Amara", "Oliver", "Fatima", "Jack", "Priya", "Mohammed", "Olivia", "Kwame", "Zofia", "Aisha",
    "George", "Mei", "Daniel", "Chloe", "Tariq", "Grace", "Ioana", "Samuel", "Nia", "Rahul",
    "Ellie", "Yusuf", "Hannah", "Tomasz", "Leah", "Kofi", "Sophie", "Arjun", "Maryam", "Luca",
    "Ada", "Femi", "Rosa", "Bilal", "Megan", "Dylan", "Siobhan", "Ravi", "Hui", "Abdi",
];
const FAMILY: &[&str] = &[
    "Smith", "Khan", "Jones", "Okafor", "Patel", "Williams", "Nowak", "Brown", "Ahmed", "Taylor",
    "Mensah", "Evans", "Begum", "Wilson", "Popescu", "Thomas", "Chen", "Hussain", "Roberts",
    "Osei", "Walker", "Singh", "Wright", "Ali", "Kowalski", "Green", "Rahman", "Hall", "Adeyemi",
    "Clarke", "Silva", "Murphy", "Yilmaz", "Davies", "Nguyen", "Bello", "Hughes", "Ismail",
];
const STREETS: &[&str] = &[
    "Albert Road",
    "Church Street",
    "Station Road",
    "Victoria Road",
    "Park Lane",
    "Mill Lane",
    "High Street",
    "Queens Road",
    "Kings Avenue",
    "Grove Road",
    "Manor Road",
    "Green Lane",
];
const OUTWARD: &[&str] = &[
    "E1", "E8", "E15", "N1", "N7", "N17", "NW1", "NW10", "SE1", "SE15", "SE18", "SW2", "SW9",
    "SW11", "W2", "W12", "EC1V", "WC1X", "CR0", "HA0", "IG1", "RM8", "TW3", "UB3", "EN3", "KT1",
    "BR1", "DA1", "SM1",
];
const BUSINESSES: &[&str] = &[
    "Corner Shop",
    "Pharmacy",
    "Cafe",
    "Dry Cleaners",
    "Hardware",
    "Off Licence",
    "Bakery",
    "Newsagents",
    "Barbers",
    "Phone Repairs",
];
const RELATIONSHIPS: &[&str] = &[
    "Mother", "Father", "Daughter", "Son", "Sister", "Brother", "Partner",
];
/// London's main community languages, weighted roughly as they are spoken.
const LANGUAGES: &[(&str, u32)] = &[
    ("en", 840),
    ("pl", 20),
    ("bn", 15),
    ("ro", 15),
    ("ur", 12),
    ("pa", 10),
    ("gu", 10),
    ("so", 10),
    ("ar", 10),
    ("tr", 10),
    ("pt", 10),
    ("es", 10),
    ("lt", 8),
    ("ta", 8),
    ("cy", 2),
];

pub struct Kinds {
    pub business: bool,
    pub bereaved: bool,
    pub domestic_abuse: bool,
}

#[derive(Default)]
pub struct People {
    next: u64,
    /// Recent people, some of whom turn up again as victims of another crime.
    recent: Vec<Value>,
}

fn pick<'a>(rng: &mut impl Rng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or_default()
}

fn language(rng: &mut impl Rng) -> &'static str {
    let total: u32 = LANGUAGES.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for (code, weight) in LANGUAGES {
        if roll < *weight {
            return code;
        }
        roll -= weight;
    }
    "en"
}

impl People {
    pub fn victim(&mut self, rng: &mut impl Rng, kinds: &Kinds, at: DateTime<Utc>) -> Value {
        if !kinds.business && !kinds.bereaved && !self.recent.is_empty() && rng.random_bool(0.04) {
            let i = rng.random_range(0..self.recent.len());
            return self.recent[i].clone();
        }
        self.next += 1;
        let n = self.next;
        let given = pick(rng, GIVEN);
        let family = pick(rng, FAMILY);
        let name = format!("{given} {family}");
        let child = !kinds.business && !kinds.bereaved && rng.random_bool(0.08);
        let age: i64 = if child {
            rng.random_range(8..18)
        } else {
            rng.random_range(18..90)
        };
        let born = at - TimeDelta::days(age * 365 + rng.random_range(0..365));
        let dob = format!("{:04}-{:02}-{:02}", born.year(), born.month(), born.day());
        let phone = format!("07700 900{:03}", n % 1000);
        let email = format!(
            "{}.{}{}@example.{}",
            given.to_lowercase(),
            family.to_lowercase(),
            n % 997,
            pick(rng, &["org", "com", "net"])
        );
        let address = json!({
            "lines": [format!("{} {}", rng.random_range(1..200), pick(rng, STREETS))],
            "town": "London",
            "postcode": format!("{} {}{}{}", pick(rng, OUTWARD), rng.random_range(1..10),
                (b'A' + rng.random_range(0..26)) as char, (b'A' + rng.random_range(0..26)) as char),
        });
        // People at risk from someone close often cannot safely receive texts or voicemail.
        let (channels, safe): (Vec<&str>, Vec<&str>) = if kinds.domestic_abuse {
            match rng.random_range(0..3) {
                0 => (vec!["phone_call"], vec!["phone_call"]),
                1 => (vec!["email", "phone_call"], vec!["email"]),
                _ => (vec!["sms", "phone_call"], vec![]),
            }
        } else {
            match rng.random_range(0..10) {
                0..=4 => (vec!["sms", "email"], vec!["sms", "email"]),
                5..=6 => (vec!["email"], vec!["email"]),
                7 => (vec!["letter"], vec!["letter"]),
                8 => (
                    vec!["phone_call", "voicemail"],
                    vec!["phone_call", "voicemail"],
                ),
                _ => (vec!["sms"], vec!["sms"]),
            }
        };
        // Most victims keep the force's standard interval; some ask for more, fewer or none.
        let frequency = match rng.random_range(0..10) {
            0..=5 => "standard",
            6 => "key_events_only",
            7 => "weekly",
            8 => "fortnightly",
            _ => "monthly",
        };
        let mut agreement =
            json!({"channels": channels, "safe_channels": safe, "frequency": frequency});
        if rng.random_bool(0.3) {
            agreement["quiet_hours"] = json!({"from": "21:00", "to": "08:00"});
        }
        if child {
            agreement["nominated_person"] = json!({
                "name": format!("{} {family}", pick(rng, GIVEN)),
                "relationship": "Parent",
                "phone": format!("07700 900{:03}", (n + 500) % 1000),
            });
        }
        let mut v = json!({
            "ref": format!("P{n:08}"),
            "kind": "person",
            "name": name,
            "date_of_birth": dob,
            "phone": phone,
            "email": email,
            "address": address,
            "language": language(rng),
            "contact_agreement": agreement,
        });
        if kinds.business {
            v["kind"] = json!("business");
            v["business_name"] = json!(format!("{family} {}", pick(rng, BUSINESSES)));
            v.as_object_mut().map(|o| o.remove("date_of_birth"));
            v["language"] = json!("en");
        } else if kinds.bereaved {
            v["kind"] = json!("bereaved_relative");
            v["relationship_to_deceased"] = json!(pick(rng, RELATIONSHIPS));
        } else {
            if self.recent.len() < 500 {
                self.recent.push(v.clone());
            } else {
                let i = rng.random_range(0..self.recent.len());
                self.recent[i] = v.clone();
            }
        }
        v
    }
}
