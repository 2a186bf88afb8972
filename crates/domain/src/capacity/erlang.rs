//! Queueing maths for the helpline: how many people answer the phone so that callers are
//! answered in time.
//!
//! - **Erlang C** (M/M/n): callers wait as long as it takes.
//! - **Erlang A** (M/M/n+M): callers hang up after an exponentially distributed patience,
//!   which is what really happens and why Erlang C over-staffs a busy queue.
//!
//! Both are computed from the recursive Erlang B form and, for Erlang A, from the series of
//! the incomplete gamma function summed in logarithms, so nothing overflows at thousands of
//! agents. The Erlang A waiting-time distribution is the closed form of Mandelbaum & Zeltyn
//! (derived again in `docs/decisions.md`, #13).
//!
//! Service level is strict: the share of *all* callers answered within the target, so a
//! caller who gives up before the target counts against us, never as a success.

use crate::problem::Problem;
use serde::Serialize;

/// The calls of one interval and how long each takes to deal with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Traffic {
    calls: f64,
    interval_seconds: f64,
    handle_seconds: f64,
}

/// Calls beyond this in one interval are outside what the model is built for.
const MAX_CALLS: f64 = 1_000_000.0;
/// Nobody waits on a phone for more than an hour: the model's patience stops there.
const MAX_PATIENCE_SECONDS: f64 = 3600.0;

impl Traffic {
    pub fn parse(calls: f64, interval_seconds: f64, handle_seconds: f64) -> Result<Self, Problem> {
        if !calls.is_finite() || !(0.0..=MAX_CALLS).contains(&calls) {
            return Err(Problem::new(
                "calls",
                "must be a number of calls from 0 to 1,000,000",
            ));
        }
        if !interval_seconds.is_finite() || !(60.0..=86_400.0).contains(&interval_seconds) {
            return Err(Problem::new(
                "interval_minutes",
                "must be from 1 minute to 1 day",
            ));
        }
        if !handle_seconds.is_finite() || !(1.0..=86_400.0).contains(&handle_seconds) {
            return Err(Problem::new(
                "aht_seconds",
                "must be an average handling time from 1 second to 1 day",
            ));
        }
        Ok(Self {
            calls,
            interval_seconds,
            handle_seconds,
        })
    }

    pub fn calls(&self) -> f64 {
        self.calls
    }

    pub fn handle_seconds(&self) -> f64 {
        self.handle_seconds
    }

    /// Offered load in Erlangs: the number of agents who would be busy all the time.
    pub fn load(&self) -> f64 {
        self.calls * self.handle_seconds / self.interval_seconds
    }

    /// Calls arriving per second.
    fn arrival_rate(&self) -> f64 {
        self.calls / self.interval_seconds
    }
}

/// How callers behave in the queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Model {
    /// Callers never hang up.
    ErlangC,
    /// Callers hang up after an exponentially distributed wait with this mean.
    ErlangA { patience_seconds: f64 },
}

impl Model {
    pub fn erlang_a(patience_seconds: f64) -> Result<Self, Problem> {
        if !patience_seconds.is_finite()
            || !(1.0..=MAX_PATIENCE_SECONDS).contains(&patience_seconds)
        {
            return Err(Problem::new(
                "patience_seconds",
                "must be an average patience from 1 second to 1 hour",
            ));
        }
        Ok(Self::ErlangA { patience_seconds })
    }
}

/// The standard the helpline holds itself to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    answer_seconds: f64,
    service_level: f64,
    max_occupancy: Option<f64>,
    max_abandonment: Option<f64>,
}

