//! Capacity: the helpline's call records and rota, what they say about demand, and the
//! staffing plan made from them.

use crate::{Db, StoreError, with_pool};
use chrono::{DateTime, TimeDelta, Utc};
use domain::calendar::Calendar;
use domain::capacity::erlang::{Model, Target};
use domain::capacity::forecast::{self, Accuracy, CALL_BACK_SLOTS, CallBacks, Send, WeekOfCalls};
use domain::capacity::plan::{self, Achieved, Interval, Settings};
use domain::capacity::week::{SLOT_MINUTES, SLOTS_PER_WEEK, Week};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    Answered,
    Abandoned,
}

impl CallOutcome {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "answered" => Ok(Self::Answered),
            "abandoned" => Ok(Self::Abandoned),
            _ => Err("must be answered or abandoned".to_owned()),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Answered => "answered",
            Self::Abandoned => "abandoned",
        }
    }
}

/// One call from the telephony platform's call detail records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord {
    pub provider_call_id: String,
    pub queue: String,
    /// The lookup digest of the caller's number; the number itself is never kept.
    pub caller_index: Option<i64>,
    pub offered_at: DateTime<Utc>,
    pub outcome: CallOutcome,
    pub wait_seconds: i32,
    pub talk_seconds: i32,
    pub wrap_seconds: i32,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Imported {
    pub added: u64,
    pub already_held: u64,
}

/// The plan for one week, with what it was made from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffingPlan {
    pub week: String,
    pub intervals: Vec<Interval>,
    /// Weeks of history the forecast learned from.
    pub history_weeks: usize,
    /// Handling time and patience used, and whether learned from the calls or configured.
    pub handle_seconds: f64,
    pub handle_learned: bool,
    pub patience_seconds: Option<f64>,
    pub patience_learned: bool,
    /// The forecast's error on held-out weeks beside seasonal-naive.
    pub accuracy: Option<Accuracy>,
    pub call_backs: CallBacks,
    /// Achieved over the whole week, when it has begun.
    pub achieved: Option<Achieved>,
}

/// What the plan is asked for, beyond the week.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRequest {
    pub week: Week,
    pub target: Target,
    /// Erlang A unless asked for Erlang C.
    pub erlang_c: bool,
    pub shrinkage: f64,
    pub min_agents: u32,
    /// Used until enough calls have been answered to learn it.
    pub default_handle_seconds: f64,
    /// Used until enough callers have hung up to learn it.
    pub default_patience_seconds: f64,
    pub history_weeks: usize,
    pub holdout_weeks: usize,
    /// Assumed share of recipients who phone, until history shows it.
    pub call_back_rate: f64,
    /// "If N messages of kind K go out at T."
    pub what_if: Vec<Send>,
}

/// The force's standard for the helpline and how plans are made: `[capacity]` in the
/// configuration.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CapacityPolicy {
    /// Answered within this many seconds counts as answered in time.
    pub target_answer_seconds: f64,
    /// Share of all callers to answer in time (0.8: 80%).
    pub service_level: f64,
    /// Busiest share of their time agents may spend on calls.
    pub max_occupancy: Option<f64>,
    /// Most callers who may hang up before being answered.
    pub max_abandonment: Option<f64>,
    /// Share of rostered time not on the phones (leave, training, breaks).
    pub shrinkage: f64,
    /// People on the phones in every interval, however quiet.
    pub min_agents: u32,
    /// Talk plus wrap-up, until enough calls have been answered to learn it.
    pub handle_seconds: f64,
    /// Average wait before hanging up, until enough callers have hung up to learn it.
    pub patience_seconds: f64,
    /// Weeks of history the forecast learns from.
    pub history_weeks: usize,
    /// Recent weeks held out to measure the forecast's accuracy.
    pub holdout_weeks: usize,
    /// Share of message recipients assumed to phone within a day, until there are enough
    /// messages in the history to learn it.
    pub call_back_rate: f64,
    /// A reported home burglary nobody has attended after this many hours becomes a task
    /// for the response team.
    pub attendance_task_after_hours: i64,
}

impl Default for CapacityPolicy {
    fn default() -> Self {
        Self {
            target_answer_seconds: 20.0,
            service_level: 0.8,
            max_occupancy: Some(0.85),
            max_abandonment: Some(0.05),
            shrinkage: 0.3,
            min_agents: 1,
            handle_seconds: 300.0,
            patience_seconds: 120.0,
            history_weeks: 12,
            holdout_weeks: 4,
            call_back_rate: 0.05,
            attendance_task_after_hours: 24,
        }
    }
}

