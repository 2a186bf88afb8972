//! How many calls the helpline will get, each half hour of a coming week.
//!
//! The model is the one a planner would draw by hand, made exact:
//! - **weekly shape**: each interval's share of its week, averaged over recent weeks with more
//!   weight on the latest, so Monday morning's peak and the quiet nights are learned;
//! - **level and trend**: a straight line through recent weekly totals (each total first
//!   corrected for its bank holidays), carried forward;
//! - **bank holidays** from the calendar: a bank holiday is shaped like the bank holidays in
//!   the history, or like a Sunday when there are none yet;
//! - **our own messages**: callers phone back after an update. What share of recipients do,
//!   and how many hours later, is learned from history ([`CallBacks`]) and added on top for
//!   every message due to go out and every what-if ([`Send`]). Routine call-backs stay in the
//!   history the shape is learned from: messages go out every day, so the extra is an upper
//!   bound, on the side of more people on the phones.
//!
//! Its accuracy is measured on held-out weeks against the seasonal-naive forecast (the same
//! interval last week): see [`backtest`].

use super::week::{SLOTS_PER_DAY, SLOTS_PER_WEEK, Week};
use crate::calendar::Calendar;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// Weeks of history the shape and the trend are learned from.
const SHAPE_WEEKS: usize = 12;
const TREND_WEEKS: usize = 12;
/// How much less each older week counts in the shape.
const DECAY: f64 = 0.85;

/// Calls offered in each interval of one week (Monday 00:00 first).
#[derive(Debug, Clone, PartialEq)]
pub struct WeekOfCalls {
    pub week: Week,
    pub calls: Vec<f64>,
}

/// Why no forecast can be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForecastError {
    #[error("the forecast needs at least one whole week of call history before {0}")]
    NoHistory(String),
}

/// The week's days that are bank holidays.
fn holidays(week: Week, calendar: &Calendar) -> [bool; 7] {
    std::array::from_fn(|d| {
        let date = week.day(d);
        calendar.holiday(date).is_some()
    })
}

/// Forecast calls per interval of `week` from the weeks before it (oldest first; only those
/// before `week` are used, so a forecast of a past week shows what could have been known).
pub fn forecast(
    history: &[WeekOfCalls],
    week: Week,
    calendar: &Calendar,
) -> Result<Vec<f64>, ForecastError> {
    let past: Vec<&WeekOfCalls> = history
        .iter()
        .filter(|w| w.week < week && w.calls.len() == SLOTS_PER_WEEK)
        .collect();
    let Some(last) = past.last() else {
        return Err(ForecastError::NoHistory(week.label()));
    };
    let recent = &past[past.len().saturating_sub(SHAPE_WEEKS)..];

    // The shape: each interval's share of its week, from days that were not holidays.
    let mut share = vec![0.0; SLOTS_PER_WEEK];
    let mut weight = vec![0.0; SLOTS_PER_WEEK];
    for (age, w) in recent.iter().rev().enumerate() {
        let total: f64 = w.calls.iter().sum();
        if total <= 0.0 {
            continue;
        }
        let k = DECAY.powi(age as i32);
        let off = holidays(w.week, calendar);
        for (slot, calls) in w.calls.iter().enumerate() {
            if !off[slot / SLOTS_PER_DAY] {
                share[slot] += k * calls / total;
                weight[slot] += k;
            }
        }
    }
    for (s, w) in share.iter_mut().zip(&weight) {
        if *w > 0.0 {
            *s /= w;
        }
    }
    let sum: f64 = share.iter().sum();
    if sum > 0.0 {
        share.iter_mut().for_each(|s| *s /= sum);
    }

    // Each week's total as if it had no holidays, then a line through the recent ones.
    let normal_total = |w: &WeekOfCalls| -> Option<f64> {
        let off = holidays(w.week, calendar);
        let (mut calls, mut expected) = (0.0, 0.0);
        for (slot, c) in w.calls.iter().enumerate() {
            if !off[slot / SLOTS_PER_DAY] {
                calls += c;
                expected += share[slot];
            }
        }
        (expected > 0.0).then(|| calls / expected)
    };
    let trend_from = &past[past.len().saturating_sub(TREND_WEEKS)..];
    let points: Vec<(f64, f64)> = trend_from
        .iter()
        .filter_map(|w| normal_total(w).map(|t| (last.week.weeks_until(w.week) as f64, t)))
        .collect();
    let ahead = last.week.weeks_until(week) as f64;
    let level = line_at(&points, ahead).max(0.0);

    // A bank holiday's shape: like past bank holidays if there were any, or like a Sunday.
    let sunday = 6 * SLOTS_PER_DAY;
    let mut holiday_shape: Vec<f64> = share[sunday..].to_vec();
    let mut seen = 0.0;
    let mut learned = vec![0.0; SLOTS_PER_DAY];
    for w in recent {
        let Some(total) = normal_total(w) else {
            continue;
        };
        if total <= 0.0 {
            continue;
        }
        for (d, off) in holidays(w.week, calendar).iter().enumerate() {
            if *off && d < 5 {
                seen += 1.0;
                let day = &w.calls[d * SLOTS_PER_DAY..(d + 1) * SLOTS_PER_DAY];
                for (l, c) in learned.iter_mut().zip(day) {
                    *l += c / total;
                }
            }
        }
    }
    if seen > 0.0 {
        holiday_shape = learned.iter().map(|s| s / seen).collect();
    }

    let off = holidays(week, calendar);
    Ok((0..SLOTS_PER_WEEK)
        .map(|slot| {
            let (d, h) = (slot / SLOTS_PER_DAY, slot % SLOTS_PER_DAY);
            level
                * if off[d] && d < 6 {
                    holiday_shape[h]
                } else {
                    share[slot]
                }
        })
        .collect())
}

