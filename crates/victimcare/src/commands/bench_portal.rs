//! `victimcare bench portal`: the victim's case page under load, against a static asset from
//! the same server, on the demonstration data set.

use crate::config::Settings;
use crate::startup::Application;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::scratch::ScratchDb;

/// Requests per second and latency percentiles of one run.
#[derive(Debug, Clone, Copy)]
struct Figures {
    requests: usize,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
}

impl Figures {
    fn json(self) -> serde_json::Value {
        serde_json::json!({
            "requests": self.requests,
            "requests_per_s": self.per_second.round(),
            "p50_ms": (self.p50_ms * 100.0).round() / 100.0,
            "p99_ms": (self.p99_ms * 100.0).round() / 100.0,
        })
    }
}

/// `clients` loops of GET `url` (each with its own cookie) for `seconds`.
async fn load(url: &str, cookies: &[String], seconds: u64) -> anyhow::Result<Figures> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(cookies.len())
        .build()?;
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for cookie in cookies {
        let (client, url, cookie) = (client.clone(), url.to_owned(), cookie.clone());
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < until {
                let sent = Instant::now();
                let response = client.get(&url).header("cookie", &cookie).send().await?;
                anyhow::ensure!(
                    response.status().is_success(),
                    "{url}: {}",
                    response.status()
                );
                response.bytes().await?;
                latencies.push(sent.elapsed());
            }
            anyhow::Ok(latencies)
        });
    }
    let mut all: Vec<Duration> = Vec::new();
    while let Some(done) = tasks.join_next().await {
        all.extend(done??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let at = |q: f64| {
        let i = ((all.len() as f64 * q).ceil() as usize).clamp(1, all.len()) - 1;
        all[i].as_secs_f64() * 1000.0
    };
    anyhow::ensure!(!all.is_empty(), "no request finished");
    Ok(Figures {
        requests: all.len(),
        per_second: all.len() as f64 / elapsed,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
    })
}

pub async fn portal(sessions: usize, seconds: u64, mut settings: Settings) -> anyhow::Result<()> {
    anyhow::ensure!(sessions > 0, "--sessions must be at least 1");
    let scratch = ScratchDb::sqlite().await?;
    let db = scratch.db.clone();
    // The demonstration data set: 2,000 made-up London cases.
    super::serve::load_demo_data(&db, 2000).await?;
    let cookies = super::serve::demo_portal_sessions(&db, sessions).await?;
    anyhow::ensure!(
        cookies.len() == sessions,
        "only {} victims to log in",
        cookies.len()
    );

    settings.server.bind = "127.0.0.1:0".parse()?;
    settings.scheduler.interval_seconds = 0;
    let app = Application::with_db(&settings, db.clone()).await?;
    let base = format!("http://{}", app.local_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    let cookies = Arc::new(cookies);

    let case_page = load(&format!("{base}/my-case"), &cookies, seconds).await?;
    println!(
        "Case page, {sessions} sessions: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms ({} requests).",
        case_page.per_second, case_page.p50_ms, case_page.p99_ms, case_page.requests
    );
    let asset = load(&format!("{base}/static/site.css"), &cookies, seconds).await?;
    println!(
        "Static asset, {sessions} clients: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms ({} requests).",
        asset.per_second, asset.p50_ms, asset.p99_ms, asset.requests
    );
    let _ = stop.send(());
    let _ = server.await;
    scratch.cleanup().await;
    let figures = serde_json::json!({
        "bench": "portal",
        "sessions": sessions,
        "case_page": case_page.json(),
        "static_asset": asset.json(),
        "ratio": ((case_page.per_second / asset.per_second) * 1000.0).round() / 1000.0,
    });
    println!("{figures}");
    Ok(())
}
