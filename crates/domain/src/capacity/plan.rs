//! The staffing plan: for each half hour of a week, the calls expected, the people needed on
//! the phones, the people to put on the rota, and (when a rota is loaded) the gap.

use super::erlang::{self, Model, Performance, Target, Traffic};
use super::week::{SLOT_MINUTES, SLOTS_PER_WEEK, Week, slot_label};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// How the plan is made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub target: Target,
    pub model: Model,
    pub handle_seconds: f64,
    pub shrinkage: f64,
    /// Never fewer on the phones than this, however quiet: a victim who rings at 3 a.m. is
    /// answered by a person.
    pub min_agents: u32,
}

/// What happened in a past interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Achieved {
    pub offered: u64,
    pub answered: u64,
    pub answered_in_target: u64,
    pub abandoned: u64,
    /// Sum of the waits of answered calls, for the average speed of answer.
    pub answered_wait_seconds: u64,
}

impl Achieved {
    pub fn add(&mut self, other: &Self) {
        self.offered += other.offered;
        self.answered += other.answered;
        self.answered_in_target += other.answered_in_target;
        self.abandoned += other.abandoned;
        self.answered_wait_seconds += other.answered_wait_seconds;
    }

    /// Share of offered calls answered within the target; `None` without calls.
    pub fn service_level(&self) -> Option<f64> {
        (self.offered > 0).then(|| self.answered_in_target as f64 / self.offered as f64)
    }

    pub fn abandonment(&self) -> Option<f64> {
        (self.offered > 0).then(|| self.abandoned as f64 / self.offered as f64)
    }

    pub fn average_speed_of_answer(&self) -> Option<f64> {
        (self.answered > 0).then(|| self.answered_wait_seconds as f64 / self.answered as f64)
    }
}

/// One half hour of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interval {
    pub slot: usize,
    pub label: String,
    pub starts_at: DateTime<Utc>,
    /// Calls expected, our own messages' call-backs included.
    pub calls: f64,
    /// Of those, call-backs after our messages.
    pub induced_calls: f64,
    /// People needed on the phones.
    pub required: u32,
    /// People to put on the rota after shrinkage.
    pub rostered: u32,
    /// What callers would get from `required`.
    pub expected: Option<Performance>,
    /// People on the rota, when one is loaded.
    pub scheduled: Option<u32>,
    /// Rota minus rostered: negative is a shortfall.
    pub gap: Option<i64>,
    /// What callers would get from the people on the rota (after shrinkage).
    pub expected_with_rota: Option<Performance>,
    /// What callers got, for an interval in the past.
    pub achieved: Option<Achieved>,
}

/// Why a plan cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error("{0}: {1}")]
    Input(String, String),
    #[error("at {at}, {source}")]
    Capacity {
        at: String,
        source: erlang::CapacityError,
    },
}

/// Plans every interval of `week`. `baseline` and `induced` are calls per interval;
/// `scheduled` the rota and `achieved` the past, where known.
pub fn plan_week(
    week: Week,
    baseline: &[f64],
    induced: &[f64],
    scheduled: &[Option<u32>],
    achieved: &[Option<Achieved>],
    settings: &Settings,
) -> Result<Vec<Interval>, PlanError> {
    let interval_seconds = (SLOT_MINUTES * 60) as f64;
    (0..SLOTS_PER_WEEK)
        .map(|slot| {
            let base = baseline.get(slot).copied().unwrap_or(0.0);
            let extra = induced.get(slot).copied().unwrap_or(0.0);
            let calls = base + extra;
            let traffic = Traffic::parse(calls, interval_seconds, settings.handle_seconds)
                .map_err(|p| PlanError::Input(p.field, p.problem))?;
            let found = erlang::fewest_agents(&traffic, &settings.target, settings.model).map_err(
                |source| PlanError::Capacity {
                    at: slot_label(slot),
                    source,
                },
            )?;
            let required = found.agents.max(settings.min_agents);
            let expected = if required == found.agents {
                found
            } else {
                perform(&traffic, required, settings)
                    .expect("more agents than the fewest that meet the target are stable")
            };
            let rostered = erlang::rostered(required, settings.shrinkage);
            let on_rota = scheduled.get(slot).copied().flatten();
            let expected_with_rota = on_rota.and_then(|n| {
                // The rota names people; shrinkage takes its share of them off the phones.
                // The same hair's margin as `rostered`, so a rota of exactly the rostered
                // number covers what is needed.
                let on_phones = (f64::from(n) * (1.0 - settings.shrinkage) + 1e-9).floor() as u32;
                perform(&traffic, on_phones, settings)
            });
            Ok(Interval {
                slot,
                label: slot_label(slot),
                starts_at: week.slot_start(slot),
                calls,
                induced_calls: extra,
                required,
                rostered,
                expected: Some(expected),
                scheduled: on_rota,
                gap: on_rota.map(|n| i64::from(n) - i64::from(rostered)),
                expected_with_rota,
                achieved: achieved.get(slot).copied().flatten(),
            })
        })
        .collect()
}

/// What callers get from a number of agents; `None` for an Erlang C queue that never
/// empties.
fn perform(traffic: &Traffic, agents: u32, settings: &Settings) -> Option<Performance> {
    let t = settings.target.answer_seconds();
    match settings.model {
        Model::ErlangC => erlang::erlang_c(traffic, agents, t),
        Model::ErlangA { patience_seconds } => {
            Some(erlang::erlang_a(traffic, agents, patience_seconds, t))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            target: Target::parse(20.0, 0.8, Some(0.9), None).unwrap(),
            model: Model::erlang_a(180.0).unwrap(),
            handle_seconds: 300.0,
            shrinkage: 0.3,
            min_agents: 1,
        }
    }

    #[test]
    fn a_quiet_night_still_has_someone_on_the_phone() {
        let week = Week::parse("2026-W49").unwrap();
        let plan = plan_week(week, &[0.0; 336], &[0.0; 336], &[], &[], &settings()).unwrap();
        assert_eq!(plan[4].required, 1);
        assert_eq!(plan[4].rostered, 2);
        assert_eq!(plan[4].label, "Mon 02:00");
    }

    #[test]
    fn a_rota_of_exactly_the_rostered_number_covers_the_need() {
        let week = Week::parse("2026-W49").unwrap();
        for calls in [50.0, 120.0, 260.0, 400.0] {
            let base = vec![calls; 336];
            let first = plan_week(week, &base, &[0.0; 336], &[], &[], &settings()).unwrap();
            let rota = vec![Some(first[0].rostered); 336];
            let plan = plan_week(week, &base, &[0.0; 336], &rota, &[], &settings()).unwrap();
            assert_eq!(plan[0].gap, Some(0));
            let with_rota = plan[0].expected_with_rota.unwrap();
            assert!(
                with_rota.service_level >= 0.8,
                "{calls} calls: {with_rota:?}"
            );
        }
    }

    #[test]
    fn a_short_rota_shows_as_a_negative_gap() {
        let week = Week::parse("2026-W49").unwrap();
        let base = vec![120.0; 336];
        let mut rota = vec![None; 336];
        rota[18] = Some(5);
        let plan = plan_week(week, &base, &[0.0; 336], &rota, &[], &settings()).unwrap();
        let p = &plan[18];
        assert!(p.required > 5);
        assert_eq!(p.gap, Some(5 - i64::from(p.rostered)));
        let with_rota = p.expected_with_rota.unwrap();
        assert!(with_rota.service_level < 0.8);
        assert!(p.expected.unwrap().service_level >= 0.8);
    }
}