impl Target {
    pub fn parse(
        answer_seconds: f64,
        service_level: f64,
        max_occupancy: Option<f64>,
        max_abandonment: Option<f64>,
    ) -> Result<Self, Problem> {
        if !answer_seconds.is_finite() || !(0.0..=3600.0).contains(&answer_seconds) {
            return Err(Problem::new(
                "target_answer_seconds",
                "must be from 0 to 3,600 seconds",
            ));
        }
        if !(service_level > 0.0 && service_level < 1.0) {
            return Err(Problem::new(
                "service_level",
                "must be a share between 0 and 1, such as 0.8 for 80%: no queue answers \
                 every call in time",
            ));
        }
        if let Some(o) = max_occupancy
            && !(0.3..=1.0).contains(&o)
        {
            return Err(Problem::new(
                "max_occupancy",
                "must be a share from 0.3 to 1, such as 0.85",
            ));
        }
        if let Some(a) = max_abandonment
            && !(a > 0.0 && a < 1.0)
        {
            return Err(Problem::new(
                "max_abandonment",
                "must be a share between 0 and 1, such as 0.05 for 5%",
            ));
        }
        Ok(Self {
            answer_seconds,
            service_level,
            max_occupancy,
            max_abandonment,
        })
    }

    pub fn answer_seconds(&self) -> f64 {
        self.answer_seconds
    }

    pub fn service_level(&self) -> f64 {
        self.service_level
    }
}

/// What callers get from a number of agents.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Performance {
    pub agents: u32,
    /// Share of callers who wait at all.
    pub waiting_probability: f64,
    /// Share of all callers answered within the target answer time.
    pub service_level: f64,
    /// Erlang C: the average wait of every caller. Erlang A: the average time a caller
    /// spends waiting, until answered or until they hang up.
    pub average_wait_seconds: f64,
    /// Share of the agents' time spent on calls.
    pub occupancy: f64,
    /// Erlang A only: share of callers who hang up before being answered.
    pub abandonment: Option<f64>,
}

impl Performance {
    fn idle(agents: u32) -> Self {
        Self {
            agents,
            waiting_probability: 0.0,
            service_level: 1.0,
            average_wait_seconds: 0.0,
            occupancy: 0.0,
            abandonment: None,
        }
    }
}

/// Why no number of agents is given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CapacityError {
    #[error("no number of agents up to {tried} meets the target")]
    Unreachable { tried: u32 },
}

/// Erlang B: the chance that all `agents` are busy in a loss system with `load` Erlangs,
/// by the recursion B(k) = a·B(k−1) / (k + a·B(k−1)), which never overflows.
pub fn erlang_b(agents: u32, load: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=agents {
        b = load * b / (f64::from(k) + load * b);
    }
    b
}

/// Erlang C for a number of agents; `None` when the queue grows without end (load at or
/// above the agents).
pub fn erlang_c(traffic: &Traffic, agents: u32, answer_seconds: f64) -> Option<Performance> {
    erlang_c_with(
        traffic,
        agents,
        answer_seconds,
        erlang_b(agents, traffic.load()),
    )
}

fn erlang_c_with(
    traffic: &Traffic,
    agents: u32,
    answer_seconds: f64,
    b: f64,
) -> Option<Performance> {
    let a = traffic.load();
    if a == 0.0 {
        return Some(Performance::idle(agents));
    }
    let n = f64::from(agents);
    if a >= n {
        return None;
    }
    let waiting = b / (1.0 - (a / n) * (1.0 - b));
    let spare = n - a;
    Some(Performance {
        agents,
        waiting_probability: waiting,
        service_level: 1.0 - waiting * (-spare * answer_seconds / traffic.handle_seconds).exp(),
        average_wait_seconds: waiting * traffic.handle_seconds / spare,
        occupancy: a / n,
        abandonment: None,
    })
}

/// Erlang A for a number of agents (always defined: callers who hang up keep the queue
/// finite).
pub fn erlang_a(
    traffic: &Traffic,
    agents: u32,
    patience_seconds: f64,
    answer_seconds: f64,
) -> Performance {
    erlang_a_with(
        traffic,
        agents,
        patience_seconds,
        answer_seconds,
        erlang_b(agents, traffic.load()),
    )
}

