//! Messages to victims end to end: an event arrives through the API, the worker sends the
//! message through a real SMTP server (Python's aiosmtpd, writing a maildir), in the victim's
//! language, when their agreement allows; the obligation it carried is met.

use crate::helpers::{TestApp, spawn_app};
use chrono::{DateTime, TimeDelta, Utc};
use reqwest::StatusCode;
use serde_json::json;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// A real SMTP server on a free port, keeping what it receives in a maildir.
pub(crate) struct SmtpServer {
    child: Child,
    port: u16,
    maildir: tempfile::TempDir,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SmtpServer {
    /// Starts aiosmtpd, or says why it cannot (then the test skips, unless CI requires it).
    pub(crate) fn start() -> Option<Self> {
        let required = std::env::var_os("VICTIMCARE_SMTP_REQUIRED").is_some();
        let has = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !has {
            assert!(!required, "aiosmtpd is required: pip install aiosmtpd");
            eprintln!("skipped: needs Python's aiosmtpd (pip install aiosmtpd)");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let maildir = tempfile::tempdir().unwrap();
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            // A folder that does not exist yet: the handler makes the maildir inside it.
            .arg(maildir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Self {
            child,
            port,
            maildir,
        };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(server);
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        drop(server);
        panic!("aiosmtpd did not start");
    }

    /// The emails received so far: (recipients, subject, decoded body).
    pub(crate) fn received(&self) -> Vec<(String, String, String)> {
        let dir: PathBuf = self.maildir.path().join("mail").join("new");
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        entries
            .map(|e| {
                let raw = std::fs::read(e.unwrap().path()).unwrap();
                let mail = mailparse::parse_mail(&raw).unwrap();
                let header = |name: &str| {
                    mail.headers
                        .iter()
                        .find(|h| h.get_key().eq_ignore_ascii_case(name))
                        .map(|h| h.get_value())
                        .unwrap_or_default()
                };
                (header("To"), header("Subject"), mail.get_body().unwrap())
            })
            .collect()
    }
}

/// A worker for the tests: a breaker wide enough never to trip unless a test says so.
fn worker_with(
    db: store::Db,
    mailer: Option<notify::SmtpMailer>,
    notify: Option<notify::NotifyClient>,
) -> victimcare::worker::Worker {
    victimcare::worker::Worker {
        db,
        mailer,
        notify,
        helpline: "0300 123 4567".into(),
        public_url: "https://victims.example".into(),
        lease: TimeDelta::minutes(5),
        burst: victimcare::worker::Burst {
            limit: 20_000,
            window: TimeDelta::minutes(15),
        },
        concurrency: 32,
    }
}

fn smtp_to(port: u16) -> notify::SmtpMailer {
    notify::SmtpMailer::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Victim Care <updates@victimcare.invalid>",
    )
    .unwrap()
}

fn notify_client(fake: &crate::fake_notify::FakeNotify) -> notify::NotifyClient {
    notify::NotifyClient::new(
        &fake.url,
        &crate::fake_notify::api_key(),
        "sms-template",
        "email-template",
    )
    .unwrap()
}

pub(crate) fn worker(app: &TestApp, smtp: &SmtpServer) -> victimcare::worker::Worker {
    worker_with(app.db.clone(), Some(smtp_to(smtp.port)), None)
}

/// Tomorrow at `hour`:00 UTC (the same hour in London in winter, an hour later in summer).
pub(crate) fn tomorrow_at(hour: u32, plus_days: i64) -> DateTime<Utc> {
    (Utc::now() + TimeDelta::days(1 + plus_days))
        .date_naive()
        .and_hms_opt(hour, 0, 0)
        .unwrap()
        .and_utc()
}

#[tokio::test]
async fn news_reaches_the_victim_by_email_in_their_language_and_meets_the_duty() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    email_story(spawn_app().await, smtp).await;
}

#[tokio::test]
async fn news_reaches_the_victim_by_email_in_their_language_and_meets_the_duty_on_postgresql() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let Some(app) = crate::helpers::spawn_app_on_postgres(|_| {}).await else {
        return;
    };
    email_story(app, smtp).await;
}