impl CapacityPolicy {
    /// Checks every value, naming the first that is wrong.
    pub fn check(&self) -> Result<Target, domain::Problem> {
        let at =
            |p: domain::Problem| domain::Problem::new(format!("capacity.{}", p.field), p.problem);
        domain::capacity::erlang::parse_shrinkage(self.shrinkage).map_err(at)?;
        Model::erlang_a(self.patience_seconds).map_err(at)?;
        domain::capacity::erlang::Traffic::parse(0.0, 1800.0, self.handle_seconds).map_err(
            |_| domain::Problem::new("capacity.handle_seconds", "must be from 1 second to 1 day"),
        )?;
        if !(1..=104).contains(&self.history_weeks) {
            return Err(domain::Problem::new(
                "capacity.history_weeks",
                "must be from 1 to 104",
            ));
        }
        if !(0.0..=1.0).contains(&self.call_back_rate) {
            return Err(domain::Problem::new(
                "capacity.call_back_rate",
                "must be a share from 0 to 1, such as 0.05",
            ));
        }
        if !(1..=720).contains(&self.attendance_task_after_hours) {
            return Err(domain::Problem::new(
                "capacity.attendance_task_after_hours",
                "must be from 1 to 720 hours",
            ));
        }
        if self.min_agents > 1000 {
            return Err(domain::Problem::new(
                "capacity.min_agents",
                "must be at most 1,000",
            ));
        }
        Target::parse(
            self.target_answer_seconds,
            self.service_level,
            self.max_occupancy,
            self.max_abandonment,
        )
        .map_err(at)
    }

    /// The plan request for a week under this policy. A what-if must fall in the week and
    /// send at most a million messages.
    pub fn request(
        &self,
        week: Week,
        erlang_c: bool,
        what_if: Vec<Send>,
    ) -> Result<PlanRequest, domain::Problem> {
        for w in &what_if {
            if w.at < week.start() || w.at >= week.end() {
                return Err(domain::Problem::new(
                    "what_if_at",
                    format!("must be a time in the week planned ({})", week.label()),
                ));
            }
            if !(w.count >= 0.0 && w.count <= MAX_WHAT_IF) {
                return Err(domain::Problem::new(
                    "what_if_count",
                    "must be from 0 to 1,000,000 messages",
                ));
            }
        }
        Ok(PlanRequest {
            week,
            target: self.check()?,
            erlang_c,
            shrinkage: self.shrinkage,
            min_agents: self.min_agents,
            default_handle_seconds: self.handle_seconds,
            default_patience_seconds: self.patience_seconds,
            history_weeks: self.history_weeks,
            holdout_weeks: self.holdout_weeks,
            call_back_rate: self.call_back_rate,
            what_if,
        })
    }
}

/// The most messages a what-if may send at once.
pub const MAX_WHAT_IF: f64 = 1_000_000.0;

/// Calls needed before the handling time or the patience is learned rather than assumed.
const LEARN_FROM: u64 = 30;

/// A call as the plan reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
struct CallRow {
    offered_at: DateTime<Utc>,
    caller_index: Option<i64>,
    outcome: String,
    wait_seconds: Option<i32>,
    talk_seconds: Option<i32>,
    wrap_seconds: Option<i32>,
}

impl Db {
    /// Stores call detail records; a call already held (by the provider's id) is left as it
    /// is. All or nothing.
    pub async fn import_calls(&self, rows: &[CallRecord]) -> Result<Imported, StoreError> {
        crate::dispatch!(self, capacity::import_calls(rows))
    }

    /// Loads the rota: people on the phones per half hour. Replaces what was loaded for the
    /// same intervals.
    pub async fn load_rota(
        &self,
        rows: &[(DateTime<Utc>, u32)],
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        crate::dispatch!(self, capacity::load_rota(rows, now))
    }

