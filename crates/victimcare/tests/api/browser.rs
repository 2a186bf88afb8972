//! The victim's pages in a real browser: Debian's Chromium driven through chromedriver, with
//! axe-core (from npm, pinned by the lock file) checking each page against WCAG 2.2 AA, and a
//! pass with JavaScript off to prove every flow works without it.
//!
//! Needs `chromedriver` and `npm ci` (for axe-core). Without them the tests say so and pass,
//! unless `VICTIMCARE_BROWSER_REQUIRED=1` (CI sets it), which makes their absence a failure.

use crate::helpers::{TestApp, spawn_app};
use chrono::Utc;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const CASE: &str = "5000001/26";

fn required() -> bool {
    std::env::var("VICTIMCARE_BROWSER_REQUIRED").is_ok_and(|v| v == "1")
}

fn axe_source() -> Option<String> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(path).ok()
}

/// chromedriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver() -> Option<Driver> {
    let port = TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let driver = Driver { child, port };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(driver);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

/// A headless Chromium session, with or without JavaScript; `None` (the test skips) when the
/// browser is not installed and not required.
async fn browser(javascript: bool) -> Option<(Driver, Client)> {
    let Some(driver) = start_driver() else {
        assert!(!required(), "chromedriver is required but did not start");
        eprintln!("skipped: chromedriver is not installed");
        return None;
    };
    let mut prefs = json!({});
    if !javascript {
        prefs["profile.managed_default_content_settings.javascript"] = json!(2);
    }
    let capabilities = json!({
        "goog:chromeOptions": {
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--window-size=480,900"],
            "prefs": prefs,
        }
    });
    let Value::Object(capabilities) = capabilities else {
        unreachable!("an object literal")
    };
    let client = ClientBuilder::rustls()
        .expect("a TLS connector")
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("chromedriver answers");
    // A phone's width: where a page that does not fit shows first.
    client
        .set_window_size(480, 900)
        .await
        .expect("the window can be sized");
    Some((driver, client))
}

