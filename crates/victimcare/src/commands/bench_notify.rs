//! `victimcare bench notify`: how fast the worker empties the outbox through a Notify-compatible
//! provider that takes `latency` to answer each message, with one worker and then two.

use super::bench_fresh;
use crate::worker::{Burst, Worker};
use chrono::{TimeDelta, Utc};
use std::time::{Duration, Instant};

/// A provider that only answers, after `latency`: what we measure is our side.
async fn provider(latency: Duration) -> anyhow::Result<String> {
    use axum::routing::post;
    let answer = move |axum::Json(body): axum::Json<serde_json::Value>| async move {
        tokio::time::sleep(latency).await;
        let reference = body["reference"].clone();
        (
            axum::http::StatusCode::CREATED,
            axum::Json(serde_json::json!({"id": reference, "reference": reference})),
        )
    };
    let app = axum::Router::new().route("/v2/notifications/sms", post(answer));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}

pub async fn notify(
    messages: usize,
    url: Option<String>,
    latency_ms: u64,
    concurrency: usize,
) -> anyhow::Result<()> {
    let scratch = bench_fresh(url.as_deref()).await?;
    let db = scratch.db.clone();
    let now = Utc::now();
    let occurred = (now - TimeDelta::hours(1)).to_rfc3339();
    eprintln!("Queuing {messages} messages (one new case each)…");
    for start in (0..messages).step_by(10_000) {
        let events: Vec<domain::Event> = (start..(start + 10_000).min(messages))
            .map(|i| {
                let v = serde_json::json!({"source": "bench", "id": format!("b{i}"),
                    "type": "reported", "crime_reference": format!("{:07}/26", i),
                    "occurred_at": occurred, "payload": {"offence": "robbery", "borough": "Ealing",
                    "officer": {"name": "DC Moss"},
                    "victims": [{"ref": format!("B{i}"), "kind": "person", "name": "Sam Okafor",
                                 "phone": "07700 900123",
                                 "contact_agreement": {"channels": ["sms"],
                                                       "safe_channels": ["sms"]}}]}});
                domain::Event::parse(&v.to_string(), now)
                    .map_err(|p| anyhow::anyhow!("a generated event is invalid: {p:?}"))
            })
            .collect::<anyhow::Result<_>>()?;
        db.ingest(&events, now).await?;
    }
    let (queued, _) = db.message_queue().await?;
    anyhow::ensure!(
        usize::try_from(queued)? == messages,
        "{queued} messages queued, not {messages}"
    );
    let provider_url = provider(Duration::from_millis(latency_ms)).await?;
    let key = "bench-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";
    let worker = || Worker {
        db: db.clone(),
        mailer: None,
        notify: Some(
            notify::NotifyClient::new(&provider_url, key, "sms", "email")
                .expect("a well-formed key"),
        ),
        helpline: "101".into(),
        public_url: "https://victims.example".into(),
        lease: TimeDelta::minutes(5),
        burst: Burst {
            limit: i64::MAX,
            window: TimeDelta::minutes(15),
        },
        concurrency,
    };
    // Out of quiet hours, whatever the time of the run.
    let noon = (now + TimeDelta::days(1))
        .date_naive()
        .and_hms_opt(12, 0, 0)
        .expect("noon")
        .and_utc();
    let mut rates = Vec::new();
    for workers in [1_usize, 2] {
        db.requeue_all_messages_for_benchmark(now).await?;
        let started = Instant::now();
        let passes: Vec<_> = (0..workers).map(|_| worker()).collect();
        let results = futures::future::join_all(passes.iter().map(|w| w.drain(noon))).await;
        let seconds = started.elapsed().as_secs_f64();
        let sent: usize = results
            .into_iter()
            .map(|r| r.map(|p| p.sent))
            .sum::<anyhow::Result<usize>>()?;
        anyhow::ensure!(sent == messages, "{sent} of {messages} sent");
        let rate = sent as f64 / seconds;
        println!(
            "{workers} worker(s), {concurrency} sends in flight each, provider answering in {latency_ms} ms: {sent} messages in {seconds:.1} s, {rate:.0} messages/s"
        );
        rates.push(rate);
    }
    println!(
        "{}",
        serde_json::json!({"bench": "notify", "messages": messages,
            "backend": if url.as_deref().is_some_and(|u| u.starts_with("postgres")) { "postgres" } else { "sqlite" },
            "latency_ms": latency_ms, "concurrency": concurrency,
            "one_worker_per_s": rates[0].round(), "two_workers_per_s": rates[1].round()})
    );
    scratch.cleanup().await;
    Ok(())
}
