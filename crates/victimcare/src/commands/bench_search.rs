//! `victimcare bench search`: how fast staff find a victim by crime reference and by phone
//! number among N cases (one victim each, each with their own number), on a database of the
//! benchmark's own. Prints p50/p99 per kind of search, then the figures as JSON.

use super::bench_fresh;
use chrono::{TimeDelta, Utc};
use rand::Rng;
use rand::SeedableRng;
use std::time::Instant;
use store::SearchBy;

fn reference(i: usize) -> String {
    format!("{:07}/26", i + 1)
}

fn phone(i: usize) -> String {
    format!("+447{:09}", i + 1)
}

pub async fn search(cases: usize, url: Option<String>, queries: usize) -> anyhow::Result<()> {
    anyhow::ensure!(
        (1..=9_000_000).contains(&cases),
        "--cases must be 1 to 9,000,000"
    );
    let scratch = bench_fresh(url.as_deref()).await?;
    let db = scratch.db.clone();
    let now = Utc::now();
    let occurred = (now - TimeDelta::days(3)).to_rfc3339();
    eprintln!("Loading {cases} cases through ingest (one victim each, with their own phone)…");
    let started = Instant::now();
    for start in (0..cases).step_by(10_000) {
        let events: Vec<domain::Event> = (start..(start + 10_000).min(cases))
            .map(|i| {
                let v = serde_json::json!({"source": "bench", "id": format!("s{i}"),
                    "type": "reported", "crime_reference": reference(i),
                    "occurred_at": occurred, "payload": {"offence": "theft", "borough": "Brent",
                    "officer": {"name": "DC Moss", "collar_number": "1234BR"},
                    "victims": [{"ref": format!("S{i}"), "kind": "person",
                                 "name": format!("Person {i}"), "phone": phone(i),
                                 "date_of_birth": "1980-01-01"}]}});
                domain::Event::parse(&v.to_string(), now)
                    .map_err(|p| anyhow::anyhow!("a generated event is invalid: {p:?}"))
            })
            .collect::<anyhow::Result<_>>()?;
        db.ingest(&events, now).await?;
        if start % 100_000 == 0 && start > 0 {
            eprintln!("  {start} cases…");
        }
    }
    let load_seconds = started.elapsed().as_secs_f64();
    // No ANALYZE: searching straight after a bulk load, before the planner has statistics,
    // is the hard case, and the queries are written for it.
    eprintln!("Loaded in {load_seconds:.0} s. Searching…");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut figures = serde_json::Map::new();
    for kind in ["reference", "phone"] {
        let mut times = Vec::with_capacity(queries);
        for _ in 0..queries {
            let i = rng.random_range(0..cases);
            let by = match kind {
                "reference" => SearchBy::Reference(
                    domain::CrimeReference::parse(&reference(i)).map_err(anyhow::Error::msg)?,
                ),
                _ => SearchBy::Phone(
                    domain::victim::Phone::parse(&phone(i)).map_err(anyhow::Error::msg)?,
                ),
            };
            let t = Instant::now();
            let hits = db.search_victims(&by).await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            anyhow::ensure!(
                hits.len() == 1,
                "{kind} search for case {i} found {}",
                hits.len()
            );
        }
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        let (p50, p99) = (at(0.50), at(0.99));
        println!("by {kind}: p50 {p50:.2} ms, p99 {p99:.2} ms over {queries} searches");
        figures.insert(
            kind.to_owned(),
            serde_json::json!({"p50_ms": (p50 * 100.0).round() / 100.0, "p99_ms": (p99 * 100.0).round() / 100.0}),
        );
    }
    let report = serde_json::json!({
        "backend": format!("{:?}", db.backend()).to_lowercase(),
        "cases": cases,
        "queries_each": queries,
        "load_seconds": load_seconds.round(),
        "search": figures,
    });
    println!("{report}");
    scratch.cleanup().await;
    Ok(())
}