async fn email_story(app: TestApp, smtp: SmtpServer) {
    let recent = (Utc::now() - TimeDelta::hours(1)).to_rfc3339();
    let welsh = json!({"ref": "N1", "kind": "person", "name": "Gareth Pryce",
        "email": "gareth@example.org", "language": "cy",
        "contact_agreement": {"channels": ["email"], "safe_channels": ["email"]}});
    // Email is on file but not safe: only a phone call is.
    let unsafe_email = json!({"ref": "N2", "kind": "person", "name": "Lena Novak",
        "email": "lena@example.org", "phone": "07700 900456",
        "contact_agreement": {"channels": ["email", "phone_call"],
                              "safe_channels": ["phone_call"]}});
    let reported = |id: &str, reference: &str, victim: &serde_json::Value| {
        json!({"source": "cris", "id": id, "type": "reported", "crime_reference": reference,
               "occurred_at": recent, "payload": {"offence": "burglary_residential",
               "borough": "Cardiff Road", "officer": {"name": "DC Moss"}, "victims": [victim]}})
    };
    let events = [
        reported("n1", "5000001/26", &welsh),
        json!({"source": "cris", "id": "n2", "type": "arrested",
               "crime_reference": "5000001/26", "occurred_at": recent,
               "payload": {"suspect": "S1"}}),
        reported("n3", "5000002/26", &unsafe_email),
    ];
    let (status, body) = app.post_events(&events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let worker = worker(&app, &smtp);

    // At 23:00 nothing goes out: it waits for the morning. The unsafe one is a person's task
    // at once, whatever the hour.
    let night = worker.drain(tomorrow_at(23, 0)).await.unwrap();
    assert_eq!((night.sent, night.waiting, night.to_person), (0, 2, 1));
    assert!(smtp.received().is_empty());

    // The next day at noon both go, in Welsh, to the victim's address only.
    let noon = worker.drain(tomorrow_at(12, 1)).await.unwrap();
    assert_eq!((noon.sent, noon.waiting, noon.to_person), (2, 0, 0));
    let received = smtp.received();
    assert_eq!(received.len(), 2);
    assert!(
        received
            .iter()
            .all(|(to, _, _)| to.contains("gareth@example.org"))
    );
    assert!(
        !received.iter().any(|(to, _, _)| to.contains("lena")),
        "no email to an unsafe address"
    );
    let bodies: Vec<&str> = received.iter().map(|(_, _, b)| b.as_str()).collect();
    assert!(
        bodies
            .iter()
            .any(|b| b.contains("Cafodd rhywun ei arestio.")),
        "{bodies:?}"
    );
    assert!(
        bodies
            .iter()
            .all(|b| b.contains("5000001/26") && b.contains("0300 123 4567"))
    );
    assert!(
        received
            .iter()
            .all(|(_, subject, _)| !subject.contains("arest") && !subject.contains("5000001")),
        "the subject, seen on a locked screen, says nothing about the crime"
    );
    assert!(
        !bodies.iter().any(|b| b.contains("Gareth")),
        "no name in the message"
    );

    // The arrest's duty is met by the email, and the message says how it went.
    let reference = domain::CrimeReference::parse("5000001/26").unwrap();
    let obligations = app
        .db
        .obligations_by_reference(&reference, None)
        .await
        .unwrap()
        .unwrap();
    let arrest = obligations.iter().find(|o| o.rule == "P12-arrest").unwrap();
    assert_eq!(arrest.status, "met");
    let case = app.db.case_by_reference(&reference).await.unwrap().unwrap();
    let messages = app
        .db
        .messages_of_victim(case.case_id, case.victims[0].victim_id)
        .await
        .unwrap();
    assert!(messages.iter().all(|m| {
        m.status == "sent"
            && m.channel.as_deref() == Some("email")
            && m.language.as_deref() == Some("cy")
            && m.template
                .as_deref()
                .is_some_and(|t| t.starts_with(&format!("{}@", m.kind)))
    }));

    // Nothing is sent twice: another pass finds nothing to do.
    let again = worker.drain(tomorrow_at(12, 2)).await.unwrap();
    assert_eq!(again, victimcare::worker::Pass::default());
    assert_eq!(smtp.received().len(), 2);
    app.cleanup().await;
}

#[tokio::test]
async fn a_server_that_is_down_means_a_later_try_not_a_lost_message() {
    let app = spawn_app().await;
    let recent = (Utc::now() - TimeDelta::hours(1)).to_rfc3339();
    let victim = json!({"ref": "D1", "kind": "person", "name": "Ola Nowak",
        "email": "ola@example.org",
        "contact_agreement": {"channels": ["email"], "safe_channels": ["email"]}});
    let event = json!({"source": "cris", "id": "d1", "type": "reported",
        "crime_reference": "5000003/26", "occurred_at": recent,
        "payload": {"offence": "robbery", "borough": "Brent", "officer": {"name": "DC Moss"},
                    "victims": [victim]}});
    assert_eq!(app.post_events(&[event]).await.0, StatusCode::OK);
    // Nothing listens on this port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let worker = worker_with(app.db.clone(), Some(smtp_to(port)), None);
    let noon = tomorrow_at(12, 0);
    let pass = worker.drain(noon).await.unwrap();
    assert_eq!(pass.retrying, 1);
    let (waiting, _) = app.db.message_queue().await.unwrap();
    assert_eq!(waiting, 1, "still in the outbox");
    // Not due again until the back-off has passed.
    assert_eq!(
        worker.drain(noon).await.unwrap(),
        victimcare::worker::Pass::default()
    );
    let later = worker.drain(noon + TimeDelta::minutes(2)).await.unwrap();
    assert_eq!(later.retrying, 1, "tried again");
}

/// A worker sending through the fake Notify service.
fn notify_worker(
    app: &TestApp,
    fake: &crate::fake_notify::FakeNotify,
) -> victimcare::worker::Worker {
    worker_with(app.db.clone(), None, Some(notify_client(fake)))
}

/// A victim who texts, any time of day: the tests that send must not depend on the hour CI
/// runs at (the default quiet hours hold texts from 20:00 to 08:00).
fn texting(r: &str, phone: &str) -> serde_json::Value {
    // A quiet minute twelve hours from now, London time: never in the way of the test.
    let far = (Utc::now() + TimeDelta::hours(12)).with_timezone(&chrono_tz::Europe::London);
    let (from, to) = (
        far.format("%H:%M").to_string(),
        (far + TimeDelta::minutes(1)).format("%H:%M").to_string(),
    );
    json!({"ref": r, "kind": "person", "name": "Tomasz Wiśniewski", "phone": phone,
           "language": "pl",
           "contact_agreement": {"channels": ["sms"], "safe_channels": ["sms"],
                                 "quiet_hours": {"from": from, "to": to}}})
}

#[tokio::test]
async fn a_text_message_goes_through_notify_and_its_receipt_meets_the_duty() {
    let app = crate::helpers::spawn_app_with(|s| {
        s.notify.callback_token = Some("receipt-token".into());
    })
    .await;
    text_message_story(app).await;
}

#[tokio::test]
async fn a_text_message_goes_through_notify_and_its_receipt_meets_the_duty_on_postgresql() {
    let Some(app) = crate::helpers::spawn_app_on_postgres(|s| {
        s.notify.callback_token = Some("receipt-token".into());
    })
    .await
    else {
        return;
    };
    text_message_story(app).await;
}

/// An event through the API, a text through Notify in the victim's language, its receipt, the
/// duty met; with an outage, a refused number and a fallback on the way.
async fn text_message_story(app: TestApp) {
    let fake = crate::fake_notify::start().await;
    *fake.state.callback.lock().unwrap() =
        Some((app.url("/api/v1/notify/receipts"), "receipt-token".into()));
    let recent = (Utc::now() - TimeDelta::hours(1)).to_rfc3339();
    let events = [
        json!({"source": "cris", "id": "t1", "type": "reported", "crime_reference": "5000011/26",
               "occurred_at": recent, "payload": {"offence": "robbery", "borough": "Ealing",
               "officer": {"name": "DC Moss"}, "victims": [texting("T1", "07700 900123")]}}),
        json!({"source": "cris", "id": "t2", "type": "arrested", "crime_reference": "5000011/26",
               "occurred_at": recent, "payload": {"suspect": "S1"}}),
        json!({"source": "cris", "id": "t3", "type": "reported", "crime_reference": "5000012/26",
               "occurred_at": recent, "payload": {"offence": "robbery", "borough": "Ealing",
               "officer": {"name": "DC Moss"}, "victims": [texting("T2", "07700 900999")]}}),
        // The same wrong number, but email is safe too: the message falls back to it.
        json!({"source": "cris", "id": "t4", "type": "reported", "crime_reference": "5000013/26",
               "occurred_at": recent, "payload": {"offence": "robbery", "borough": "Ealing",
               "officer": {"name": "DC Moss"}, "victims": [{"ref": "T3", "kind": "person",
                   "name": "Ana Popescu", "phone": "07700 900999", "email": "ana@example.org",
                   "contact_agreement": {"channels": ["sms", "email"],
                                         "safe_channels": ["sms", "email"]}}]}}),
    ];
    let (status, body) = app.post_events(&events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The service is down for the first try: that message waits and goes later.
    fake.state
        .fail_next
        .store(1, std::sync::atomic::Ordering::SeqCst);
    let worker = notify_worker(&app, &fake);
    let noon = tomorrow_at(12, 0);
    let first = worker.drain(noon).await.unwrap();
    let later = worker.drain(noon + TimeDelta::minutes(5)).await.unwrap();
    assert_eq!(first.sent + later.sent, 3, "{first:?} {later:?}");
    assert_eq!(
        first.to_person + later.to_person,
        1,
        "Notify refused the only safe number: a person must check it with the victim"
    );
    let t2 = domain::CrimeReference::parse("5000012/26").unwrap();
    let refused = app
        .db
        .messages_by_reference(&t2, None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(refused[0].status, "person");
    assert!(
        refused[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("did not work")
    );
    let t3 = domain::CrimeReference::parse("5000013/26").unwrap();
    let fell_back = app
        .db
        .messages_by_reference(&t3, None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        fell_back[0].channel.as_deref(),
        Some("email"),
        "the next safe way"
    );

    let accepted: Vec<serde_json::Value> = fake
        .state
        .accepted
        .lock()
        .unwrap()
        .iter()
        .filter(|n| n.get("phone_number").is_some())
        .cloned()
        .collect();
    assert_eq!(accepted.len(), 2);
    assert!(
        accepted
            .iter()
            .all(|n| n["phone_number"] == "+447700900123")
    );
    assert!(accepted.iter().all(|n| n["template_id"] == "sms-template"));
    let bodies: Vec<&str> = accepted
        .iter()
        .map(|n| n["personalisation"]["body"].as_str().unwrap())
        .collect();
    assert!(bodies.iter().all(|b| b.contains("5000011/26")));
    assert!(
        !bodies.iter().any(|b| b.contains("Tomasz")),
        "no name in the message"
    );

    // The receipts come back (as Notify's would) and meet the arrest's duty.
    let reference = domain::CrimeReference::parse("5000011/26").unwrap();
    let mut met = false;
    for _ in 0..100 {
        let obligations = app
            .db
            .obligations_by_reference(&reference, None)
            .await
            .unwrap()
            .unwrap();
        if obligations
            .iter()
            .any(|o| o.rule == "P12-arrest" && o.status == "met")
        {
            met = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(met, "the delivery receipt meets the arrest's duty");
    let case = app.db.case_by_reference(&reference).await.unwrap().unwrap();
    let messages = app
        .db
        .messages_of_victim(case.case_id, case.victims[0].victim_id)
        .await
        .unwrap();
    assert!(messages.iter().all(|m| m.channel.as_deref() == Some("sms")));
    assert!(messages.iter().any(|m| m.status == "delivered"));
    assert_eq!(
        fake.state.resends.load(std::sync::atomic::Ordering::SeqCst),
        0
    );

    // Staff (and monitoring) see every message and the outbox through the API.
    let (status, listed) = app
        .api(
            reqwest::Method::GET,
            "/api/v1/messages?crime_reference=5000011/26",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let listed = listed["messages"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|m| m["victim"] == "T1"
        && m["channel"] == "sms"
        && m["language"] == "pl"
        && m["sent_at"].is_string()));
    // Each with its story: queued, being sent, sent, then delivered by the receipt.
    let steps: Vec<&str> = listed[1]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(steps.first(), Some(&"queued"), "{steps:?}");
    assert_eq!(steps.last(), Some(&"delivered"), "{steps:?}");
    assert!(steps.contains(&"sending"), "{steps:?}");
    let (_, outbox) = app.api(reqwest::Method::GET, "/api/v1/outbox", None).await;
    assert_eq!(outbox["waiting"], 0, "{outbox}");
    assert!(
        outbox["by_channel"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["channel"] == "sms" && c["status"] == "delivered"),
        "{outbox}"
    );
    let metrics = app
        .client
        .get(app.url("/api/v1/metrics"))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("victimcare_outbox_waiting 0"), "{metrics}");
    assert!(metrics.contains("victimcare_messages{channel=\"sms\",status=\"delivered\"}"));
    assert!(
        !metrics.contains("Tomasz") && !metrics.contains("07700"),
        "nothing personal"
    );
    let (missing, _) = app
        .api(
            reqwest::Method::GET,
            "/api/v1/messages?crime_reference=nope",
            None,
        )
        .await;
    assert_eq!(missing, StatusCode::UNPROCESSABLE_ENTITY);

    // A receipt without the token is refused.
    let forged = app
        .client
        .post(app.url("/api/v1/notify/receipts"))
        .json(&json!({"reference": "victimcare-message-1", "status": "permanent-failure"}))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    app.cleanup().await;
}

/// `count` new cases, each with one victim who agreed to texts.
fn texting_cases(count: usize, first: u32) -> Vec<serde_json::Value> {
    let recent = (Utc::now() - TimeDelta::hours(1)).to_rfc3339();
    (0..count)
        .map(|i| {
            let n = first + u32::try_from(i).unwrap();
            json!({"source": "cris", "id": format!("k{n}"), "type": "reported",
                   "crime_reference": format!("{n:07}/26"), "occurred_at": recent,
                   "payload": {"offence": "robbery", "borough": "Ealing",
                               "officer": {"name": "DC Moss"},
                               "victims": [texting(&format!("K{n}"), "07700 900123")]}})
        })
        .collect()
}

/// `victimcare worker` on `database_url` (opened with `field_keys`, as the application's),
/// sending texts through the fake provider every second with 2-second claims.
fn worker_process(
    database_url: &str,
    field_keys: &str,
    fake: &crate::fake_notify::FakeNotify,
    dir: &std::path::Path,
) -> Child {
    Command::new(env!("CARGO_BIN_EXE_victimcare"))
        .args(["worker", "--database-url", database_url])
        .current_dir(dir)
        .env("VICTIMCARE_SECURITY__FIELD_KEYS", field_keys)
        .env("VICTIMCARE_NOTIFY__API_KEY", crate::fake_notify::api_key())
        .env("VICTIMCARE_NOTIFY__API_URL", &fake.url)
        .env("VICTIMCARE_NOTIFY__SMS_TEMPLATE", "sms-template")
        .env("VICTIMCARE_NOTIFY__INTERVAL_SECONDS", "1")
        .env("VICTIMCARE_NOTIFY__LEASE_SECONDS", "2")
        // Thousands of one kind at once would trip the circuit breaker: not these tests.
        .env("VICTIMCARE_NOTIFY__BURST_LIMIT", "100000")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// References the provider took, and whether any was taken twice.
fn taken_once(fake: &crate::fake_notify::FakeNotify) -> (usize, bool) {
    let accepted = fake.state.accepted.lock().unwrap();
    let mut references: Vec<&str> = accepted
        .iter()
        .map(|n| n["reference"].as_str().unwrap())
        .collect();
    let all = references.len();
    references.sort_unstable();
    references.dedup();
    (references.len(), references.len() == all)
}

#[tokio::test]
async fn a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice() {
    let app = spawn_app().await;
    for chunk in texting_cases(3000, 6_000_000).chunks(1000) {
        let (status, body) = app.post_events(chunk).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let fake = crate::fake_notify::start().await;
    // A slow provider: the worker is always in the middle of sends when it is killed.
    fake.state
        .delay_ms
        .store(20, std::sync::atomic::Ordering::SeqCst);
    // The worker opens the database with the same keys as the application.
    let field_keys = app.db.sealer().keys().to_text();
    let dir = tempfile::tempdir().unwrap();
    let start_worker = || worker_process(&app.database_url, &field_keys, &fake, dir.path());
    let mut worker = start_worker();
    let accepted = || fake.state.accepted.lock().unwrap().len();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while accepted() < 500 {
        assert!(
            std::time::Instant::now() < deadline,
            "the worker sends nothing"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // SIGKILL: no chance to tidy up.
    worker.kill().unwrap();
    worker.wait().unwrap();
    let at_kill = accepted();
    assert!(at_kill < 3000, "killed before the end ({at_kill} sent)");

    let mut worker = start_worker();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let (waiting, _) = app.db.message_queue().await.unwrap();
        if waiting == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{waiting} messages never went"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    worker.kill().unwrap();
    worker.wait().unwrap();
    let (distinct, once) = taken_once(&fake);
    assert_eq!(distinct, 3000, "every message reached the provider");
    assert!(once, "no victim got a message twice");
    let resent = fake.state.resends.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(resent, 0, "a message in flight at the kill was sent again");
    println!("killed after {at_kill} sends; none sent twice after the restart");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgresql_restart_mid_dispatch_loses_nothing_and_sends_nothing_twice() {
    let Some(pg) = crate::private_postgres::PrivatePostgres::start() else {
        return;
    };
    let url = pg.url("postgres");
    let db = store::Db::connect(&url, store::Keys::generate())
        .await
        .unwrap();
    let now = Utc::now();
    let events: Vec<domain::Event> = texting_cases(3000, 9_000_000)
        .iter()
        .map(|v| domain::Event::parse(&v.to_string(), now).unwrap())
        .collect();
    db.ingest(&events, now).await.unwrap();
    let fake = crate::fake_notify::start().await;
    // A slow provider: hundreds of sends are in flight (taken by the provider, their outcome
    // not yet written) when the database falls.
    fake.state
        .delay_ms
        .store(200, std::sync::atomic::Ordering::SeqCst);
    let dir = tempfile::tempdir().unwrap();
    let field_keys = db.sealer().keys().to_text();
    let mut worker = worker_process(&url, &field_keys, &fake, dir.path());
    let accepted = || fake.state.accepted.lock().unwrap().len();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while accepted() < 700 {
        assert!(
            std::time::Instant::now() < deadline,
            "the worker sends nothing"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // As in a crash: connections cut, sends taken by the provider but not yet recorded.
    pg.down("immediate");
    let at_fall = accepted();
    // Down for longer than the pool waits for a connection (10 s): the outcomes of the sends
    // in flight cannot be written, and their claims' leases run out.
    tokio::time::sleep(std::time::Duration::from_secs(13)).await;
    assert!(
        worker.try_wait().unwrap().is_none(),
        "the worker gave up while the database was down"
    );
    pg.up();

    // Nobody restarts the worker: it carries on by itself.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        // The test's own connections died with the server too; the pool makes new ones.
        if let Ok((0, _)) = db.message_queue().await {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the messages never all went after the restart"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    worker.kill().unwrap();
    worker.wait().unwrap();
    assert!(
        at_fall < 3000,
        "the database fell mid-dispatch ({at_fall} sent)"
    );
    let (distinct, once) = taken_once(&fake);
    assert_eq!(distinct, 3000, "every message reached the provider");
    assert!(once, "no victim got a message twice");
    assert_eq!(
        fake.state.resends.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "a message sent before the fall was sent again after it"
    );
    let recognised = fake
        .state
        .found_before
        .load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        recognised > 0,
        "some sends were unrecorded at the fall, and found at the provider after it"
    );
    let statuses: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM message GROUP BY status ORDER BY status")
            .fetch_all(&sqlx::PgPool::connect(&url).await.unwrap())
            .await
            .unwrap();
    assert_eq!(
        statuses,
        [("sent".to_owned(), 3000)],
        "each message recorded as sent, once"
    );
    println!(
        "the database fell after {at_fall} sends; {recognised} found sent before, none again; \
         all 3000 went once"
    );
}

#[tokio::test]
async fn two_workers_on_one_postgresql_send_ten_thousand_each_once() {
    let Some(scratch) = store::scratch::ScratchDb::postgres().await else {
        return;
    };
    let now = Utc::now();
    let events: Vec<domain::Event> = texting_cases(10_000, 7_000_000)
        .iter()
        .map(|v| domain::Event::parse(&v.to_string(), now).unwrap())
        .collect();
    scratch.db.ingest(&events, now).await.unwrap();
    let fake = crate::fake_notify::start().await;
    let worker = |db: store::Db| worker_with(db, None, Some(notify_client(&fake)));
    let (one, two) = (worker(scratch.db.clone()), worker(scratch.db.clone()));
    let noon = tomorrow_at(12, 0);
    let (a, b) = tokio::join!(one.drain(noon), two.drain(noon));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.sent + b.sent, 10_000);
    assert!(
        a.sent > 0 && b.sent > 0,
        "both workers took a share: {a:?} {b:?}"
    );
    let (distinct, once) = taken_once(&fake);
    assert_eq!(distinct, 10_000);
    assert!(once);
    assert_eq!(
        fake.state.resends.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "no message was even tried twice"
    );
    scratch.cleanup().await;
}

#[tokio::test]
async fn a_burst_of_one_kind_is_held_until_a_supervisor_decides() {
    let app = spawn_app().await;
    let (status, body) = app.post_events(&texting_cases(30, 8_000_000)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let fake = crate::fake_notify::start().await;
    let mut worker = notify_worker(&app, &fake);
    // The test's clock runs at tomorrow noon (out of quiet hours): a window wide enough to
    // reach back to the messages queued now.
    worker.burst = victimcare::worker::Burst {
        limit: 20,
        window: TimeDelta::days(3),
    };
    let noon = tomorrow_at(12, 0);
    let held = worker.drain(noon).await.unwrap();
    assert_eq!(
        (held.sent, held.held),
        (0, 30),
        "nothing goes, all are held"
    );
    assert!(fake.state.accepted.lock().unwrap().is_empty());
    let holds = app.db.message_holds(false).await.unwrap();
    assert_eq!(holds.len(), 1);
    assert_eq!((holds[0].kind.as_str(), holds[0].held), ("reported", 30));

    // A supervisor looks and releases them: they go, and are not held again.
    let moved = app
        .db
        .decide_hold(
            holds[0].hold_id,
            store::HoldDecision::Release,
            "Sgt Bello",
            noon,
        )
        .await
        .unwrap();
    assert_eq!(moved, 30);
    let released = worker.drain(noon + TimeDelta::minutes(1)).await.unwrap();
    assert_eq!((released.sent, released.held), (30, 0), "{released:?}");
    assert!(app.db.message_holds(false).await.unwrap().is_empty());

    // Another burst of another kind, judged a feed error: discarded, nothing sent.
    let recent = (Utc::now() - TimeDelta::minutes(30)).to_rfc3339();
    let arrests: Vec<serde_json::Value> = (0..25)
        .map(|i| {
            json!({"source": "cris", "id": format!("x{i}"), "type": "arrested",
                   "crime_reference": format!("{:07}/26", 8_000_000 + i),
                   "occurred_at": recent, "payload": {"suspect": "S1"}})
        })
        .collect();
    assert_eq!(app.post_events(&arrests).await.0, StatusCode::OK);
    let later = noon + TimeDelta::minutes(2);
    assert_eq!(worker.drain(later).await.unwrap().held, 25);
    let hold = app.db.message_holds(false).await.unwrap().remove(0);
    app.db
        .decide_hold(
            hold.hold_id,
            store::HoldDecision::Discard,
            "Sgt Bello",
            later,
        )
        .await
        .unwrap();
    assert_eq!(
        worker.drain(later).await.unwrap(),
        victimcare::worker::Pass::default()
    );
    assert_eq!(fake.state.accepted.lock().unwrap().len(), 30);
}

#[tokio::test]
async fn the_periodic_update_goes_only_when_nobody_has_been_in_touch() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let app = spawn_app().await;
    let recent = (Utc::now() - TimeDelta::hours(1)).to_rfc3339();
    let victim = json!({"ref": "P1", "kind": "person", "name": "Ruth Mensah",
        "email": "ruth@example.org",
        "contact_agreement": {"channels": ["email"], "safe_channels": ["email"],
                              "frequency": "weekly"}});
    let event = json!({"source": "cris", "id": "pu1", "type": "reported",
        "crime_reference": "5000021/26", "occurred_at": recent,
        "payload": {"offence": "robbery", "borough": "Brent", "officer": {"name": "DC Moss"},
                    "victims": [victim]}});
    assert_eq!(app.post_events(&[event]).await.0, StatusCode::OK);
    let reference = domain::CrimeReference::parse("5000021/26").unwrap();
    let periodic_due = |app: &TestApp| {
        let db = app.db.clone();
        let reference = reference.clone();
        async move {
            db.obligations_by_reference(&reference, None)
                .await
                .unwrap()
                .unwrap()
                .into_iter()
                .find(|o| o.rule == "PU-periodic-update" && o.status == "open")
                .map(|o| o.due_on)
        }
    };
    // The scheduler plans a weekly update.
    app.db.tick(Utc::now()).await.unwrap();
    assert!(periodic_due(&app).await.is_some());
    let worker = worker(&app, &smtp);

    // The news of the report goes tomorrow; it reaches the victim, so it is their update too.
    let tomorrow = tomorrow_at(12, 0);
    let first = worker.drain(tomorrow).await.unwrap();
    assert_eq!(first.sent, 1);
    // The next tick plans the next update a week after that contact.
    app.db.tick(tomorrow).await.unwrap();
    let due = periodic_due(&app).await.expect("a new periodic update");
    let day_before = (due - chrono::Days::new(1))
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc();
    let pass = worker.drain(day_before).await.unwrap();
    assert_eq!((pass.sent, pass.not_needed), (1, 1), "{pass:?}");
    let bodies: Vec<String> = smtp.received().into_iter().map(|(_, _, b)| b).collect();
    assert_eq!(bodies.len(), 2);
    assert!(
        bodies.iter().any(|b| b.contains("There is no big news.")),
        "{bodies:?}"
    );
    let messages = app
        .db
        .messages_by_reference(&reference, None)
        .await
        .unwrap()
        .unwrap();
    let kinds: Vec<(&str, &str)> = messages
        .iter()
        .map(|m| (m.kind.as_str(), m.status.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("reported", "sent"),
            ("periodic_update", "not_needed"),
            ("periodic_update", "sent")
        ]
    );
    // And the periodic update met the week's duty.
    assert_ne!(periodic_due(&app).await, Some(due));
}

#[tokio::test]
async fn a_discreet_way_carries_only_that_there_is_an_update() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let app = spawn_app().await;
    let recent = (Utc::now() - TimeDelta::hours(1)).to_rfc3339();
    // A shared family inbox: safe to use, but others may read it.
    let victim = json!({"ref": "Q1", "kind": "person", "name": "Mira Shah",
        "email": "family@example.org",
        "contact_agreement": {"channels": ["email"], "safe_channels": ["email"],
                              "discreet_channels": ["email"]}});
    let events = [
        json!({"source": "cris", "id": "q1", "type": "reported", "crime_reference": "5000031/26",
               "occurred_at": recent, "payload": {"offence": "common_assault",
               "borough": "Harrow", "officer": {"name": "DC Moss"}, "victims": [victim]}}),
        json!({"source": "cris", "id": "q2", "type": "arrested", "crime_reference": "5000031/26",
               "occurred_at": recent, "payload": {"suspect": "S1"}}),
    ];
    let (status, body) = app.post_events(&events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let pass = worker(&app, &smtp).drain(tomorrow_at(12, 0)).await.unwrap();
    assert_eq!(pass.sent, 2);
    for (_, subject, body) in smtp.received() {
        assert!(body.contains("There is an update for you."), "{body}");
        for secret in ["5000031/26", "arrest", "Mira", "crime", "case"] {
            assert!(
                !body.to_lowercase().contains(&secret.to_lowercase())
                    && !subject.to_lowercase().contains(&secret.to_lowercase()),
                "{secret} in a discreet message: {subject} / {body}"
            );
        }
    }
}

#[tokio::test]
async fn a_letter_goes_to_the_postal_address_whatever_the_hour() {
    let app = spawn_app().await;
    let fake = crate::fake_notify::start().await;
    let recent = (Utc::now() - TimeDelta::hours(1)).to_rfc3339();
    let victim = json!({"ref": "L1", "kind": "person", "name": "Ola Nowak",
        "address": {"lines": ["12 Acacia Road"], "town": "London", "postcode": "NW10 4AB"},
        "contact_agreement": {"channels": ["letter"], "safe_channels": ["letter"]}});
    let events = [
        json!({"source": "cris", "id": "l1", "type": "reported", "crime_reference": "5000041/26",
               "occurred_at": recent, "payload": {"offence": "burglary_residential",
               "borough": "Brent", "officer": {"name": "DC Moss"}, "victims": [victim]}}),
        json!({"source": "cris", "id": "l2", "type": "charged", "crime_reference": "5000041/26",
               "occurred_at": recent,
               "payload": {"suspect": "S1", "charges": ["Burglary"], "custody": "bailed"}}),
    ];
    let (status, body) = app.post_events(&events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut worker = notify_worker(&app, &fake);
    worker.notify = worker.notify.map(|n| n.with_letters("letter-template"));
    // 23:00: texts and emails would wait; a letter does not.
    let pass = worker.drain(tomorrow_at(23, 0)).await.unwrap();
    assert_eq!((pass.sent, pass.waiting), (2, 0), "{pass:?}");
    let accepted = fake.state.accepted.lock().unwrap().clone();
    assert!(
        accepted
            .iter()
            .all(|n| n["template_id"] == "letter-template")
    );
    let p = &accepted[0]["personalisation"];
    assert_eq!(p["address_line_1"], "Ola Nowak");
    assert_eq!(p["address_line_4"], "NW10 4AB");
    assert!(p["body"].as_str().unwrap().contains("5000041/26"));
    // Once Notify has it to print, the duty is met.
    let reference = domain::CrimeReference::parse("5000041/26").unwrap();
    let obligations = app
        .db
        .obligations_by_reference(&reference, None)
        .await
        .unwrap()
        .unwrap();
    let charged = obligations
        .iter()
        .find(|o| o.rule == "P18-charged")
        .expect("the charge's duty");
    assert_eq!(charged.status, "met");
}

#[tokio::test]
async fn an_update_the_victim_declined_is_not_sent_and_the_duty_says_not_wanted() {
    let app = spawn_app().await;
    let fake = crate::fake_notify::start().await;
    let recent = (Utc::now() - TimeDelta::hours(1)).to_rfc3339();
    let victim = json!({"ref": "W1", "kind": "person", "name": "Dan Okoro",
        "phone": "07700 900123",
        "contact_agreement": {"channels": ["sms"], "safe_channels": ["sms"],
                              "declined_updates": ["arrested"]}});
    let events = [
        json!({"source": "cris", "id": "w1", "type": "reported", "crime_reference": "5000051/26",
               "occurred_at": recent, "payload": {"offence": "robbery", "borough": "Brent",
               "officer": {"name": "DC Moss"}, "victims": [victim]}}),
        json!({"source": "cris", "id": "w2", "type": "arrested", "crime_reference": "5000051/26",
               "occurred_at": recent, "payload": {"suspect": "S1"}}),
    ];
    let (status, body) = app.post_events(&events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let pass = notify_worker(&app, &fake)
        .drain(tomorrow_at(12, 0))
        .await
        .unwrap();
    assert_eq!((pass.sent, pass.not_needed), (1, 1), "{pass:?}");
    let accepted = fake.state.accepted.lock().unwrap().clone();
    assert_eq!(accepted.len(), 1);
    assert!(
        !accepted[0]["personalisation"]["body"]
            .as_str()
            .unwrap()
            .contains("arrested")
    );
    let reference = domain::CrimeReference::parse("5000051/26").unwrap();
    let obligations = app
        .db
        .obligations_by_reference(&reference, None)
        .await
        .unwrap()
        .unwrap();
    let arrest = obligations.iter().find(|o| o.rule == "P12-arrest").unwrap();
    assert_eq!(arrest.status, "not_wanted");

    // An unknown kind in the agreement is refused, naming the field.
    let bad = json!({"source": "cris", "id": "w3", "type": "victim_details_changed",
        "crime_reference": "5000051/26", "occurred_at": recent,
        "payload": {"victim": {"ref": "W1", "kind": "person", "name": "Dan Okoro",
            "phone": "07700 900123",
            "contact_agreement": {"channels": ["sms"], "safe_channels": ["sms"],
                                  "declined_updates": ["parking_tickets"]}}}});
    let (status, body) = app.post_events(&[bad]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("declined_updates[0]"), "{body}");
}

#[tokio::test]
async fn an_administrators_wording_goes_out_and_is_recorded_with_the_message() {
    let app = spawn_app().await;
    let fake = crate::fake_notify::start().await;
    let recent = (Utc::now() - TimeDelta::hours(1)).to_rfc3339();
    let event = json!({"source": "cris", "id": "a1", "type": "arrested",
        "crime_reference": "5000061/26", "occurred_at": recent, "payload": {"suspect": "S1"}});
    let reported = json!({"source": "cris", "id": "a0", "type": "reported",
        "crime_reference": "5000061/26", "occurred_at": recent,
        "payload": {"offence": "robbery", "borough": "Brent", "officer": {"name": "DC Moss"},
                    "victims": [texting("A1", "07700 900123")]}});
    assert_eq!(app.post_events(&[reported, event]).await.0, StatusCode::OK);
    let version = app
        .db
        .set_message_text(
            "pl",
            "msg-sms",
            Some("Sprawa ((reference)): ((news)) Pytania: ((helpline))."),
            "Insp. Hale",
            Utc::now(),
        )
        .await
        .unwrap();
    let pass = notify_worker(&app, &fake)
        .drain(tomorrow_at(12, 0))
        .await
        .unwrap();
    assert_eq!(pass.sent, 2);
    let accepted = fake.state.accepted.lock().unwrap().clone();
    assert!(accepted.iter().all(|n| {
        n["personalisation"]["body"]
            .as_str()
            .unwrap()
            .starts_with("Sprawa 5000061/26: ")
            && n["personalisation"]["body"]
                .as_str()
                .unwrap()
                .contains("Pytania: 0300 123 4567.")
    }));
    let reference = domain::CrimeReference::parse("5000061/26").unwrap();
    let messages = app
        .db
        .messages_by_reference(&reference, None)
        .await
        .unwrap()
        .unwrap();
    assert!(messages.iter().all(|m| {
        m.template
            .as_deref()
            .unwrap()
            .ends_with(&format!(".{version}"))
    }));
}

#[tokio::test]
async fn a_refused_letter_address_goes_to_a_person_instead_of_round_again() {
    let app = spawn_app().await;
    let fake = crate::fake_notify::start().await;
    let recent = (Utc::now() - TimeDelta::hours(1)).to_rfc3339();
    // A postcode Notify will not post to.
    let victim = json!({"ref": "L2", "kind": "person", "name": "Ola Nowak",
        "address": {"lines": ["12 Acacia Road"], "postcode": crate::fake_notify::BAD_POSTCODE},
        "contact_agreement": {"channels": ["letter"], "safe_channels": ["letter"]}});
    let event = json!({"source": "cris", "id": "lr1", "type": "reported",
        "crime_reference": "5000081/26", "occurred_at": recent,
        "payload": {"offence": "robbery", "borough": "Brent", "officer": {"name": "DC Moss"},
                    "victims": [victim]}});
    let (status, body) = app.post_events(&[event]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut worker = notify_worker(&app, &fake);
    worker.notify = worker.notify.map(|n| n.with_letters("letter-template"));
    let pass = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        worker.drain(tomorrow_at(12, 0)),
    )
    .await
    .expect("the pass ends")
    .unwrap();
    assert_eq!((pass.sent, pass.to_person), (0, 1), "{pass:?}");
    let reference = domain::CrimeReference::parse("5000081/26").unwrap();
    let messages = app
        .db
        .messages_by_reference(&reference, None)
        .await
        .unwrap()
        .unwrap();
    assert!(
        messages[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("did not work")
    );
}