/// axe-core's WCAG 2.2 AA violations on the page, as "rule: where".
async fn violations(client: &Client, axe: &str) -> Vec<String> {
    client.execute(axe, vec![]).await.expect("axe-core loads");
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {runOnly: {type: 'tag',
                 values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})
               .then(r => done(r.violations.map(v =>
                   v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("axe-core runs");
    serde_json::from_value(found).expect("a list of strings")
}

/// axe-core and a browser with JavaScript, or `None` (the test skips) when either is missing
/// and not required.
async fn axe_in_browser() -> Option<(String, Driver, Client)> {
    let Some(axe) = axe_source() else {
        assert!(!required(), "axe-core is required: run `npm ci`");
        eprintln!("skipped: axe-core is not installed (npm ci)");
        return None;
    };
    let (driver, client) = browser(true).await?;
    Some((axe, driver, client))
}

/// A case with one victim, and a link for them.
async fn victim_link(app: &TestApp) -> String {
    let victim = json!({"ref": "W1", "kind": "person", "name": "Mo Farouk",
                        "date_of_birth": "1990-06-15", "email": "mo@example.org",
                        "contact_agreement": {"channels": ["email"], "safe_channels": ["email"]}});
    let events = [
        json!({"source": "cris", "id": "w1", "type": "reported", "crime_reference": CASE,
               "occurred_at": "2026-11-02T10:00:00Z",
               "payload": {"offence": "burglary_residential", "borough": "Harrow",
                           "officer": {"name": "PC Shah"}, "victims": [victim]}}),
        json!({"source": "cris", "id": "w2", "type": "arrested", "crime_reference": CASE,
               "occurred_at": "2026-11-20T10:00:00Z", "payload": {"suspect": "S1"}}),
    ];
    assert_eq!(app.post_events(&events).await.0, reqwest::StatusCode::OK);
    let token = app
        .db
        .issue_portal_access(
            &domain::CrimeReference::parse(CASE).unwrap(),
            None,
            "test",
            Utc::now(),
        )
        .await
        .unwrap()
        .token;
    app.url(&format!("/p/{token}"))
}

/// Waits for the browser to arrive at `path` after a click (a form post is not awaited by the
/// click itself), and says where it is if it never does.
async fn wait_for_path(client: &Client, path: &str) {
    for _ in 0..100 {
        if client.current_url().await.unwrap().path() == path {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let source = client.source().await.unwrap();
    let at = client.current_url().await.unwrap();
    panic!("never reached {path}, but {}:\n{source}", at.path());
}

async fn give_date(client: &Client, day: &str, month: &str, year: &str) {
    for (field, value) in [("day", day), ("month", month), ("year", year)] {
        let input = client.find(Locator::Id(field)).await.unwrap();
        input.clear().await.unwrap();
        input.send_keys(value).await.unwrap();
    }
    client
        .find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn every_victim_page_passes_axe_and_fits_a_phone() {
    let Some((axe, _driver, client)) = axe_in_browser().await else {
        return;
    };
    // First, that the check can fail: a page without a language and an image without words.
    client
        .goto("data:text/html,<title>x</title><img src='x.png'>")
        .await
        .unwrap();
    let broken: Vec<String> = violations(&client, &axe)
        .await
        .into_iter()
        .map(|v| v.split(':').next().unwrap_or_default().to_owned())
        .collect();
    assert!(
        broken.contains(&"html-has-lang".to_owned()) && broken.contains(&"image-alt".to_owned()),
        "axe-core finds nothing on a broken page: {broken:?}"
    );
    let app = spawn_app().await;
    let link = victim_link(&app).await;
    // Six weeks after the report: the survey is waiting on their page.
    let invited = app
        .db
        .invite_to_surveys(
            &[store::SurveyMoment::SixWeeks],
            "2026-12-15T10:00:00Z".parse().unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(invited, 1);
    let pages = [
        "/leaflet",
        "/leaflet/steps/report",
        "/leaflet/steps/investigation",
        "/leaflet/steps/charge",
        "/leaflet/steps/pretrial",
        "/leaflet/steps/trial",
        "/leaflet/steps/sentencing",
        "/leaflet/steps/after",
        "/leaflet/rights",
        "/leaflet/complaints",
        "/leaflet/support",
        "/leaflet/support?crime=domestic&need=safety",
        "/my-case",
        "/my-case/survey",
        "/my-case/support",
        "/my-case/panel",
    ];
    let mut problems = Vec::new();
    // English, Welsh, and Arabic and Urdu for the right-to-left layout.
    for lang in ["en-GB", "cy", "ar", "ur"] {
        for page in pages {
            let sep = if page.contains('?') { '&' } else { '?' };
            client
                .goto(&app.url(&format!("{page}{sep}lang={lang}")))
                .await
                .unwrap();
            for v in violations(&client, &axe).await {
                problems.push(format!("{page} ({lang}): {v}"));
            }
            // The exit control is on screen as the page opens, in either direction.
            let seen = client
                .execute(
                    "const r = document.querySelector('[data-exit]').getBoundingClientRect();
                     return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth
                         && r.top >= 0 && r.bottom <= window.innerHeight;",
                    vec![],
                )
                .await
                .unwrap();
            if seen != json!(true) {
                problems.push(format!(
                    "{page} ({lang}): the exit control is not on screen"
                ));
            }
            let fits = client
                .execute(
                    "return document.documentElement.scrollWidth <= window.innerWidth;",
                    vec![],
                )
                .await
                .unwrap();
            if fits != json!(true) {
                problems.push(format!("{page} ({lang}): wider than a phone's screen"));
            }
        }
        // The verification form, as first seen and after a wrong answer.
        client.goto(&format!("{link}?lang={lang}")).await.unwrap();
        for v in violations(&client, &axe).await {
            problems.push(format!("verify ({lang}): {v}"));
        }
        give_date(&client, "1", "1", "1901").await;
        client
            .wait()
            .for_element(Locator::Css(".error-summary"))
            .await
            .unwrap();
        for v in violations(&client, &axe).await {
            problems.push(format!("refused ({lang}): {v}"));
        }
    }
    // The victim's own case page, after the right answer.
    client.goto(&link).await.unwrap();
    give_date(&client, "15", "6", "1990").await;
    wait_for_path(&client, "/my-case").await;
    for v in violations(&client, &axe).await {
        problems.push(format!("case page: {v}"));
    }
    for lang in ["en-GB", "ar"] {
        for page in [
            "/my-case/contact",
            "/my-case/pin",
            "/my-case/feedback",
            "/my-case/feedback/thanks",
        ] {
            client
                .goto(&app.url(&format!("{page}?lang={lang}")))
                .await
                .unwrap();
            for v in violations(&client, &axe).await {
                problems.push(format!("{page} ({lang}): {v}"));
            }
        }
        // The PIN and feedback forms sent empty: their error summaries and messages.
        for page in ["/my-case/pin", "/my-case/feedback"] {
            client
                .goto(&app.url(&format!("{page}?lang={lang}")))
                .await
                .unwrap();
            client
                .find(Locator::Css("main form button[type=submit]"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            client
                .wait()
                .for_element(Locator::Css(".error-summary"))
                .await
                .unwrap();
            for v in violations(&client, &axe).await {
                problems.push(format!("{page} refused ({lang}): {v}"));
            }
            let fits = client
                .execute(
                    "return document.documentElement.scrollWidth <= window.innerWidth;",
                    vec![],
                )
                .await
                .unwrap();
            if fits != json!(true) {
                problems.push(format!("{page} refused ({lang}): wider than a phone"));
            }
        }
    }
    client.close().await.unwrap();
    assert!(
        problems.is_empty(),
        "accessibility problems:\n{}",
        problems.join("\n")
    );
}

#[tokio::test]
async fn a_victim_can_open_their_case_and_leave_without_javascript() {
    let Some((_driver, client)) = browser(false).await else {
        return;
    };
    let app = spawn_app().await;
    let link = victim_link(&app).await;
    client.goto(&link).await.unwrap();
    give_date(&client, "15", "6", "1990").await;
    // The answer may take a moment on a busy machine: wait for the redirect to land.
    wait_for_path(&client, "/my-case").await;
    let url = client.current_url().await.unwrap();
    assert_eq!(
        url.path(),
        "/my-case",
        "no token or name in the case page's address"
    );
    let text = client
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("Someone was arrested."), "{text}");
    assert!(text.contains("PC Shah"));
    // Welsh, chosen on the page.
    client
        .find(Locator::LinkText("Cymraeg"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("html[lang='cy']"))
        .await
        .unwrap();
    let text = client
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("Cafodd rhywun ei arestio."), "{text}");
    // The exit control is a plain link out, first on the page.
    let exit = client.find(Locator::Css("[data-exit]")).await.unwrap();
    assert_eq!(
        exit.attr("href").await.unwrap().as_deref(),
        Some("https://www.bbc.co.uk/weather")
    );
    // Signing out works as a plain form.
    client
        .find(Locator::Css("form[action='/my-case/sign-out'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&client, "/leaflet").await;
    client.goto(&app.url("/my-case")).await.unwrap();
    let text = client
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("Mae eich sesiwn wedi dod i ben") || text.contains("Your session has ended")
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn pressing_shift_three_times_leaves_the_site() {
    let Some((_driver, client)) = browser(true).await else {
        return;
    };
    let app = spawn_app().await;
    client
        .goto(&app.url("/leaflet/steps/report"))
        .await
        .unwrap();
    let body = client.find(Locator::Css("body")).await.unwrap();
    for _ in 0..3 {
        body.send_keys("\u{E008}").await.unwrap(); // WebDriver's Shift key
    }
    // The neutral site cannot be reached from a test machine, so what is checked is that the
    // browser left this one (and hid the page at once).
    let mut left = false;
    for _ in 0..50 {
        let url = client.current_url().await.unwrap();
        if url.host_str() != Some("127.0.0.1") {
            left = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(left, "still on {}", client.current_url().await.unwrap());
    client.close().await.unwrap();
}

/// Waits (up to ten seconds) until the page is one `done` accepts: (its path, its source).
async fn wait_until(client: &Client, done: impl Fn(&str, &str) -> bool) {
    for _ in 0..100 {
        let path = client.current_url().await.unwrap().path().to_owned();
        if done(&path, &client.source().await.unwrap()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Signs in on the console's page as a user typing.
async fn console_sign_in(client: &Client, app: &TestApp, m: &crate::console::Member) {
    client.goto(&app.url("/console/sign-in")).await.unwrap();
    for (field, value) in [
        ("username", m.username.clone()),
        ("password", m.password.clone()),
        ("code", crate::console::code(&m.secret)),
    ] {
        client
            .find(Locator::Id(field))
            .await
            .unwrap()
            .send_keys(&value)
            .await
            .unwrap();
    }
    click(client, "main form button[type=submit]").await;
}

async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn check_page(client: &Client, axe: &str, name: &str, problems: &mut Vec<String>) {
    for v in violations(client, axe).await {
        problems.push(format!("{name}: {v}"));
    }
}

/// A call from start to finish as two helpline agents do it: the call pops up, the caller is
/// verified, the status is read, the contact is logged (meeting what the victim was owed) with
/// a promised call back, and another agent claims the call back and completes it. Every page
/// is checked with axe-core.
#[tokio::test]
async fn a_helpline_call_from_screen_pop_to_a_completed_call_back() {
    use crate::console::{CASE, cases, ids, member};
    use domain::staff::Role;
    let Some((axe, _driver, client)) = axe_in_browser().await else {
        return;
    };
    let app = spawn_app().await;
    cases(&app).await;
    let (case_id, victim_id) = ids(&app, CASE).await;
    let first = member(&app, Role::HelplineAgent, None).await;
    let second = member(&app, Role::HelplineAgent, None).await;
    let mut problems = Vec::new();

    let tel = app.telephony_key().await;
    let (status, pop) = app
        .api_with_key(
            &tel,
            reqwest::Method::POST,
            "/api/v1/telephony/calls",
            Some(
                json!({"call_id": "CA-browser", "caller": "07700 900123", "agent": first.username}),
            ),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{pop}");

    client.goto(&app.url("/console/sign-in")).await.unwrap();
    check_page(&client, &axe, "sign-in", &mut problems).await;
    console_sign_in(&client, &app, &first).await;
    wait_for_path(&client, "/console").await;
    check_page(&client, &axe, "search", &mut problems).await;

    client
        .goto(&app.url(pop["screen_url"].as_str().unwrap()))
        .await
        .unwrap();
    check_page(&client, &axe, "screen-pop", &mut problems).await;
    click(&client, "a[href*='pop=']").await;
    wait_for_path(&client, "/console/open").await;
    check_page(&client, &axe, "open", &mut problems).await;
    click(&client, "main form button[type=submit]").await;
    wait_until(&client, |path, _| path.starts_with("/console/calls/")).await;
    let call_path = client.current_url().await.unwrap().path().to_owned();
    assert!(
        call_path.starts_with("/console/calls/"),
        "{call_path}: {}",
        client.source().await.unwrap()
    );
    check_page(&client, &axe, "call before verification", &mut problems).await;

    click(&client, "#method-dob").await;
    client
        .find(Locator::Id("dob"))
        .await
        .unwrap()
        .send_keys("1979-08-14")
        .await
        .unwrap();
    client
        .find(Locator::Id("postcode"))
        .await
        .unwrap()
        .send_keys("SE13 5AB")
        .await
        .unwrap();
    click(&client, "form[action$='/verify'] button[type=submit]").await;
    wait_until(&client, |_, page| page.contains("Verified: Date of birth")).await;
    let page = client.source().await.unwrap();
    assert!(
        page.contains("Verified: Date of birth and postcode"),
        "{page}"
    );
    assert!(page.contains("What to tell them"));
    check_page(&client, &axe, "call after verification", &mut problems).await;
    // The support page: the assessment, referrals and a survey by phone.
    let call_url = client.current_url().await.unwrap();
    click(&client, "a[href$='/support']").await;
    wait_until(&client, |path, _| path.ends_with("/support")).await;
    check_page(&client, &axe, "support", &mut problems).await;
    client.goto(call_url.as_str()).await.unwrap();

    click(&client, "input[name=told]").await;
    client
        .find(Locator::Id("note"))
        .await
        .unwrap()
        .send_keys("Told her about the arrest.")
        .await
        .unwrap();
    click(&client, "#callback").await;
    let tomorrow = (Utc::now() + chrono::TimeDelta::days(1))
        .format("%Y-%m-%d")
        .to_string();
    client
        .execute(
            "document.getElementById('callback_date').value = arguments[0];
             document.getElementById('callback_time').value = '14:30';",
            vec![json!(tomorrow)],
        )
        .await
        .unwrap();
    client
        .find(Locator::Id("preferred"))
        .await
        .unwrap()
        .send_keys("after 2pm")
        .await
        .unwrap();
    click(&client, "form.log-form button[type=submit]").await;
    wait_until(&client, |_, page| page.contains("Contact recorded.")).await;
    assert!(client.source().await.unwrap().contains("Contact recorded."));
    check_page(&client, &axe, "call after logging", &mut problems).await;
    let obligations = app
        .db
        .obligations_of_victim(case_id, victim_id)
        .await
        .unwrap();
    assert!(
        obligations.iter().any(|o| o.status == "met"),
        "the update told on the phone is met"
    );

    click(&client, "form[action='/console/sign-out'] button").await;
    wait_for_path(&client, "/console/sign-in").await;
    console_sign_in(&client, &app, &second).await;
    wait_for_path(&client, "/console").await;
    client.goto(&app.url("/console/tasks")).await.unwrap();
    let queue = client.source().await.unwrap();
    assert!(
        queue.contains("after 2pm"),
        "the call back waits with the victim's time"
    );
    check_page(&client, &axe, "queue", &mut problems).await;
    click(&client, "form[action$='/claim'] button").await;
    wait_for_path(&client, "/console/open").await;
    click(&client, "main form button[type=submit]").await;
    wait_until(&client, |path, _| path.starts_with("/console/calls/")).await;
    client
        .goto(&app.url("/console/tasks?view=mine"))
        .await
        .unwrap();
    check_page(&client, &axe, "my tasks", &mut problems).await;
    client
        .find(Locator::Css(
            "form[action$='/complete'] input[name=outcome]",
        ))
        .await
        .unwrap()
        .send_keys("Called back at 14:35; she had no questions.")
        .await
        .unwrap();
    click(&client, "form[action$='/complete'] button").await;
    // The address does not change (the queue, then the queue again): wait for the task's
    // form to go, which it does once the task is done.
    wait_until(&client, |_, page| !page.contains("/complete\"")).await;
    let tasks = app.db.tasks_of_victim(case_id, victim_id).await.unwrap();
    let done = tasks
        .iter()
        .find(|t| t.kind == "callback_promised")
        .unwrap();
    assert!(done.closed_at.is_some(), "the call back is done");
    assert_eq!(done.closed_by.as_deref(), Some(second.username.as_str()));

    client.close().await.unwrap();
    assert!(
        problems.is_empty(),
        "axe-core found:\n{}",
        problems.join("\n")
    );
    app.cleanup().await;
}

/// Every other console page, as each role sees it, passes axe-core: the sign-in page with its
/// error, the reason-for-access form, the officer's cases, the audit log, the queue with
/// updates falling due, staff accounts, and the analyst's figures.
#[tokio::test]
async fn every_console_page_passes_axe() {
    use crate::console::{CASE, COLLAR, cases, ids, member};
    use domain::staff::Role;
    let Some((axe, _driver, client)) = axe_in_browser().await else {
        return;
    };
    let app = spawn_app().await;
    cases(&app).await;
    let (case_id, victim_id) = ids(&app, CASE).await;
    let mut problems = Vec::new();

    client.goto(&app.url("/console/sign-in")).await.unwrap();
    client
        .find(Locator::Id("username"))
        .await
        .unwrap()
        .send_keys("nobody.here")
        .await
        .unwrap();
    client
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys("not a password")
        .await
        .unwrap();
    client
        .find(Locator::Id("code"))
        .await
        .unwrap()
        .send_keys("123456")
        .await
        .unwrap();
    click(&client, "main form button[type=submit]").await;
    wait_until(&client, |_, page| page.contains("There is a problem")).await;
    check_page(&client, &axe, "sign-in with an error", &mut problems).await;

    let pages: [(Role, Option<&str>, Vec<String>); 5] = [
        (
            Role::HelplineAgent,
            None,
            vec![format!("/console/open?case={case_id}&victim={victim_id}")],
        ),
        (
            Role::OfficerInCase,
            Some(COLLAR),
            vec!["/console/my-cases".into(), "/console/tasks".into()],
        ),
        (
            Role::Supervisor,
            None,
            vec![
                "/console/audit".into(),
                "/console/tasks".into(),
                "/console/panel?preview=1&title=T&activity=focus_group&held_on=2027-01-20&places=5&balance_by=borough".into(),
            ],
        ),
        (Role::Administrator, None, vec!["/console/users".into()]),
        (
            Role::Analyst,
            None,
            vec!["/console/figures".into(), "/console/capacity".into()],
        ),
    ];
    for (role, collar, paths) in pages {
        let m = member(&app, role, collar).await;
        console_sign_in(&client, &app, &m).await;
        wait_until(&client, |path, _| path != "/console/sign-in").await;
        for path in paths {
            client.goto(&app.url(&path)).await.unwrap();
            let at = client.current_url().await.unwrap();
            assert_eq!(
                at.path(),
                path.split('?').next().unwrap(),
                "{role} reached {path}"
            );
            check_page(&client, &axe, &format!("{path} ({role})"), &mut problems).await;
        }
        click(&client, "form[action='/console/sign-out'] button").await;
        wait_until(&client, |path, _| path == "/console/sign-in").await;
    }
    client.close().await.unwrap();
    assert!(
        problems.is_empty(),
        "axe-core found:\n{}",
        problems.join("\n")
    );
    app.cleanup().await;
}
