//! Synthetic case histories for London: a realistic mix of offences across the 32 boroughs and
//! the City, victims who are people, children, businesses and bereaved families, some of them
//! in more than one case, and journeys that stop at every phase of the justice system.
//!
//! The stream is deterministic: the same seed, case count and `as_of` give the same bytes. No
//! event is later than `as_of`, so cases still under way simply stop where they have got to.
//! Events come case by case, each case's events in time order, cases in the order reported.
//! All names are made up; phone numbers are in Ofcom's range for drama (07700 900xxx) and
//! email addresses use the reserved example domains.

pub mod calls;
mod journey;
mod people;

use chrono::{DateTime, TimeDelta, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

/// The fixed default for `as_of`, so that default output never changes with the day it is run.
pub const DEFAULT_AS_OF: &str = "2026-11-01T00:00:00Z";

pub struct Generator {
    rng: ChaCha8Rng,
    as_of: DateTime<Utc>,
    cases: u64,
    next_case: u64,
    people: people::People,
}

impl Generator {
    /// A generator of `cases` cases reported over the year before `as_of`.
    pub fn new(seed: u64, cases: u64, as_of: DateTime<Utc>) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
            as_of,
            cases: cases.max(1),
            next_case: 0,
            people: people::People::default(),
        }
    }

    /// The events of the next case, in time order, or `None` when all cases are out.
    pub fn next_case(&mut self) -> Option<Vec<Value>> {
        if self.next_case >= self.cases {
            return None;
        }
        let i = self.next_case;
        self.next_case += 1;
        let year = TimeDelta::days(365);
        let slot = year.num_seconds() as f64 / self.cases as f64;
        let offset = (i as f64 + self.rng.random::<f64>()) * slot;
        #[allow(clippy::cast_possible_truncation)]
        let reported_at = self.as_of - year + TimeDelta::seconds(offset as i64);
        let reference = format!(
            "{:07}/{}",
            (4_000_000 + i) % 10_000_000,
            reported_at.format("%y")
        );
        let mut events =
            journey::journey(&mut self.rng, &mut self.people, i, &reference, reported_at);
        events.retain(|e| e.received() < self.as_of);
        events.sort_by_key(|e| e.at);
        Some(
            events
                .into_iter()
                .enumerate()
                .map(|(k, e)| e.into_json(i, k, &reference))
                .collect(),
        )
    }
}

impl Iterator for Generator {
    type Item = Vec<Value>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_case()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Event;

    fn as_of() -> DateTime<Utc> {
        DEFAULT_AS_OF.parse().unwrap()
    }

    #[test]
    fn the_same_seed_gives_the_same_stream() {
        let a: Vec<_> = Generator::new(7, 50, as_of()).collect();
        let b: Vec<_> = Generator::new(7, 50, as_of()).collect();
        let c: Vec<_> = Generator::new(8, 50, as_of()).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn every_generated_event_is_valid_and_in_the_past() {
        let now = as_of();
        let mut types = std::collections::BTreeSet::new();
        let mut total = 0;
        for case in Generator::new(1, 2000, now) {
            assert_eq!(case[0]["type"], "reported");
            for json in case {
                let event = Event::parse(&json.to_string(), now)
                    .unwrap_or_else(|p| panic!("{json}: {p:?}"));
                assert!(event.occurred_at < now);
                types.insert(event.event_type());
                total += 1;
            }
        }
        assert!(total > 2000 * 3, "only {total} events");
        // A realistic stream reaches almost every kind of event.
        assert!(types.len() >= 24, "only {} kinds: {types:?}", types.len());
    }
}