    async fn rota(&self, week: Week) -> Result<Vec<Option<u32>>, StoreError> {
        let rows: Vec<(DateTime<Utc>, i32)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT interval_start, agents FROM rota WHERE interval_start >= $1 \
             AND interval_start < $2"
        )
        .bind(week.start())
        .bind(week.end())
        .fetch_all(p)
        .await)?;
        let mut out = vec![None; SLOTS_PER_WEEK];
        for (at, agents) in rows {
            if let Some(slot) = week.slot_of(at) {
                out[slot] = Some(u32::try_from(agents).unwrap_or(0));
            }
        }
        Ok(out)
    }

    async fn call_rows(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<CallRow>, StoreError> {
        let rows = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT offered_at, caller_index, outcome, wait_seconds, talk_seconds, wrap_seconds \
             FROM telephony_call WHERE offered_at >= $1 AND offered_at < $2 \
             AND outcome IN ('answered', 'abandoned') ORDER BY offered_at"
        )
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await
        })?;
        Ok(rows)
    }

    /// Messages sent from `from` to `to` to victims with a phone: when, what kind, and the
    /// digest of the number they would call from.
    async fn sent_messages(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(DateTime<Utc>, String, Option<i64>)>, StoreError> {
        let rows = with_pool!(self, |p| sqlx::query_as(
            "SELECT m.sent_at, m.kind, v.phone_index FROM message m \
             JOIN victim v ON v.victim_id = m.victim_id \
             WHERE m.sent_at IS NOT NULL AND m.sent_at >= $1 AND m.sent_at < $2"
        )
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await)?;
        Ok(rows)
    }

    /// Messages waiting to go out in a week (held for quiet hours or retrying): their
    /// call-backs are demand we can already see coming.
    async fn scheduled_sends(&self, week: Week) -> Result<Vec<Send>, StoreError> {
        let rows: Vec<(DateTime<Utc>, String, i64)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT next_attempt_at, kind, COUNT(*) FROM message \
             WHERE status IN ('queued', 'sending') AND next_attempt_at >= $1 \
             AND next_attempt_at < $2 GROUP BY next_attempt_at, kind"
        )
        .bind(week.start())
        .bind(week.end())
        .fetch_all(p)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(at, kind, n)| Send {
                at,
                kind,
                count: n as f64,
            })
            .collect())
    }

    /// The staffing plan for a week: forecast from the weeks before it (never from the week
    /// itself), the call-backs our own messages will bring, the people needed and the rota.
    pub async fn staffing_plan(
        &self,
        req: &PlanRequest,
        calendar: &Calendar,
        now: DateTime<Utc>,
    ) -> Result<StaffingPlan, StoreError> {
        // Learn from whole weeks before the planned week and before this one.
        let until = req.week.min(Week::of(now));
        let first = (0..req.history_weeks.max(1)).fold(until, |w, _| w.previous());
        let history_calls = self.call_rows(first.start(), until.start()).await?;
        let sent = self
            .sent_messages(first.start() - TimeDelta::days(1), until.start())
            .await?;
        let learned = learn(&history_calls, &sent, req.call_back_rate);

        let mut weeks: Vec<WeekOfCalls> = Vec::new();
        let mut w = first;
        while w < until {
            weeks.push(WeekOfCalls {
                week: w,
                calls: vec![0.0; SLOTS_PER_WEEK],
            });
            w = w.next();
        }
        // Routine call-backs stay in the baseline: messages keep going out every day, and
        // the ones to come are not all known yet. Scheduled sends and what-ifs come on top,
        // which errs towards more people on the phones, the safe side.
        for c in &history_calls {
            let wk = Week::of(c.offered_at);
            if let Some(week) = weeks.iter_mut().find(|x| x.week == wk)
                && let Some(slot) = wk.slot_of(c.offered_at)
            {
                week.calls[slot] += 1.0;
            }
        }
        // Weeks before the first call are not weeks of no calls.
        let first_call = history_calls.first().map(|c| Week::of(c.offered_at));
        weeks.retain(|w| first_call.is_some_and(|f| w.week >= f));

        let baseline = match forecast::forecast(&weeks, req.week, calendar) {
            Ok(f) => f,
            Err(_) => vec![0.0; SLOTS_PER_WEEK],
        };
        let accuracy = forecast::backtest(&weeks, req.holdout_weeks, calendar);
        let mut sends = self.scheduled_sends(req.week).await?;
        sends.extend(req.what_if.iter().cloned());
        let induced = forecast::induced(req.week, &sends, &learned.call_backs);

        let (handle_seconds, handle_learned) = match learned.handle_seconds {
            Some(h) => (h, true),
            None => (req.default_handle_seconds, false),
        };
        let (patience, patience_learned) = match learned.patience_seconds {
            Some(p) => (p.clamp(1.0, 3600.0), true),
            None => (req.default_patience_seconds, false),
        };
        let model = if req.erlang_c {
            Model::ErlangC
        } else {
            Model::erlang_a(patience).map_err(|p| StoreError::Refused(vec![p]))?
        };

        // What callers got, if the week has begun.
        let mut achieved_slots = vec![None; SLOTS_PER_WEEK];
        let mut achieved_week = None;
        if req.week.start() <= now {
            let mut total = Achieved::default();
            for c in self.call_rows(req.week.start(), req.week.end()).await? {
                let Some(slot) = req.week.slot_of(c.offered_at) else {
                    continue;
                };
                let a = achieved_slots[slot].get_or_insert_with(Achieved::default);
                let one = achieved_of(&c, req.target.answer_seconds());
                a.add(&one);
                total.add(&one);
            }
            // Intervals already over with no calls achieved their (empty) service.
            for (slot, a) in achieved_slots.iter_mut().enumerate() {
                if a.is_none()
                    && req.week.slot_start(slot) + TimeDelta::minutes(SLOT_MINUTES) <= now
                {
                    *a = Some(Achieved::default());
                }
            }
            achieved_week = Some(total);
        }

        let settings = Settings {
            target: req.target,
            model,
            handle_seconds,
            shrinkage: req.shrinkage,
            min_agents: req.min_agents,
        };
        let rota = self.rota(req.week).await?;
        let intervals = plan::plan_week(
            req.week,
            &baseline,
            &induced,
            &rota,
            &achieved_slots,
            &settings,
        )
        .map_err(|e| StoreError::Refused(vec![domain::Problem::new("plan", e.to_string())]))?;
        Ok(StaffingPlan {
            week: req.week.label(),
            intervals,
            history_weeks: weeks.len(),
            handle_seconds,
            handle_learned,
            patience_seconds: (!req.erlang_c).then_some(patience),
            patience_learned,
            accuracy,
            call_backs: learned.call_backs,
            achieved: achieved_week,
        })
    }

    /// Service achieved per week for the weeks from `first` to `last`, for the dashboard.
    pub async fn achieved_by_week(
        &self,
        first: Week,
        last: Week,
        answer_seconds: f64,
    ) -> Result<Vec<(Week, Achieved)>, StoreError> {
        let mut out: Vec<(Week, Achieved)> = Vec::new();
        let mut w = first;
        while w <= last {
            out.push((w, Achieved::default()));
            w = w.next();
        }
        for c in self.call_rows(first.start(), last.end()).await? {
            let wk = Week::of(c.offered_at);
            if let Some((_, a)) = out.iter_mut().find(|(w, _)| *w == wk) {
                a.add(&achieved_of(&c, answer_seconds));
            }
        }
        Ok(out)
    }
}

