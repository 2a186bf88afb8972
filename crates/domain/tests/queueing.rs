//! The queueing maths checked against answers worked out independently: Erlang C against the
//! textbook closed form (by hand for small cases, summed in logarithms for large ones), and
//! Erlang A against a direct numerical solution of the same queue as a birth-death chain.

use domain::capacity::erlang::{Model, Target, Traffic, erlang_a, erlang_c, fewest_agents};

fn traffic(calls: f64, interval_seconds: f64, aht: f64) -> Traffic {
    Traffic::parse(calls, interval_seconds, aht).unwrap()
}

/// Traffic of `load` Erlangs: calls of 1 second each, over a minute.
fn erlangs(load: f64) -> Traffic {
    traffic(load * 60.0, 60.0, 1.0)
}

/// The textbook Erlang C, C = (aⁿ/n!·n/(n−a)) / (Σ_{k<n} aᵏ/k! + aⁿ/n!·n/(n−a)), with every
/// term in logarithms.
fn textbook_c(a: f64, n: u32) -> f64 {
    let ln_fact = |k: u32| (1..=k).map(|i| f64::from(i).ln()).sum::<f64>();
    let mut ln_terms: Vec<f64> = (0..n).map(|k| f64::from(k) * a.ln() - ln_fact(k)).collect();
    let ln_top = f64::from(n) * a.ln() - ln_fact(n) + (f64::from(n) / (f64::from(n) - a)).ln();
    ln_terms.push(ln_top);
    let max = ln_terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let ln_sum = max + ln_terms.iter().map(|t| (t - max).exp()).sum::<f64>().ln();
    (ln_top - ln_sum).exp()
}

#[test]
fn erlang_c_equals_hand_computed_values() {
    // (load, agents, C worked out by hand as a fraction)
    let cases = [
        (0.5, 1, 0.5),          // M/M/1: C = ρ
        (1.0, 2, 1.0 / 3.0),    // 1 / (2 + 1)
        (2.0, 3, 4.0 / 9.0),    // 4 / (1 + 2 + 2 + 4)
        (3.0, 5, 81.0 / 343.0), // (81/16) / (343/16)
        (1.0, 3, 1.0 / 11.0),   // (1/4) / (1 + 1 + 1/2 + 1/4)
    ];
    for (a, n, want) in cases {
        let got = erlang_c(&erlangs(a), n, 0.0).unwrap().waiting_probability;
        assert!((got - want).abs() < 1e-9, "a={a} n={n}: {got} vs {want}");
    }
}

#[test]
fn erlang_c_equals_the_textbook_form_for_large_queues() {
    for (a, n) in [
        (10.0, 12),
        (50.0, 55),
        (99.5, 110),
        (333.3, 350),
        (1000.0, 1040),
        (2500.0, 2560),
    ] {
        let got = erlang_c(&erlangs(a), n, 0.0).unwrap().waiting_probability;
        let want = textbook_c(a, n);
        assert!((got - want).abs() < 1e-9, "a={a} n={n}: {got} vs {want}");
    }
    // Service level and speed of answer follow from C: SL = 1 − C·e^{−(n−a)T/AHT}.
    let t = traffic(2000.0, 1800.0, 300.0);
    let p = erlang_c(&t, 350, 20.0).unwrap();
    let a = 2000.0 * 300.0 / 1800.0;
    let c = textbook_c(a, 350);
    assert!((p.service_level - (1.0 - c * (-(350.0 - a) * 20.0 / 300.0_f64).exp())).abs() < 1e-9);
    assert!((p.average_wait_seconds - c * 300.0 / (350.0 - a)).abs() < 1e-9);
}

#[test]
fn erlang_c_stays_finite_and_monotone_past_a_thousand_agents() {
    let t = erlangs(1500.0);
    let mut last = erlang_c(&t, 1501, 0.01).unwrap();
    for n in 1502..1700 {
        let p = erlang_c(&t, n, 0.01).unwrap();
        assert!(p.waiting_probability.is_finite() && p.service_level.is_finite());
        assert!(
            p.waiting_probability < last.waiting_probability,
            "C rose at {n}"
        );
        assert!(p.service_level > last.service_level, "SL fell at {n}");
        assert!(p.average_wait_seconds < last.average_wait_seconds);
        last = p;
    }
    assert!(last.waiting_probability < 1e-6);
}

/// The M/M/n+M queue solved as a birth-death chain truncated far past where any mass is left,
/// and the chance an arrival is answered within `t` by uniformising the arrival's own
/// absorbing chain (waiting with i ahead → answered / hung up).
struct Chain {
    waiting: f64,
    abandonment: f64,
    service_level: f64,
}

