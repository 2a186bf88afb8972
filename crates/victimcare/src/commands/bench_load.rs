//! `victimcare bench load`: the whole service under a mixed load at once, as on a busy day:
//! the crime recording system's feed at 200 events a second, victims on their case pages,
//! helpline agents finding victims and opening calls, and the worker sending the messages the
//! feed's news makes. Throughput and p50/p99 per route, every error, and memory.

use super::bench_fresh;
use crate::config::Settings;
use crate::startup::Application;
use chrono::{TimeDelta, Utc};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// What each route saw: latencies of answers that were right, and errors.
#[derive(Default)]
struct Tally {
    by_route: BTreeMap<&'static str, (Vec<Duration>, u64)>,
}

impl Tally {
    fn record(&mut self, route: &'static str, took: Duration, ok: bool) {
        let entry = self.by_route.entry(route).or_default();
        if ok {
            entry.0.push(took);
        } else {
            entry.1 += 1;
        }
    }
}

type Shared = Arc<Mutex<Tally>>;

/// A fake Notify that answers every text at once: the worker's side is what is measured.
async fn provider() -> anyhow::Result<String> {
    use axum::routing::post;
    let answer = |axum::Json(body): axum::Json<serde_json::Value>| async move {
        let reference = body["reference"].clone();
        (
            axum::http::StatusCode::CREATED,
            axum::Json(serde_json::json!({"id": reference, "reference": reference})),
        )
    };
    let app = axum::Router::new()
        .route("/v2/notifications/sms", post(answer))
        .route("/v2/notifications/email", post(answer));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}