fn achieved_of(c: &CallRow, answer_seconds: f64) -> Achieved {
    let wait = u64::try_from(c.wait_seconds.unwrap_or(0)).unwrap_or(0);
    let answered = c.outcome == "answered";
    Achieved {
        offered: 1,
        answered: u64::from(answered),
        answered_in_target: u64::from(answered && wait as f64 <= answer_seconds),
        abandoned: u64::from(!answered),
        answered_wait_seconds: if answered { wait } else { 0 },
    }
}

/// What the history teaches.
struct Learned {
    call_backs: CallBacks,
    handle_seconds: Option<f64>,
    patience_seconds: Option<f64>,
}

fn learn(
    calls: &[CallRow],
    sent: &[(DateTime<Utc>, String, Option<i64>)],
    assumed_rate: f64,
) -> Learned {
    let window = TimeDelta::minutes(SLOT_MINUTES * CALL_BACK_SLOTS as i64);
    // Each number's calls, in time order.
    let mut calls_from: HashMap<i64, Vec<DateTime<Utc>>> = HashMap::new();
    for c in calls {
        if let Some(d) = c.caller_index {
            calls_from.entry(d).or_default().push(c.offered_at);
        }
    }
    let mut by_kind: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut lag = vec![0_u64; CALL_BACK_SLOTS];
    for list in calls_from.values_mut() {
        list.sort();
    }
    let history_start = calls.iter().map(|c| c.offered_at).min();
    let history_end = calls.iter().map(|c| c.offered_at).max();
    for (at, kind, phone) in sent {
        // A message sent before the history begins, or in its last day, cannot show whether
        // they called.
        if history_start.is_none_or(|s| *at < s) || history_end.is_none_or(|e| *at + window > e) {
            continue;
        }
        let entry = by_kind.entry(kind.clone()).or_default();
        entry.0 += 1;
        let Some(from) = phone.and_then(|d| calls_from.get(&d)) else {
            continue;
        };
        // The first call from their number after the message, if within the window.
        let first = from.get(from.partition_point(|t| t < at));
        if let Some(t) = first.filter(|t| **t < *at + window) {
            entry.1 += 1;
            let slot = ((*t - *at).num_minutes() / SLOT_MINUTES) as usize;
            lag[slot.min(CALL_BACK_SLOTS - 1)] += 1;
        }
    }
    let answered: Vec<&CallRow> = calls.iter().filter(|c| c.outcome == "answered").collect();
    let handle_seconds = (answered.len() as u64 >= LEARN_FROM).then(|| {
        answered
            .iter()
            .map(|c| f64::from(c.talk_seconds.unwrap_or(0) + c.wrap_seconds.unwrap_or(0)))
            .sum::<f64>()
            / answered.len() as f64
    });
    // Exponential patience from censored waits: hang-ups over all the time spent waiting.
    let abandoned = calls.iter().filter(|c| c.outcome == "abandoned").count() as u64;
    let waited: f64 = calls
        .iter()
        .map(|c| f64::from(c.wait_seconds.unwrap_or(0).max(0)))
        .sum();
    let patience_seconds = (abandoned >= LEARN_FROM).then(|| waited / abandoned as f64);
    Learned {
        call_backs: CallBacks::learn(&by_kind, &lag, assumed_rate),
        handle_seconds: handle_seconds.filter(|h| (1.0..=86_400.0).contains(h)),
        patience_seconds,
    }
}

