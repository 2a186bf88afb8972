//! `victimcare bench ingest`: our ingest path against a raw multi-row INSERT of the same rows.

use anyhow::Context as _;
use bytes::Bytes;
use chrono::Utc;
use domain::ingest::{MAX_BATCH, parse_batch};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Concurrent callers of the ingest path.
const CALLERS: usize = 2;
use store::scratch::ScratchDb;

#[derive(Deserialize)]
struct Batch<'a> {
    #[serde(borrow)]
    events: Vec<&'a RawValue>,
}

/// A database of our own for the run: a new SQLite file, or a new database on the
/// PostgreSQL server named, dropped afterwards.
pub(crate) async fn fresh(url: Option<&str>) -> anyhow::Result<ScratchDb> {
    match url {
        Some(u) if u.starts_with("postgres") => {
            // Never the operator's own database: a new one on the same server.
            ScratchDb::postgres_on(u)
                .await
                .context("cannot make a database for the benchmark")
        }
        Some(u) => anyhow::bail!(
            "the benchmark makes its own SQLite file; give a postgres:// URL or none ({})",
            super::redact(u)
        ),
        None => Ok(ScratchDb::sqlite().await?),
    }
}

/// Sends every body through the API's ingest path, `CALLERS` at a time, into a new database,
/// checks that every event was stored and every projection matches a rebuild, and returns the
/// seconds taken.
async fn run_ours(
    url: Option<&str>,
    bodies: &Arc<Vec<Bytes>>,
    events: usize,
) -> anyhow::Result<f64> {
    let target = fresh(url).await?;
    // Two callers at once, as two API requests in flight would be: one batch is checked
    // while another is written.
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut callers = tokio::task::JoinSet::new();
    for _ in 0..CALLERS {
        let (db, bodies, next) = (target.db.clone(), bodies.clone(), next.clone());
        callers.spawn(async move {
            let mut accepted = 0_u64;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(body) = bodies.get(i) else { break };
                let outcome = web::api::ingest_body(&db, body.clone())
                    .await
                    .map_err(|e| anyhow::anyhow!("batch {i} was refused: {e}"))?;
                accepted += outcome.accepted;
            }
            anyhow::Ok(accepted)
        });
    }
    let mut accepted = 0_u64;
    while let Some(done) = callers.join_next().await {
        accepted += done??;
    }
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        accepted == events as u64,
        "only {accepted} of {events} events were stored"
    );
    let report = target.db.rebuild(false, Utc::now()).await?;
    anyhow::ensure!(
        report.cases_differing == 0,
        "the stored projections differ from a rebuild: {report:?}"
    );
    target.cleanup().await;
    Ok(seconds)
}

