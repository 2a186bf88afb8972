//! The forecast against the seasonal-naive forecast, on a generated history whose true
//! seasonality, trend and noise are known.

use chrono::NaiveDate;
use domain::calendar::Calendar;
use domain::capacity::forecast::{CallBacks, Send, WeekOfCalls, backtest, forecast, induced};
use domain::capacity::week::{SLOTS_PER_DAY, SLOTS_PER_WEEK, Week};
use rand::SeedableRng as _;
use rand_distr::{Distribution as _, Poisson};
use std::collections::BTreeMap;

/// Calls expected in an interval: busy weekday mornings, quiet nights, quieter weekends, and
/// 1% more each week.
fn true_rate(week_index: usize, slot: usize) -> f64 {
    let (day, half) = (slot / SLOTS_PER_DAY, slot % SLOTS_PER_DAY);
    let hour = half as f64 / 2.0;
    let daytime =
        (-((hour - 11.0) / 4.0).powi(2)).exp() + 0.4 * (-((hour - 18.0) / 2.5).powi(2)).exp();
    let day_factor = [1.3, 1.1, 1.0, 1.0, 0.95, 0.6, 0.5][day];
    (2.0 + 40.0 * daytime) * day_factor * (1.0 + 0.01 * week_index as f64)
}

fn history(weeks: usize, first: Week, seed: u64) -> Vec<WeekOfCalls> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut w = first;
    (0..weeks)
        .map(|i| {
            let calls = (0..SLOTS_PER_WEEK)
                .map(|s| Poisson::new(true_rate(i, s)).unwrap().sample(&mut rng))
                .collect();
            let out = WeekOfCalls { week: w, calls };
            w = w.next();
            out
        })
        .collect()
}

fn calendar() -> Calendar {
    Calendar::with_overrides(&BTreeMap::new(), 0)
}

#[test]
fn the_forecast_beats_seasonal_naive_on_held_out_weeks() {
    // Sixteen weeks from September (no bank holidays in the held-out weeks), four held out.
    let first = Week::containing(NaiveDate::from_ymd_opt(2026, 8, 31).unwrap());
    let h = history(16, first, 7);
    let acc = backtest(&h, 4, &calendar()).unwrap();
    println!(
        "held-out weeks {:?}: WAPE {:.3} against seasonal-naive {:.3}: {:.0}% smaller",
        acc.weeks,
        acc.wape,
        acc.naive_wape,
        acc.improvement * 100.0
    );
    assert_eq!(acc.weeks.len(), 4);
    // Poisson noise alone makes naive's error about √2 times ours: demand at least 20% less.
    assert!(
        acc.improvement >= 0.20,
        "only {:.1}% better",
        acc.improvement * 100.0
    );
    // And it is close to the truth in absolute terms.
    assert!(acc.wape < 0.22, "WAPE {}", acc.wape);
}

#[test]
fn a_simulated_send_raises_the_forecast_in_the_hours_after_it() {
    let first = Week::containing(NaiveDate::from_ymd_opt(2026, 8, 31).unwrap());
    let h = history(12, first, 11);
    let week = first;
    let target = (0..12).fold(week, |w, _| w.next());
    let base = forecast(&h, target, &calendar()).unwrap();
    // 4% of update recipients phone back, most within two hours.
    let mut lag = vec![0_u64; 48];
    lag[..4].copy_from_slice(&[40, 30, 20, 10]);
    let cb = CallBacks::learn(
        &BTreeMap::from([("update".to_owned(), (1000, 40))]),
        &lag,
        0.5,
    );
    let monday_9 = 18;
    let extra = induced(
        target,
        &[Send {
            at: target.slot_start(monday_9),
            kind: "update".into(),
            count: 5000.0,
        }],
        &cb,
    );
    let total: f64 = extra.iter().sum();
    assert!(
        (total - 200.0).abs() < 1e-9,
        "5,000 × 4% is 200 calls, not {total}"
    );
    assert!(
        extra[monday_9] > 0.2 * base[monday_9],
        "the first half hour rises by {}",
        extra[monday_9]
    );
    assert_eq!(extra[monday_9 - 1], 0.0, "nobody phones before the message");
    assert_eq!(extra[monday_9 + 4], 0.0);
}