fn erlang_a_with(
    traffic: &Traffic,
    agents: u32,
    patience_seconds: f64,
    answer_seconds: f64,
    b: f64,
) -> Performance {
    let a = traffic.load();
    if a == 0.0 {
        return Performance {
            abandonment: Some(0.0),
            ..Performance::idle(agents)
        };
    }
    let theta = 1.0 / patience_seconds;
    let n = f64::from(agents);
    let n_mu = n / traffic.handle_seconds;
    // In units of the patience: x = nμ/θ, y = λ/θ.
    let x = n_mu / theta;
    let y = traffic.arrival_rate() / theta;
    let ln_a = ln_series(x, y);
    let inv_a = (-ln_a).exp();
    // Chance an arriving caller finds every agent busy.
    let waiting = b / (inv_a + b * (1.0 - inv_a));
    let abandonment = if agents == 0 {
        1.0
    } else {
        let rho = y / x;
        (waiting * (1.0 - (1.0 - inv_a) / rho)).clamp(0.0, 1.0)
    };
    // P(still waiting at T) = q · exp(ln A(x, u) − ln A(x, y) + y(1 − e^{−θT}) − (θ + nμ)T),
    // with u = y e^{−θT}; the share who hang up by T is θ∫₀ᵀ P(W > t) dt, in closed form.
    let t = answer_seconds;
    let spent = -(-theta * t).exp_m1();
    let u = y * (1.0 - spent);
    let ln_s = y * spent - n_mu * t - ln_a;
    let r0 = ln_s.exp();
    let r = (ln_s + ln_series(x, u)).exp();
    let still_waiting = waiting * r * (-theta * t).exp();
    let hung_up_by_t = if agents == 0 {
        waiting * spent
    } else {
        (waiting / y) * ((y - x) + x * inv_a - ((u - x) * r + x * r0))
    };
    let service_level = (1.0 - still_waiting - hung_up_by_t).clamp(0.0, 1.0);
    Performance {
        agents,
        waiting_probability: waiting,
        service_level,
        average_wait_seconds: abandonment * patience_seconds,
        occupancy: if agents == 0 {
            0.0
        } else {
            (a * (1.0 - abandonment) / n).min(1.0)
        },
        abandonment: Some(abandonment),
    }
}

/// ln A(x, y), where A(x, y) = 1 + Σ_{j≥1} Π_{i=1..j} y / (x + i), which is
/// x·eʸ·y⁻ˣ·γ(x, y) (γ the lower incomplete gamma function). Summed in logarithms: the terms
/// rise while y > x + j and can be astronomically large for an overloaded queue.
fn ln_series(x: f64, y: f64) -> f64 {
    if y <= 0.0 {
        return 0.0;
    }
    let mut ln_term = 0.0_f64;
    let mut max = 0.0_f64;
    // Σ exp(ln_term − max)
    let mut sum = 1.0_f64;
    let mut i = 1.0_f64;
    loop {
        let ratio = y / (x + i);
        ln_term += ratio.ln();
        if ln_term > max {
            sum = sum * (max - ln_term).exp() + 1.0;
            max = ln_term;
        } else {
            let rel = (ln_term - max).exp();
            sum += rel;
            // Falling terms whose tail (a geometric bound) no longer shows in a double.
            if ratio < 1.0 && rel * ratio / (1.0 - ratio) < sum * 1e-17 {
                break;
            }
        }
        i += 1.0;
    }
    max + sum.ln()
}

