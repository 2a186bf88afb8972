//! `victimcare serve` and `victimcare demo`.

use crate::config::Settings;
use crate::startup::{Application, shutdown_signal};
use chrono::Utc;
use domain::Event;
use store::Db;

const DEMO_KEY_NAME: &str = "demonstration";

pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(&settings).await?;
    let addr = app.local_addr();
    tracing::info!(%addr, "victimcare is listening");
    println!("victimcare is listening on http://{addr}/");
    app.run_until(shutdown_signal()).await
}

/// Loads `cases` synthetic cases into an empty database; leaves a database with cases alone.
/// Returns whether it loaded them.
pub(crate) async fn load_demo_data(db: &Db, cases: u64) -> anyhow::Result<bool> {
    if db.phase_counts().await?.iter().any(|(_, n)| *n > 0) {
        println!("The database already has cases; the demonstration uses them as they are.");
        return Ok(false);
    }
    println!("Loading {cases} demonstration cases (made-up people, London boroughs)…");
    let as_of = synth::DEFAULT_AS_OF.parse().expect("a valid constant");
    let now = Utc::now();
    let mut batch: Vec<Event> = Vec::new();
    let mut total = 0_u64;
    for case in synth::Generator::new(2026, cases, as_of) {
        for json in case {
            let event = Event::parse(&json.to_string(), now).map_err(|problems| {
                anyhow::anyhow!("a generated event did not validate: {problems:?}")
            })?;
            batch.push(event);
        }
        if batch.len() >= domain::ingest::MAX_BATCH / 2 {
            total += db.ingest(&batch, now).await?.accepted;
            batch.clear();
        }
    }
    total += db.ingest(&batch, now).await?.accepted;
    println!("Loaded {total} events.");
    Ok(true)
}

/// Twelve weeks of made-up helpline calls up to now, and a rota for next week that is short
/// on Monday morning, so the capacity page has something to show.
async fn load_demo_calls(db: &Db, policy: &store::CapacityPolicy) -> anyhow::Result<()> {
    use domain::capacity::week::Week;
    let now = Utc::now();
    let from = (0..12).fold(Week::of(now), |w, _| w.previous()).start();
    let calls: Vec<store::CallRecord> = synth::calls::history(2026, from, now, 300.0)
        .into_iter()
        .map(|c| store::CallRecord {
            provider_call_id: c.id,
            queue: "helpline".into(),
            caller_index: None,
            offered_at: c.at,
            outcome: if c.answered {
                store::CallOutcome::Answered
            } else {
                store::CallOutcome::Abandoned
            },
            wait_seconds: c.wait_seconds,
            talk_seconds: c.talk_seconds,
            wrap_seconds: c.wrap_seconds,
        })
        .collect();
    let added = db.import_calls(&calls).await?.added;
    let next = Week::of(now).next();
    let req = policy
        .request(next, false, Vec::new())
        .map_err(|p| anyhow::anyhow!("{}: {}", p.field, p.problem))?;
    let plan = db.staffing_plan(&req, &db.calendar().await?, now).await?;
    let monday_morning = 16..22;
    let rota: Vec<_> = plan
        .intervals
        .iter()
        .map(|i| {
            let short = if monday_morning.contains(&i.slot) {
                3
            } else {
                0
            };
            (i.starts_at, i.rostered.saturating_sub(short))
        })
        .collect();
    db.load_rota(&rota, now).await?;
    println!(
        "Loaded {added} made-up helpline calls and a rota for {}.",
        next.label()
    );
    Ok(())
}

/// Cookies of up to `n` made-up victims signed in to their own pages, each verified as a
/// victim would be (through the store: the server's per-address limit would rightly stop one
/// address opening hundreds of links at once). For the benchmarks.
pub(crate) async fn demo_portal_sessions(db: &Db, n: usize) -> anyhow::Result<Vec<String>> {
    let mut cookies = Vec::with_capacity(n);
    for (reference, number, dob) in demo_victims(db, n).await? {
        let reference =
            domain::CrimeReference::parse(&reference).map_err(|p| anyhow::anyhow!(p))?;
        let access = db
            .issue_portal_access(&reference, Some(number), "bench", Utc::now())
            .await?;
        if let store::Verification::Verified { session } = db
            .verify_portal(&access.token, store::Answer::DateOfBirth(dob), Utc::now())
            .await?
        {
            cookies.push(format!("__Host-vc_portal={session}"));
        }
    }
    Ok(cookies)
}

/// Made-up victims who can try their own case page: people with a date of birth, in cases
/// still being worked on, at most `n` of them. (Crime reference, their number in the case,
/// date of birth.)
pub(crate) async fn demo_victims(
    db: &Db,
    n: usize,
) -> anyhow::Result<Vec<(String, usize, chrono::NaiveDate)>> {
    let mut found = Vec::with_capacity(n);
    for summary in db.list_cases(None, None, 2000).await? {
        if found.len() == n {
            break;
        }
        if summary.phase == domain::Phase::Closed {
            continue;
        }
        let Some(case) = db.case_by_id(summary.case_id).await? else {
            continue;
        };
        let person = case.victims.iter().enumerate().find_map(|(i, v)| {
            (v.record.kind == domain::victim::VictimKind::Person)
                .then_some(v.record.date_of_birth)
                .flatten()
                .map(|dob| (i + 1, dob.date()))
        });
        if let Some((number, dob)) = person {
            found.push((summary.crime_reference, number, dob));
        }
    }
    Ok(found)
}