fn solve_chain(lambda: f64, mu: f64, theta: f64, n: u32, t: f64) -> Chain {
    let n_f = f64::from(n);
    // Unnormalised stationary probabilities from the balance of each cut, in logarithms.
    let mut ln_p = vec![0.0_f64];
    let mut k = 0u32;
    loop {
        let next = k + 1;
        let death = f64::from(next.min(n)) * mu + f64::from(next.saturating_sub(n)) * theta;
        let v = ln_p[k as usize] + (lambda / death).ln();
        ln_p.push(v);
        k = next;
        let max = ln_p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if k > n && death > lambda && v - max < -60.0 {
            break;
        }
    }
    let max = ln_p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let p: Vec<f64> = ln_p.iter().map(|l| (l - max).exp()).collect();
    let total: f64 = p.iter().sum();
    let p: Vec<f64> = p.iter().map(|x| x / total).collect();
    let waiting: f64 = p[n as usize..].iter().sum();
    let queue: f64 = p
        .iter()
        .enumerate()
        .skip(n as usize)
        .map(|(k, x)| (k as f64 - n_f) * x)
        .sum();
    let abandonment = theta * queue / lambda;

    // An arrival finding n + i in the system waits with i ahead.
    let ahead = p.len() - n as usize;
    let mut v: Vec<f64> = p[n as usize..].to_vec();
    let big = n_f * mu + (ahead as f64 + 1.0) * theta;
    let mean_jumps = big * t;
    let mut answered = 0.0;
    // Poisson(mean_jumps) weights, started in logarithms so large means do not underflow.
    let jumps = (mean_jumps + 12.0 * mean_jumps.sqrt() + 60.0) as usize;
    let mut ln_w = -mean_jumps;
    let mut tail = 1.0;
    for m in 0..=jumps {
        if m > 0 {
            ln_w += (mean_jumps / m as f64).ln();
        }
        let w = ln_w.exp();
        let mut next = vec![0.0; ahead];
        let mut newly = 0.0;
        for i in 0..ahead {
            let mass = v[i];
            if mass == 0.0 {
                continue;
            }
            let down = n_f * mu + i as f64 * theta;
            if i == 0 {
                newly += mass * down / big;
            } else {
                next[i - 1] += mass * down / big;
            }
            next[i] += mass * (1.0 - (down + theta) / big);
        }
        // Answered on jump m+1: counts if at least m+1 jumps happened by t.
        tail -= w;
        answered += newly * tail;
        v = next;
    }
    Chain {
        waiting,
        abandonment,
        service_level: (1.0 - waiting) + answered,
    }
}

#[test]
fn erlang_a_agrees_with_the_birth_death_chain() {
    // (calls per half hour, AHT, patience, agents, target answer seconds)
    let cases = [
        (100.0, 180.0, 120.0, 12, 20.0),
        (400.0, 240.0, 120.0, 50, 20.0),
        (400.0, 240.0, 600.0, 45, 30.0),
        (2000.0, 300.0, 600.0, 330, 20.0),
        (2000.0, 300.0, 300.0, 345, 60.0),
        (500.0, 300.0, 60.0, 50, 30.0), // overloaded: many hang up
        (30.0, 400.0, 90.0, 3, 10.0),
    ];
    for (calls, aht, patience, n, target) in cases {
        let t = traffic(calls, 1800.0, aht);
        let got = erlang_a(&t, n, patience, target);
        let want = solve_chain(calls / 1800.0, 1.0 / aht, 1.0 / patience, n, target);
        let case = format!("{calls} calls, AHT {aht}, patience {patience}, {n} agents");
        assert!(
            (got.waiting_probability - want.waiting).abs() < 1e-6,
            "{case}: P(wait) {} vs {}",
            got.waiting_probability,
            want.waiting
        );
        let ab = got.abandonment.unwrap();
        assert!(
            (ab - want.abandonment).abs() < 1e-6,
            "{case}: P(abandon) {ab} vs {}",
            want.abandonment
        );
        assert!(
            (got.service_level - want.service_level).abs() < 1e-6,
            "{case}: SL {} vs {}",
            got.service_level,
            want.service_level
        );
    }
}

#[test]
fn the_fewest_agents_under_erlang_a_meet_every_limit_and_one_fewer_does_not() {
    let t = traffic(1200.0, 1800.0, 300.0);
    let target = Target::parse(20.0, 0.8, Some(0.95), Some(0.05)).unwrap();
    let model = Model::erlang_a(180.0).unwrap();
    let p = fewest_agents(&t, &target, model).unwrap();
    assert!(p.service_level >= 0.8 && p.abandonment.unwrap() <= 0.05 && p.occupancy <= 0.95);
    let fewer = erlang_a(&t, p.agents - 1, 180.0, 20.0);
    assert!(
        fewer.service_level < 0.8 || fewer.abandonment.unwrap() > 0.05 || fewer.occupancy > 0.95
    );
}