crate::for_each_backend! {
    pub(crate) async fn import_calls(
        pool: &sqlx::Pool<DB>,
        rows: &[CallRecord],
    ) -> Result<Imported, StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let mut added = 0;
        for r in rows {
            let ended = r.offered_at
                + TimeDelta::seconds(i64::from(r.wait_seconds + r.talk_seconds + r.wrap_seconds));
            let done = sqlx::query(
                "INSERT INTO telephony_call (provider_call_id, queue, caller_index, offered_at, \
                 outcome, wait_seconds, talk_seconds, wrap_seconds, ended_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (provider_call_id) DO NOTHING",
            )
            .bind(&r.provider_call_id)
            .bind(&r.queue)
            .bind(r.caller_index)
            .bind(r.offered_at)
            .bind(r.outcome.as_str())
            .bind(r.wait_seconds)
            .bind(r.talk_seconds)
            .bind(r.wrap_seconds)
            .bind(ended)
            .execute(&mut *tx)
            .await?;
            added += done.rows_affected();
        }
        tx.commit().await?;
        Ok(Imported {
            added,
            already_held: rows.len() as u64 - added,
        })
    }

    pub(crate) async fn load_rota(
        pool: &sqlx::Pool<DB>,
        rows: &[(DateTime<Utc>, u32)],
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        for (at, agents) in rows {
            sqlx::query(
                "INSERT INTO rota (interval_start, agents, loaded_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (interval_start) DO UPDATE SET agents = excluded.agents, \
                 loaded_at = excluded.loaded_at",
            )
            .bind(at)
            .bind(i32::try_from(*agents).unwrap_or(i32::MAX))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn call(when: &str, from: Option<i64>) -> CallRow {
        CallRow {
            offered_at: at(when),
            caller_index: from,
            outcome: "answered".into(),
            wait_seconds: Some(10),
            talk_seconds: Some(100),
            wrap_seconds: Some(20),
        }
    }

    #[test]
    fn a_call_from_a_recipient_within_a_day_is_a_call_back() {
        let calls = vec![
            call("2026-11-02T08:00:00Z", Some(7)), // before the message: not a call-back
            call("2026-11-02T09:10:00Z", Some(7)), // 10 minutes after: the first half hour
            call("2026-11-02T10:20:00Z", Some(7)), // a second call-back of the same message
            call("2026-11-02T09:50:00Z", Some(8)), // someone we did not message
            call("2026-11-04T09:00:00Z", Some(9)), // two days after: too late to count
            call("2026-11-02T11:00:00Z", None),    // number withheld
        ];
        let sent = vec![
            (at("2026-11-02T09:00:00Z"), "charged".to_owned(), Some(7)),
            (at("2026-11-02T09:00:00Z"), "charged".to_owned(), Some(9)),
            (at("2026-11-02T09:00:00Z"), "charged".to_owned(), None),
            (
                at("2026-11-02T09:30:00Z"),
                "periodic_update".to_owned(),
                Some(5),
            ),
        ];
        let l = learn(&calls, &sent, 0.05);
        let charged = &l.call_backs.by_kind["charged"];
        assert_eq!((charged.messages, charged.called_back), (3, 1));
        assert_eq!(l.call_backs.by_kind["periodic_update"].called_back, 0);
        // Four messages are too few to trust: the configured rate stands in.
        assert!(!l.call_backs.learned);
        assert!((l.call_backs.rate("charged") - 0.05).abs() < 1e-12);
        assert_eq!(
            l.handle_seconds, None,
            "six answered calls are too few to learn from"
        );
    }
}