/// One made-up member of staff per role, with a new password and authenticator secret each
/// run: (username, role, password, secret). The officer is the officer of `officer_case`.
async fn demo_staff(
    db: &Db,
    officer_case: Option<&str>,
) -> anyhow::Result<Vec<(String, &'static str, String, String)>> {
    use domain::staff::{Role, Username};
    let collar = match officer_case.map(domain::CrimeReference::parse) {
        Some(Ok(r)) => db
            .case_by_reference(&r)
            .await?
            .and_then(|c| c.state.officer)
            .and_then(|o| o.collar_number)
            .map(|c| c.to_string()),
        _ => None,
    };
    let existing = db.staff_users().await?;
    let now = Utc::now();
    let mut made = Vec::new();
    for role in Role::ALL {
        let username = format!("demo.{}", role.as_str().replace('_', "."));
        // Made-up passwords for made-up staff: random, so a demonstration left running on a
        // network cannot be signed into with a published password.
        let password = format!("demo-{:016x}", rand::random::<u64>());
        let created = match existing.iter().find(|u| u.username == username) {
            Some(u) => {
                db.reset_staff_credentials(u.user_id, &password, now)
                    .await?
            }
            None => {
                let new = store::NewStaffUser {
                    username: Username::parse(&username).map_err(anyhow::Error::msg)?,
                    display_name: format!("Demo {}", role.label()),
                    role,
                    // The demo's partner worker works for the first agency of the built-in
                    // directory.
                    team: (role == Role::PartnerAgencyWorker).then(|| "victim-support".into()),
                    collar_number: (role == Role::OfficerInCase)
                        .then(|| collar.clone().unwrap_or_else(|| "0000XX".into())),
                    password: password.clone(),
                };
                db.create_staff_user(new, now).await?
            }
        };
        made.push((username, role.as_str(), password, created.totp_secret));
    }
    Ok(made)
}

pub async fn demo(mut settings: Settings, cases: u64) -> anyhow::Result<()> {
    settings.web.public_case_list = true;
    let db = super::open(&settings.database_url, &settings).await?;
    let seeded = load_demo_data(&db, cases).await?;
    if seeded {
        load_demo_calls(&db, &settings.capacity).await?;
    }
    let keys = db.list_api_keys().await?;
    // A database an earlier demonstration seeded has its key; its people are made up too.
    let made_up = seeded || keys.iter().any(|k| k.name == DEMO_KEY_NAME);
    // One demonstration key at a time: the previous run's key stops working.
    for old in keys {
        if old.name == DEMO_KEY_NAME && old.revoked_at.is_none() {
            db.revoke_api_key(old.api_key_id, Utc::now()).await?;
        }
    }
    let key = db.create_api_key(DEMO_KEY_NAME, Utc::now()).await?;
    // Only a victim the demonstration made up: on a database that held cases already, they
    // could be real people, whose links must not be reissued and printed.
    let demo_victim = if made_up {
        demo_victims(&db, 1).await?.pop()
    } else {
        None
    };
    let staff = if made_up {
        demo_staff(&db, demo_victim.as_ref().map(|v| v.0.as_str())).await?
    } else {
        Vec::new()
    };
    let app = Application::with_db(&settings, db.clone()).await?;
    let addr = app.local_addr();
    println!();
    println!("victimcare is running with demonstration data. Open:");
    println!("  http://{addr}/               the start page");
    println!(
        "  http://{addr}/leaflet        the online victim information leaflet (add ?lang=cy for Welsh)"
    );
    println!("  http://{addr}/cases          the cases (no personal details are shown)");
    println!("  http://{addr}/api/openapi.json   the API description");
    println!();
    if let Some((reference, number, dob)) = demo_victim {
        let who = crate::cli::PortalVictim {
            crime_reference: reference,
            victim: Some(number),
            by: DEMO_KEY_NAME.into(),
        };
        let url = super::portal::issue(&db, &who, &format!("http://{addr}")).await?;
        println!("A made-up victim's own case page (the link a victim is given):");
        println!("  {url}");
        println!("  date of birth to give: {}", dob.format("%-d %-m %Y"));
        println!();
    }
    if !staff.is_empty() {
        println!("The staff console: http://{addr}/console/sign-in");
        println!("Made-up staff, one per role (passwords and secrets are new each run):");
        for (username, role, password, secret) in &staff {
            println!(
                "  {username:<28} {role:<24} password {password}  authenticator secret {secret}"
            );
        }
        println!(
            "  The sign-in code comes from an authenticator app with the secret, or from \
             `victimcare user code SECRET`."
        );
        println!();
    }
    println!("Send events with this demonstration API key (made for this run):");
    println!(
        "  curl -H 'Authorization: Bearer {}' -H 'Content-Type: application/json' \\",
        key.secret
    );
    println!("       --data @events.json http://{addr}/api/v1/events");
    println!();
    if settings.notify.smtp_url.is_none() && settings.notify.api_key.is_none() {
        let (waiting, _) = db.message_queue().await?;
        println!(
            "{waiting} messages to victims wait in the outbox: nothing is sent until \
             [notify] smtp_url or api_key is set (see GET /api/v1/outbox)."
        );
        println!();
    }
    println!("Press Ctrl-C to stop.");
    app.run_until(shutdown_signal()).await
}