/// The fewest agents who meet the target (and, when given, the occupancy and abandonment
/// limits), with what callers get from them. No calls need no agents.
pub fn fewest_agents(
    traffic: &Traffic,
    target: &Target,
    model: Model,
) -> Result<Performance, CapacityError> {
    let a = traffic.load();
    if a == 0.0 {
        return Ok(match model {
            Model::ErlangC => Performance::idle(0),
            Model::ErlangA { .. } => Performance {
                abandonment: Some(0.0),
                ..Performance::idle(0)
            },
        });
    }
    let occupancy = target.max_occupancy.unwrap_or(1.0);
    // Beyond this, more agents cannot help: the target is one no queue meets.
    let limit = (a / occupancy + 50.0 * a.sqrt() + 100.0).ceil() as u32;
    // Agents answer at most their own load's worth: a share s of callers answered needs at
    // least s·a agents, so the search starts there.
    let floor = match model {
        Model::ErlangC => a.floor() as u32,
        Model::ErlangA { .. } => {
            let answered = target
                .service_level
                .max(1.0 - target.max_abandonment.unwrap_or(1.0));
            ((a * answered).floor() as u32).saturating_sub(1)
        }
    };
    let evaluate = |agents: u32| -> Option<Performance> {
        let b = erlang_b(agents, a);
        let p = match model {
            Model::ErlangC => erlang_c_with(traffic, agents, target.answer_seconds, b)?,
            Model::ErlangA { patience_seconds } => {
                erlang_a_with(traffic, agents, patience_seconds, target.answer_seconds, b)
            }
        };
        let meets = p.service_level >= target.service_level
            && p.occupancy <= occupancy
            && match (target.max_abandonment, p.abandonment) {
                (Some(max), Some(ab)) => ab <= max,
                _ => true,
            };
        meets.then_some(p)
    };
    // Every measure improves with each agent added, so the agents that meet the target are
    // all those from some number up: gallop up from the floor to one that meets it, then
    // halve the gap. A few dozen evaluations even at thousands of agents.
    let mut fails = floor;
    let mut step = 1_u32;
    let (mut meets, mut found) = loop {
        let probe = fails.saturating_add(step).min(limit);
        if let Some(p) = evaluate(probe) {
            break (probe, p);
        }
        if probe >= limit {
            return Err(CapacityError::Unreachable { tried: limit });
        }
        fails = probe;
        step = step.saturating_mul(2);
    };
    while meets - fails > 1 {
        let mid = fails + (meets - fails) / 2;
        match evaluate(mid) {
            Some(p) => (meets, found) = (mid, p),
            None => fails = mid,
        }
    }
    Ok(found)
}

/// People to put on the rota so that `required` are on the phones after shrinkage (leave,
/// training, breaks): ceil(required / (1 − shrinkage)).
pub fn rostered(required: u32, shrinkage: f64) -> u32 {
    if required == 0 {
        return 0;
    }
    // A hair under the exact quotient is that quotient (0.3 shrinkage is not exact in binary).
    let exact = f64::from(required) / (1.0 - shrinkage);
    (exact - 1e-9).ceil() as u32
}

