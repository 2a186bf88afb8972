//! `victimcare bench capacity`: how long a week's staffing plan takes, and one Erlang C
//! evaluation beside pyworkforce's on the same inputs.

use domain::capacity::erlang::{self, Model, Target, Traffic};
use domain::capacity::plan::{Settings, plan_week};
use domain::capacity::week::{SLOTS_PER_DAY, SLOTS_PER_WEEK, Week};
use serde_json::json;
use std::process::Command;
use std::time::Instant;

/// A busy week: nights of a few calls, weekday peaks of 2,000 calls a half hour.
fn busy_week() -> Vec<f64> {
    (0..SLOTS_PER_WEEK)
        .map(|slot| {
            let (day, half) = (slot / SLOTS_PER_DAY, slot % SLOTS_PER_DAY);
            let hour = half as f64 / 2.0;
            let shape = (-((hour - 11.0) / 3.5).powi(2)).exp();
            let day_factor = [1.0, 0.9, 0.85, 0.85, 0.8, 0.5, 0.4][day];
            (5.0 + 1995.0 * shape * day_factor).round()
        })
        .collect()
}

/// The Erlang C inputs both sides evaluate: (calls per 30 minutes, AHT, agents).
pub const ERLANG_C_CASES: [(f64, f64, u32); 6] = [
    (100.0, 180.0, 14),
    (400.0, 240.0, 60),
    (800.0, 300.0, 140),
    (1200.0, 300.0, 210),
    (2000.0, 300.0, 350),
    (2000.0, 300.0, 400),
];

pub fn capacity(rounds: usize) -> anyhow::Result<()> {
    let rounds = rounds.max(1);
    let week = Week::parse("2026-W49").map_err(|p| anyhow::anyhow!(p.problem))?;
    let calls = busy_week();
    let settings = Settings {
        target: Target::parse(20.0, 0.8, Some(0.9), Some(0.05))
            .map_err(|p| anyhow::anyhow!(p.problem))?,
        model: Model::erlang_a(180.0).map_err(|p| anyhow::anyhow!(p.problem))?,
        handle_seconds: 300.0,
        shrinkage: 0.3,
        min_agents: 1,
    };
    let none = vec![0.0; SLOTS_PER_WEEK];
    let mut times = Vec::with_capacity(rounds);
    let mut peak = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let plan = plan_week(week, &calls, &none, &[], &[], &settings)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        peak = plan.iter().map(|i| i.required).max().unwrap_or(0);
    }
    times.sort_by(f64::total_cmp);
    let median_ms = times[times.len() / 2];
    println!(
        "Planned a week of 336 half hours (up to 2,000 calls each; peak needs {peak} agents) \
         with Erlang A {rounds} times: median {median_ms:.2} ms, fastest {:.2} ms (aim: under 50 ms).",
        times[0]
    );

    // One Erlang C evaluation: waiting probability, service level, speed of answer.
    let reps = 20_000;
    let t = Instant::now();
    let mut sink = 0.0;
    for _ in 0..reps {
        for (calls, aht, agents) in ERLANG_C_CASES {
            let traffic =
                Traffic::parse(calls, 1800.0, aht).map_err(|p| anyhow::anyhow!(p.problem))?;
            if let Some(p) = erlang::erlang_c(&traffic, agents, 20.0) {
                sink += p.service_level + p.average_wait_seconds;
            }
        }
    }
    let ours_us = t.elapsed().as_secs_f64() * 1e6 / (reps * ERLANG_C_CASES.len()) as f64;
    std::hint::black_box(sink);
    println!("One Erlang C evaluation: {ours_us:.3} µs.");

    let theirs_us = pyworkforce_us();
    match theirs_us {
        Some(us) => println!(
            "pyworkforce 0.5.1 on the same inputs: {us:.3} µs: victimcare is {:.0} times faster.",
            us / ours_us
        ),
        None => println!(
            "pyworkforce is not installed for python3 (pip install pyworkforce==0.5.1), so \
             there is nothing to compare with."
        ),
    }
    println!(
        "{}",
        json!({
            "plan_week_erlang_a_ms_median": median_ms,
            "plan_week_erlang_a_ms_fastest": times[0],
            "peak_agents": peak,
            "erlang_c_evaluation_us": ours_us,
            "pyworkforce_erlang_c_evaluation_us": theirs_us,
            "ratio": theirs_us.map(|us| us / ours_us),
        })
    );
    Ok(())
}

/// Times pyworkforce's ErlangC on the same inputs, if Python has it (`VICTIMCARE_PYTHON`
/// names the interpreter; `python3` otherwise).
fn pyworkforce_us() -> Option<f64> {
    let python = std::env::var("VICTIMCARE_PYTHON").unwrap_or_else(|_| "python3".into());
    let cases: Vec<String> = ERLANG_C_CASES
        .iter()
        .map(|(c, a, n)| format!("({c}, {a}, {n})"))
        .collect();
    let script = format!(
        r#"
import json, time
from pyworkforce.queuing import ErlangC
cases = [{cases}]
reps = 300
t = time.perf_counter()
for _ in range(reps):
    for calls, aht, agents in cases:
        e = ErlangC(transactions=calls, aht=aht / 60, asa=20 / 60, interval=30)
        e.service_level(positions=agents)
        e.achieved_occupancy(positions=agents)
us = (time.perf_counter() - t) * 1e6 / (reps * len(cases))
levels = [ErlangC(transactions=c, aht=a / 60, asa=20 / 60, interval=30).service_level(positions=n)
          for c, a, n in cases]
print(json.dumps({{"us": us, "service_levels": levels}}))
"#,
        cases = cases.join(", ")
    );
    let out = Command::new(python).arg("-c").arg(script).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    // Both sides must be computing the same thing for the times to mean anything.
    let theirs: Vec<f64> = serde_json::from_value(v["service_levels"].clone()).ok()?;
    let gap = ERLANG_C_CASES
        .iter()
        .zip(&theirs)
        .filter_map(|((calls, aht, agents), t)| {
            let traffic = Traffic::parse(*calls, 1800.0, *aht).ok()?;
            erlang::erlang_c(&traffic, *agents, 20.0).map(|p| (p.service_level - t).abs())
        })
        .fold(0.0_f64, f64::max);
    println!(
        "Largest difference in service level from pyworkforce's on the same inputs: {gap:.1e}."
    );
    v["us"].as_f64()
}
