//! A made-up history of calls to the helpline: busy weekday mornings, quiet nights, quieter
//! weekends, fewer on bank holidays, and a few callers who give up waiting.

use chrono::{DateTime, Datelike, TimeDelta, Timelike, Utc, Weekday};
use chrono_tz::Europe::London;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp, Poisson};

/// One call as the telephony platform would report it.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub id: String,
    pub at: DateTime<Utc>,
    pub wait_seconds: i32,
    pub talk_seconds: i32,
    pub wrap_seconds: i32,
    pub answered: bool,
}

/// Expected calls in the half hour starting at `at`, for a helpline taking about `per_day`
/// calls on an ordinary weekday.
pub fn expected(at: DateTime<Utc>, per_day: f64) -> f64 {
    let local = at.with_timezone(&London);
    let hour = f64::from(local.hour()) + f64::from(local.minute()) / 60.0;
    let day = match local.weekday() {
        Weekday::Mon => 1.25,
        Weekday::Tue => 1.1,
        Weekday::Wed | Weekday::Thu => 1.0,
        Weekday::Fri => 0.9,
        Weekday::Sat => 0.45,
        Weekday::Sun => 0.35,
    };
    let shape = 0.03
        + (-((hour - 10.5) / 2.5).powi(2)).exp()
        + 0.6 * (-((hour - 15.0) / 2.0).powi(2)).exp()
        + 0.3 * (-((hour - 19.0) / 1.5).powi(2)).exp();
    // The shape sums to about 16.2 over a day's 48 half hours.
    per_day * day * shape / 16.2
}

/// Calls from `from` to `to`, in time order. The same seed gives the same calls.
pub fn history(seed: u64, from: DateTime<Utc>, to: DateTime<Utc>, per_day: f64) -> Vec<Call> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let talk = Exp::new(1.0 / 240.0).expect("a positive rate");
    let patience = Exp::new(1.0 / 150.0).expect("a positive rate");
    let mut out = Vec::new();
    let mut t = from;
    let mut n = 0_u64;
    while t < to {
        let mean = expected(t, per_day);
        let calls = Poisson::new(mean.max(1e-9))
            .map(|p| p.sample(&mut rng) as u64)
            .unwrap_or(0);
        for _ in 0..calls {
            n += 1;
            let at = t + TimeDelta::seconds(rng.random_range(0..1800));
            // Busier half hours keep people waiting longer.
            let wait = (rng.random_range(0.0..1.0_f64) * (5.0 + mean * 1.5)) as i32;
            let gave_up = f64::from(wait) > patience.sample(&mut rng);
            out.push(Call {
                id: format!("DEMO-{n:08}"),
                at,
                wait_seconds: wait,
                talk_seconds: if gave_up {
                    0
                } else {
                    60 + talk.sample(&mut rng) as i32
                },
                wrap_seconds: if gave_up { 0 } else { rng.random_range(20..90) },
                answered: !gave_up,
            });
        }
        t += TimeDelta::minutes(30);
    }
    out.sort_by_key(|c| c.at);
    out
}