/// Checks a shrinkage share.
pub fn parse_shrinkage(shrinkage: f64) -> Result<f64, Problem> {
    if shrinkage.is_finite() && (0.0..0.95).contains(&shrinkage) {
        Ok(shrinkage)
    } else {
        Err(Problem::new(
            "shrinkage",
            "must be a share from 0 to below 0.95, such as 0.3 for 30%",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn traffic(calls: f64, minutes: f64, aht: f64) -> Traffic {
        Traffic::parse(calls, minutes * 60.0, aht).unwrap()
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// Erlang C for a = 2 Erlangs and 3 agents, by hand: C = (a³/3!·3/(3−a)) / (1 + a +
    /// a²/2 + a³/3!·3/(3−a)) = 4 / 9.
    #[test]
    fn erlang_c_matches_a_hand_computed_case() {
        // 240 calls in 30 minutes of 15 s each is 2 Erlangs.
        let t = traffic(240.0, 30.0, 15.0);
        let p = erlang_c(&t, 3, 0.0).unwrap();
        assert!(close(p.waiting_probability, 4.0 / 9.0, 1e-12));
        assert!(close(p.service_level, 5.0 / 9.0, 1e-12));
        // ASA = C·AHT/(n − a) = 4/9·15.
        assert!(close(p.average_wait_seconds, 4.0 / 9.0 * 15.0, 1e-12));
        assert!(close(p.occupancy, 2.0 / 3.0, 1e-12));
    }

    #[test]
    fn too_few_agents_for_erlang_c_is_none_not_nonsense() {
        let t = traffic(240.0, 30.0, 15.0);
        assert_eq!(erlang_c(&t, 2, 20.0), None);
    }

    #[test]
    fn shrinkage_rounds_up_and_never_down() {
        assert_eq!(rostered(7, 0.3), 10);
        assert_eq!(rostered(10, 0.0), 10);
        assert_eq!(rostered(1, 0.5), 2);
        assert_eq!(rostered(0, 0.3), 0);
        assert_eq!(rostered(11, 0.3), 16);
    }

    #[test]
    fn bad_inputs_name_their_field() {
        assert_eq!(
            Traffic::parse(-1.0, 1800.0, 300.0).unwrap_err().field,
            "calls"
        );
        assert_eq!(
            Traffic::parse(1.0, 1800.0, f64::NAN).unwrap_err().field,
            "aht_seconds"
        );
        assert_eq!(
            Target::parse(20.0, 1.0, None, None).unwrap_err().field,
            "service_level"
        );
        assert_eq!(
            Target::parse(20.0, 0.8, Some(0.0), None).unwrap_err().field,
            "max_occupancy"
        );
        assert_eq!(Model::erlang_a(0.0).unwrap_err().field, "patience_seconds");
        assert!(parse_shrinkage(1.0).is_err());
    }

    #[test]
    fn no_calls_need_no_agents() {
        let t = traffic(0.0, 30.0, 300.0);
        let target = Target::parse(20.0, 0.8, None, None).unwrap();
        assert_eq!(
            fewest_agents(&t, &target, Model::ErlangC).unwrap().agents,
            0
        );
    }

    #[test]
    fn the_fewest_agents_are_the_first_that_meet_the_target() {
        let t = traffic(100.0, 30.0, 180.0);
        let target = Target::parse(20.0, 0.8, None, None).unwrap();
        let p = fewest_agents(&t, &target, Model::ErlangC).unwrap();
        assert!(p.service_level >= 0.8);
        let fewer = erlang_c(&t, p.agents - 1, 20.0).map_or(0.0, |q| q.service_level);
        assert!(fewer < 0.8, "{} agents would also do", p.agents - 1);
    }

    #[test]
    fn an_occupancy_cap_adds_agents() {
        let t = traffic(2000.0, 30.0, 300.0);
        let loose = Target::parse(20.0, 0.8, None, None).unwrap();
        let capped = Target::parse(20.0, 0.8, Some(0.85), None).unwrap();
        let a = fewest_agents(&t, &loose, Model::ErlangC).unwrap();
        let b = fewest_agents(&t, &capped, Model::ErlangC).unwrap();
        assert!(a.occupancy > 0.85);
        assert!(b.occupancy <= 0.85 && b.agents > a.agents);
    }

    #[test]
    fn callers_who_hang_up_mean_erlang_a_needs_no_more_agents_than_erlang_c() {
        let t = traffic(400.0, 30.0, 240.0);
        let target = Target::parse(20.0, 0.8, None, None).unwrap();
        let c = fewest_agents(&t, &target, Model::ErlangC).unwrap();
        let a = fewest_agents(&t, &target, Model::erlang_a(120.0).unwrap()).unwrap();
        assert!(a.agents <= c.agents);
        assert!(a.abandonment.unwrap() > 0.0);
    }

    #[test]
    fn erlang_a_with_endless_patience_tends_to_erlang_c() {
        let t = traffic(300.0, 30.0, 240.0);
        let c = erlang_c(&t, 45, 20.0).unwrap();
        let gap = |patience: f64| {
            let a = erlang_a(&t, 45, patience, 20.0);
            (a.service_level - c.service_level).abs()
        };
        assert!(gap(3600.0) < gap(600.0) && gap(600.0) < gap(60.0));
        assert!(gap(3600.0) < 0.05, "{}", gap(3600.0));
    }

    #[test]
    fn an_overloaded_queue_stays_finite() {
        // Ten times the calls the agents could take: most hang up, nothing overflows.
        let t = traffic(20_000.0, 30.0, 300.0);
        let p = erlang_a(&t, 300, 600.0, 20.0);
        assert!(p.abandonment.unwrap() > 0.85 && p.abandonment.unwrap() <= 1.0);
        assert!(p.service_level.is_finite() && p.service_level < 0.05);
        assert!(close(p.waiting_probability, 1.0, 1e-9));
    }
}