/// The least-squares line through the points, read at `x`; flat through one point.
fn line_at(points: &[(f64, f64)], x: f64) -> f64 {
    let n = points.len() as f64;
    if points.is_empty() {
        return 0.0;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if points.len() < 3 || sxx == 0.0 {
        return my;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    my + sxy / sxx * (x - mx)
}

/// The seasonal-naive forecast: each interval as it was a week before.
pub fn seasonal_naive(history: &[WeekOfCalls], week: Week) -> Option<Vec<f64>> {
    history
        .iter()
        .find(|w| w.week == week.previous() && w.calls.len() == SLOTS_PER_WEEK)
        .map(|w| w.calls.clone())
}

/// How close a forecast came on held-out weeks, beside the seasonal-naive forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accuracy {
    pub weeks: Vec<String>,
    pub calls: f64,
    /// Weighted absolute percentage error: Σ|forecast − actual| / Σ actual.
    pub wape: f64,
    pub naive_wape: f64,
    /// How much smaller our error is than the naive one's (0.25: a quarter smaller).
    pub improvement: f64,
}

/// Forecasts each of the last `holdout` weeks of the history from the weeks before it and
/// compares with what happened. `None` without enough history to hold any week out.
pub fn backtest(history: &[WeekOfCalls], holdout: usize, calendar: &Calendar) -> Option<Accuracy> {
    let full: Vec<&WeekOfCalls> = history
        .iter()
        .filter(|w| w.calls.len() == SLOTS_PER_WEEK)
        .collect();
    // Each held-out week needs at least two weeks before it.
    let holdout = holdout.min(full.len().saturating_sub(2));
    if holdout == 0 {
        return None;
    }
    let (mut err, mut naive_err, mut calls) = (0.0, 0.0, 0.0);
    let mut weeks = Vec::new();
    for actual in &full[full.len() - holdout..] {
        let (Ok(f), Some(n)) = (
            forecast(history, actual.week, calendar),
            seasonal_naive(history, actual.week),
        ) else {
            continue;
        };
        weeks.push(actual.week.label());
        for ((a, f), n) in actual.calls.iter().zip(&f).zip(&n) {
            err += (f - a).abs();
            naive_err += (n - a).abs();
            calls += a;
        }
    }
    if calls <= 0.0 {
        return None;
    }
    let (wape, naive_wape) = (err / calls, naive_err / calls);
    Some(Accuracy {
        weeks,
        calls,
        wape,
        naive_wape,
        improvement: if naive_wape > 0.0 {
            1.0 - wape / naive_wape
        } else {
            0.0
        },
    })
}

/// Intervals after a message in which its call-backs are counted: a day.
pub const CALL_BACK_SLOTS: usize = SLOTS_PER_DAY;

/// Messages of a kind needed before its own call-back rate is trusted.
pub const LEARN_FROM_MESSAGES: u64 = 30;
/// Call-backs needed before their timing is learned rather than assumed.
const LEARN_LAG_FROM: u64 = 10;

/// What history says about people phoning after we message them.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct CallBacks {
    /// For each kind of message: messages sent, and how many were followed by a call from
    /// the recipient's number within a day.
    pub by_kind: BTreeMap<String, KindCallBacks>,
    /// Of the call-backs, the share in each half hour after the message (0: the first).
    pub lag: Vec<f64>,
    /// The rate for a kind without enough history: all kinds' together, or the configured
    /// rate until there are enough messages.
    pub default_rate: f64,
    /// Whether `default_rate` and `lag` come from history (false: assumed).
    pub learned: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindCallBacks {
    pub messages: u64,
    pub called_back: u64,
    pub rate: f64,
}

impl CallBacks {
    /// From counts: per kind (messages sent, followed by a call), and call-backs per half
    /// hour after the message. `assumed_rate` stands in until there is enough history; the
    /// timing is then assumed to fall away by 30% each half hour.
    pub fn learn(
        by_kind: &BTreeMap<String, (u64, u64)>,
        lag_counts: &[u64],
        assumed_rate: f64,
    ) -> Self {
        let called: u64 = lag_counts.iter().sum();
        let lag: Vec<f64> = if called >= LEARN_LAG_FROM {
            (0..CALL_BACK_SLOTS)
                .map(|i| lag_counts.get(i).copied().unwrap_or(0) as f64 / called as f64)
                .collect()
        } else {
            let raw: Vec<f64> = (0..CALL_BACK_SLOTS)
                .map(|i| 0.7_f64.powi(i as i32))
                .collect();
            let sum: f64 = raw.iter().sum();
            raw.iter().map(|r| r / sum).collect()
        };
        let (messages, called_back) = by_kind
            .values()
            .fold((0, 0), |(m, c), &(km, kc)| (m + km, c + kc));
        let learned = messages >= LEARN_FROM_MESSAGES;
        Self {
            by_kind: by_kind
                .iter()
                .map(|(k, &(messages, called_back))| {
                    let rate = if messages == 0 {
                        0.0
                    } else {
                        called_back as f64 / messages as f64
                    };
                    (
                        k.clone(),
                        KindCallBacks {
                            messages,
                            called_back,
                            rate,
                        },
                    )
                })
                .collect(),
            lag,
            default_rate: if learned {
                called_back as f64 / messages as f64
            } else {
                assumed_rate
            },
            learned,
        }
    }

    /// The share of recipients of a kind of message who phone within a day.
    pub fn rate(&self, kind: &str) -> f64 {
        match self.by_kind.get(kind) {
            Some(k) if k.messages >= LEARN_FROM_MESSAGES => k.rate,
            _ => self.default_rate,
        }
    }
}

/// Messages going out: scheduled ones, or a what-if ("5,000 updates on Monday at 09:00").
#[derive(Debug, Clone, PartialEq)]
pub struct Send {
    pub at: DateTime<Utc>,
    pub kind: String,
    pub count: f64,
}

/// The calls the sends will bring into each interval of `week`.
pub fn induced(week: Week, sends: &[Send], call_backs: &CallBacks) -> Vec<f64> {
    let mut calls = vec![0.0; SLOTS_PER_WEEK];
    for s in sends {
        let expected = s.count * call_backs.rate(&s.kind);
        if expected <= 0.0 {
            continue;
        }
        for (lag, share) in call_backs.lag.iter().enumerate() {
            // By the clock on the wall: across a clock change the lag stays in real time.
            let at = s.at + TimeDelta::minutes(30 * lag as i64);
            if let Some(i) = week.slot_of(at) {
                calls[i] += expected * share;
            }
        }
    }
    calls
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn calendar() -> Calendar {
        Calendar::with_overrides(&BTreeMap::new(), 0)
    }

    fn flat_week(week: Week, per_slot: f64) -> WeekOfCalls {
        WeekOfCalls {
            week,
            calls: vec![per_slot; SLOTS_PER_WEEK],
        }
    }

    #[test]
    fn no_history_is_an_error_that_says_so() {
        let w = Week::parse("2026-W49").unwrap();
        let e = forecast(&[], w, &calendar()).unwrap_err();
        assert!(e.to_string().contains("2026-W49"));
    }

    #[test]
    fn a_steady_rise_is_carried_forward() {
        let first = Week::parse("2026-W10").unwrap();
        let mut history = Vec::new();
        let mut w = first;
        for i in 0..6 {
            history.push(flat_week(w, 10.0 + f64::from(i)));
            w = w.next();
        }
        // Weeks 10..15 had 10..15 calls an interval; week 16 should have 16.
        let f = forecast(&history, w, &calendar()).unwrap();
        assert!((f[100] - 16.0).abs() < 1e-9, "{}", f[100]);
    }

    #[test]
    fn a_bank_holiday_is_shaped_like_a_sunday_without_history_of_holidays() {
        // Busy weekdays, quiet Sundays; 25 December 2026 is a Friday.
        let mut history = Vec::new();
        let mut w = Week::containing(NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
        for _ in 0..6 {
            let calls = (0..SLOTS_PER_WEEK)
                .map(|s| if s / SLOTS_PER_DAY == 6 { 1.0 } else { 10.0 })
                .collect();
            history.push(WeekOfCalls { week: w, calls });
            w = w.next();
        }
        let christmas = Week::containing(NaiveDate::from_ymd_opt(2026, 12, 25).unwrap());
        let f = forecast(&history, christmas, &calendar()).unwrap();
        let friday_noon = 4 * SLOTS_PER_DAY + 24;
        let thursday_noon = 3 * SLOTS_PER_DAY + 24;
        assert!(f[friday_noon] < f[thursday_noon] / 5.0);
    }

    #[test]
    fn sends_raise_the_intervals_after_them() {
        let w = Week::parse("2026-W49").unwrap();
        let mut lag = vec![0; CALL_BACK_SLOTS];
        lag[1] = 30;
        lag[0] = 10;
        let by_kind = BTreeMap::from([("update".to_owned(), (100, 10))]);
        let cb = CallBacks::learn(&by_kind, &lag, 0.5);
        let at = w.slot_start(18);
        let calls = induced(
            w,
            &[Send {
                at,
                kind: "update".into(),
                count: 5000.0,
            }],
            &cb,
        );
        assert!((calls[18] - 125.0).abs() < 1e-9);
        assert!((calls[19] - 375.0).abs() < 1e-9);
        assert_eq!(calls[17], 0.0);
        assert!((calls.iter().sum::<f64>() - 500.0).abs() < 1e-9);
    }

    #[test]
    fn without_history_the_configured_rate_stands_in() {
        let cb = CallBacks::learn(&BTreeMap::new(), &[], 0.05);
        assert!(!cb.learned);
        assert!((cb.rate("charged") - 0.05).abs() < 1e-12);
        assert!((cb.lag.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(cb.lag[0] > cb.lag[1] && cb.lag[1] > cb.lag[2]);
    }
}