pub async fn ingest(
    events: usize,
    url: Option<String>,
    seed: u64,
    rounds: u32,
) -> anyhow::Result<()> {
    let as_of = synth::DEFAULT_AS_OF.parse().expect("a valid constant");
    let mut lines: Vec<String> = Vec::with_capacity(events);
    let mut cases = 0_u64;
    // Cases average nearly four events; half as many cases as events is always enough.
    for case in synth::Generator::new(seed, events as u64 / 2 + 10, as_of) {
        cases += 1;
        lines.extend(case.iter().map(ToString::to_string));
        if lines.len() >= events {
            break;
        }
    }
    anyhow::ensure!(
        lines.len() >= events,
        "the generator gave only {} events",
        lines.len()
    );
    lines.truncate(events);
    let bodies: Vec<String> = lines
        .chunks(MAX_BATCH)
        .map(|chunk| format!("{{\"events\":[{}]}}", chunk.join(",")))
        .collect();
    let bytes: usize = bodies.iter().map(String::len).sum();
    println!(
        "Generated {events} events of {cases} cases ({} MB of JSON).",
        bytes / 1_000_000
    );

    let backend = if url.as_deref().is_some_and(|u| u.starts_with("postgres")) {
        "postgres"
    } else {
        "sqlite"
    };
    let bodies: Arc<Vec<Bytes>> = Arc::new(bodies.into_iter().map(Bytes::from).collect());
    // Each round runs ours with the Code engine and without it, the first of the two taking
    // turns, so that a machine slowing down or speeding up weighs on both alike.
    let mut with_engine: Vec<f64> = Vec::new();
    let mut without_engine: Vec<f64> = Vec::new();
    let mut slowdowns: Vec<f64> = Vec::new();
    for round in 0..rounds {
        let mut pair = [0.0_f64; 2];
        // Even rounds run with the engine first, odd rounds without it first.
        for engine_on in [round % 2 == 0, round % 2 != 0] {
            store::set_engine_off_for_benchmark(!engine_on);
            let seconds = run_ours(url.as_deref(), &bodies, events).await;
            store::set_engine_off_for_benchmark(false);
            pair[usize::from(!engine_on)] = seconds?;
        }
        let [on, off] = pair;
        println!(
            "Round {}: {events} events in {on:.2} s with the Code engine ({:.0} events/s), \
             {off:.2} s without it ({:.0} events/s): {:.1} % slower.",
            round + 1,
            events as f64 / on,
            events as f64 / off,
            (1.0 - off / on) * 100.0
        );
        with_engine.push(on);
        without_engine.push(off);
        slowdowns.push(1.0 - off / on);
    }
    let ours = median(&mut with_engine);
    let without = median(&mut without_engine);
    let slowdown = median(&mut slowdowns);
    println!(
        "Ours: {events} events in {ours:.2} s ({:.0} events/s), obligations included; \
         without the Code engine {without:.2} s ({:.0} events/s) (medians of {rounds}).",
        events as f64 / ours,
        events as f64 / without
    );

    let parsed: Vec<Vec<domain::Event>> = bodies
        .iter()
        .map(|body| {
            let batch: Batch = serde_json::from_slice(body)?;
            parse_batch(&batch.events, Utc::now(), 10)
                .map_err(|p| anyhow::anyhow!("generated events did not validate: {p:?}"))
        })
        .collect::<anyhow::Result<_>>()?;
    drop(bodies);
    let raw_target = fresh(url.as_deref()).await?;
    let raw = raw_target.db.bench_raw_insert(&parsed).await?;
    raw_target.cleanup().await;
    println!(
        "Raw INSERT into a bare table: {} rows in {:.2} s ({:.0} rows/s).",
        raw.rows,
        raw.seconds,
        raw.rows as f64 / raw.seconds
    );
    let events_per_s = events as f64 / ours;
    let without_engine = events as f64 / without;
    let raw_events_per_s = raw.rows as f64 / raw.seconds;
    let three = |x: f64| (x * 1000.0).round() / 1000.0;
    let figures = serde_json::json!({
        "bench": "ingest",
        "backend": backend,
        "events": events,
        "events_per_s": events_per_s.round(),
        "raw_events_per_s": raw_events_per_s.round(),
        "ratio": three(events_per_s / raw_events_per_s),
        "events_per_s_without_engine": without_engine.round(),
        "ratio_without_engine": three(without_engine / raw_events_per_s),
        // How much slower ingest is with the engine on (the aim is at most 0.3): the median
        // of the rounds' own figures.
        "engine_slowdown": three(slowdown),
        "rounds": rounds,
    });
    println!("{figures}");
    Ok(())
}

/// The middle value (the mean of the middle two for an even count).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// `victimcare bench code`: the engine alone, over a generated London year held in memory.
pub fn code(cases: u64, seed: u64) -> anyhow::Result<()> {
    use domain::calendar::Calendar;
    use domain::code::{CaseFacts, EngineEvent, RuleSet, evaluate};
    use domain::enhanced::VictimFactors;
    use domain::{Event, EventBody};

    let as_of = synth::DEFAULT_AS_OF.parse().expect("a valid constant");
    let now = Utc::now();
    let mut inputs: Vec<(CaseFacts, VictimFactors, Vec<EngineEvent>)> =
        Vec::with_capacity(usize::try_from(cases).unwrap_or(0));
    for case in synth::Generator::new(seed, cases, as_of) {
        let events: Vec<Event> = case
            .iter()
            .map(|json| Event::parse(&json.to_string(), now))
            .collect::<Result<_, _>>()
            .map_err(|p| anyhow::anyhow!("a generated event did not validate: {p:?}"))?;
        let EventBody::Reported(report) = &events[0].body else {
            anyhow::bail!("a generated case did not start with its report");
        };
        let victim = &report.victims[0];
        inputs.push((
            CaseFacts {
                offence: Some(report.offence),
                flags: report.flags,
            },
            VictimFactors {
                kind: victim.kind,
                date_of_birth: victim.date_of_birth.map(domain::victim::DateOfBirth::date),
                vulnerable: false,
                intimidated: false,
                persistently_targeted: false,
            },
            events.iter().map(EngineEvent::from).collect(),
        ));
    }
    let events: usize = inputs.iter().map(|(_, _, e)| e.len()).sum();
    println!("Generated {cases} cases with {events} events.");
    let rules = RuleSet::builtin();
    let calendar = Calendar::default();
    let started = Instant::now();
    let mut obligations = 0_usize;
    for (case, victim, events) in &inputs {
        obligations += evaluate(&rules, &calendar, case, victim, events)?.len();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "Evaluated them in {seconds:.2} s on one core: {obligations} obligations, {:.0} events/s.",
        events as f64 / seconds
    );
    let figures = serde_json::json!({
        "bench": "code",
        "cases": cases,
        "events": events,
        "obligations": obligations,
        "cases_per_s": (cases as f64 / seconds).round(),
        "events_per_s": (events as f64 / seconds).round(),
    });
    println!("{figures}");
    Ok(())
}