fn form(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// Resident memory of this process (the server and the load share it), in MiB.
fn resident_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// The feed's events, renumbered so they never meet the demonstration data's.
fn feed_events(count: usize) -> Vec<serde_json::Value> {
    let now = Utc::now();
    synth::Generator::new(77, (count / 3).max(10) as u64, now - TimeDelta::minutes(5))
        .flatten()
        .filter_map(|mut e| {
            let reference = e["crime_reference"].as_str()?.to_owned();
            e["crime_reference"] = format!("9{}", &reference[1..]).into();
            e["id"] = format!("LOAD-{}", e["id"].as_str()?).into();
            e["source"] = "load".into();
            Some(e)
        })
        .take(count)
        .collect()
}

pub async fn load(
    seconds: u64,
    portal_sessions: usize,
    agents: usize,
    events_per_second: usize,
    database_url: Option<String>,
    mut settings: Settings,
) -> anyhow::Result<()> {
    let scratch = bench_fresh(database_url.as_deref()).await?;
    let db = scratch.db.clone();
    super::serve::load_demo_data(&db, 2000).await?;
    let now = Utc::now();

    let portal = super::serve::demo_portal_sessions(&db, portal_sessions).await?;
    // Helpline agents, signed in the same way.
    let mut staff = Vec::new();
    for i in 0..agents {
        let password = format!("bench-password-{i:04}-long-enough");
        let created = db
            .create_staff_user(
                store::NewStaffUser {
                    username: domain::staff::Username::parse(&format!("bench.agent.{i}"))
                        .map_err(anyhow::Error::msg)?,
                    display_name: format!("Agent {i}"),
                    role: domain::staff::Role::HelplineAgent,
                    team: None,
                    collar_number: None,
                    password: password.clone(),
                },
                now,
            )
            .await?;
        let code = store::totp_code(&created.totp_secret, Utc::now())
            .ok_or_else(|| anyhow::anyhow!("no sign-in code for a new agent"))?;
        if let store::SignIn::SignedIn { session, .. } = db
            .sign_in(&format!("bench.agent.{i}"), &password, &code, Utc::now())
            .await?
        {
            staff.push(format!("__Host-vc_staff={session}"));
        }
    }
    let key = db.create_api_key("load test", now).await?.secret;
    let references: Vec<String> = db
        .list_cases(None, None, 2000)
        .await?
        .into_iter()
        .map(|c| c.crime_reference)
        .collect();

    let provider_url = provider().await?;
    settings.server.bind = "127.0.0.1:0".parse()?;
    settings.scheduler.interval_seconds = 60;
    settings.notify.api_url = provider_url;
    settings.notify.api_key = Some(
        "bench-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0".into(),
    );
    settings.notify.sms_template = "sms".into();
    settings.notify.email_template = "email".into();
    settings.notify.interval_seconds = 1;
    let app = Application::with_db(&settings, db.clone()).await?;
    let base = format!("http://{}", app.local_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(portal.len() + staff.len() + 4)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let tally: Shared = Arc::default();
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();

    // The feed: a batch every 100 ms, sent on time whether or not the last one has been
    // answered (as the crime recording system sends its news), so a slow answer shows as
    // latency and never as a slower feed.
    let per_batch = (events_per_second / 10).max(1);
    let events = feed_events(per_batch * 10 * seconds as usize + per_batch);
    {
        let (client, base, tally, key) = (client.clone(), base.clone(), tally.clone(), key.clone());
        tasks.spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            let mut in_flight = tokio::task::JoinSet::new();
            for batch in events.chunks(per_batch) {
                tick.tick().await;
                if Instant::now() >= until {
                    break;
                }
                let body = serde_json::json!({ "events": batch });
                let (client, base, tally, key) =
                    (client.clone(), base.clone(), tally.clone(), key.clone());
                in_flight.spawn(async move {
                    let sent = Instant::now();
                    let r = client
                        .post(format!("{base}/api/v1/events"))
                        .bearer_auth(&key)
                        .json(&body)
                        .send()
                        .await;
                    let ok = matches!(&r, Ok(r) if r.status().is_success());
                    tally
                        .lock()
                        .await
                        .record("POST /api/v1/events", sent.elapsed(), ok);
                });
            }
            while in_flight.join_next().await.is_some() {}
        });
    }
    // Victims reading their case page.
    for cookie in portal.clone() {
        let (client, base, tally) = (client.clone(), base.clone(), tally.clone());
        tasks.spawn(async move {
            while Instant::now() < until {
                let sent = Instant::now();
                let r = client
                    .get(format!("{base}/my-case"))
                    .header("cookie", &cookie)
                    .send()
                    .await;
                let ok = match r {
                    Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                    _ => false,
                };
                tally
                    .lock()
                    .await
                    .record("GET /my-case", sent.elapsed(), ok);
                // A person reads the page before the next click.
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        });
    }
    // Agents: find a victim by crime reference, open the call, read the call screen.
    for (i, cookie) in staff.clone().into_iter().enumerate() {
        let (client, base, tally) = (client.clone(), base.clone(), tally.clone());
        let references = references.clone();
        tasks.spawn(async move {
            let _: Option<()> = async move {
                let page = client
                    .get(format!("{base}/console"))
                    .header("cookie", &cookie)
                    .send()
                    .await
                    .ok()?
                    .text()
                    .await
                    .ok()?;
                let csrf = page
                    .split("name=\"csrf\" value=\"")
                    .nth(1)?
                    .split('"')
                    .next()?
                    .to_owned();
                let mut n = i;
                while Instant::now() < until {
                    n = (n + 7) % references.len().max(1);
                    let reference = references.get(n)?.clone();
                    let sent = Instant::now();
                    let r = client
                        .post(format!("{base}/console/search"))
                        .header("cookie", &cookie)
                        .header("sec-fetch-site", "same-origin")
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(form(&[
                            ("csrf", &csrf),
                            ("by", "reference"),
                            ("q", &reference),
                        ]))
                        .send()
                        .await;
                    let body = match r {
                        Ok(r) if r.status().is_success() => r.text().await.ok(),
                        _ => None,
                    };
                    tally.lock().await.record(
                        "POST /console/search",
                        sent.elapsed(),
                        body.is_some(),
                    );
                    let open = body.as_deref().and_then(|b| {
                        let q = b.split("/console/open?").nth(1)?.split('"').next()?;
                        let q = q.replace("&amp;", "&");
                        let mut case = None;
                        let mut victim = None;
                        for pair in q.split('&') {
                            match pair.split_once('=') {
                                Some(("case", v)) => case = Some(v.to_owned()),
                                Some(("victim", v)) => victim = Some(v.to_owned()),
                                _ => {}
                            }
                        }
                        Some((case?, victim?))
                    });
                    if let Some((case, victim)) = open {
                        let sent = Instant::now();
                        let r = client
                            .post(format!("{base}/console/calls"))
                            .header("cookie", &cookie)
                            .header("sec-fetch-site", "same-origin")
                            .header("content-type", "application/x-www-form-urlencoded")
                            .body(form(&[
                                ("csrf", &csrf),
                                ("case", &case),
                                ("victim", &victim),
                                ("reason", "caller"),
                            ]))
                            .send()
                            .await;
                        let to = r.ok().and_then(|r| {
                            (r.status() == reqwest::StatusCode::SEE_OTHER)
                                .then(|| {
                                    r.headers().get("location")?.to_str().ok().map(String::from)
                                })
                                .flatten()
                        });
                        tally.lock().await.record(
                            "POST /console/calls",
                            sent.elapsed(),
                            to.is_some(),
                        );
                        if let Some(to) = to {
                            let sent = Instant::now();
                            let r = client
                                .get(format!("{base}{to}"))
                                .header("cookie", &cookie)
                                .send()
                                .await;
                            let ok = matches!(&r, Ok(r) if r.status().is_success());
                            tally.lock().await.record(
                                "GET /console/calls/{id}",
                                sent.elapsed(),
                                ok,
                            );
                        }
                    }
                    // An agent talks to the caller between searches.
                    tokio::time::sleep(Duration::from_millis(1000)).await;
                }
                Some(())
            }
            .await;
        });
    }
    let mut peak_mib = resident_mib().unwrap_or(0.0);
    while Instant::now() < until {
        tokio::time::sleep(Duration::from_secs(1)).await;
        peak_mib = peak_mib.max(resident_mib().unwrap_or(0.0));
    }
    while tasks.join_next().await.is_some() {}
    let elapsed = started.elapsed().as_secs_f64();
    // What the worker sent meanwhile.
    let (queued, _) = db.message_queue().await?;
    let sent: i64 = db
        .message_counts()
        .await?
        .iter()
        .filter(|(_, status, _)| status == "sent" || status == "delivered")
        .map(|(_, _, n)| n)
        .sum();
    let _ = stop.send(());
    let _ = server.await;
    scratch.cleanup().await;

    let tally = tally.lock().await;
    let mut routes = serde_json::Map::new();
    let mut errors = 0;
    println!(
        "{seconds} s on {}: {} victims on their pages, {} agents, the feed at {} events/s.",
        if database_url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        portal.len(),
        staff.len(),
        per_batch * 10
    );
    println!(
        "{:<26} {:>9} {:>9} {:>9} {:>9} {:>7}",
        "route", "requests", "per s", "p50 ms", "p99 ms", "errors"
    );
    for (route, (latencies, failed)) in &tally.by_route {
        let mut all = latencies.clone();
        all.sort_unstable();
        let at = |q: f64| {
            if all.is_empty() {
                return 0.0;
            }
            let i = ((all.len() as f64 * q).ceil() as usize).clamp(1, all.len()) - 1;
            all[i].as_secs_f64() * 1000.0
        };
        errors += failed;
        println!(
            "{route:<26} {:>9} {:>9.1} {:>9.2} {:>9.2} {:>7}",
            all.len(),
            all.len() as f64 / elapsed,
            at(0.5),
            at(0.99),
            failed
        );
        routes.insert(
            (*route).to_owned(),
            serde_json::json!({"requests": all.len(), "per_s": all.len() as f64 / elapsed,
                               "p50_ms": at(0.5), "p99_ms": at(0.99), "errors": failed}),
        );
    }
    let fed = tally
        .by_route
        .iter()
        .find(|(route, _)| **route == "POST /api/v1/events")
        .map_or(0, |(_, (latencies, _))| latencies.len())
        * per_batch;
    let feed_per_s = fed as f64 / elapsed;
    println!("The feed's events stored: {fed} ({feed_per_s:.0} a second).");
    println!(
        "Messages sent by the worker: {sent} (still queued: {queued}). Errors: {errors}. \
         Peak memory of the process (server and load together): {peak_mib:.0} MiB."
    );
    println!(
        "{}",
        serde_json::json!({"bench": "load", "seconds": seconds, "routes": routes,
                           "feed_events_per_s": feed_per_s,
                           "errors": errors, "messages_sent": sent, "peak_rss_mib": peak_mib})
    );
    anyhow::ensure!(errors == 0, "{errors} requests failed");
    Ok(())
}
