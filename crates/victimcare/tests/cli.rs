//! The command line as an operator uses it: the real binary, real files, a real database.

use std::path::Path;
use std::process::{Command, Output};

#[path = "support/private_postgres.rs"]
mod private_postgres;
use private_postgres::PrivatePostgres;

fn victimcare(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_victimcare"))
        .args(args)
        .current_dir(dir)
        .env_remove("VICTIMCARE_DATABASE_URL")
        .env_remove("VICTIMCARE_CONFIG")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

/// The keys the commands run in `dir` made: its field key file, and a lookup key of our own
/// (these tests do not search).
fn keys_in(dir: &Path) -> store::Keys {
    store::Keys {
        lookup: store::LookupKey::generate(),
        fields: store::Sealer::from_file(&dir.join("data/field.keys"), store::KEY_FILE_CHECK)
            .expect("the commands made a key file"),
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn generate_is_deterministic_and_import_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = victimcare(
        &[
            "generate", "--cases", "120", "--seed", "9", "--out", "a.jsonl",
        ],
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    victimcare(
        &[
            "generate", "--cases", "120", "--seed", "9", "--out", "b.jsonl",
        ],
        d,
    );
    let a = std::fs::read(d.join("a.jsonl")).unwrap();
    assert_eq!(a, std::fs::read(d.join("b.jsonl")).unwrap());
    let lines = a.iter().filter(|b| **b == b'\n').count();
    assert!(lines > 300, "{lines} events");

    // With no database named, the default ./data/victimcare.db is made.
    let first = victimcare(&["import", "a.jsonl", "--batch-size", "100"], d);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains(&format!("{lines} new events stored, 0 already held")),
        "{}",
        stdout(&first)
    );
    assert!(d.join("data/victimcare.db").exists());

    let again = victimcare(&["import", "a.jsonl"], d);
    assert!(
        stdout(&again).contains(&format!("0 new events stored, {lines} already held")),
        "{}",
        stdout(&again)
    );

    let rebuild = victimcare(&["rebuild", "--check-only"], d);
    assert!(rebuild.status.success(), "{}", stderr(&rebuild));
    assert!(
        stdout(&rebuild).contains("Checked 120 cases"),
        "{}",
        stdout(&rebuild)
    );
    assert!(stdout(&rebuild).contains("Every stored projection matches its events."));
    let last: serde_json::Value =
        serde_json::from_str(stdout(&rebuild).lines().last().unwrap()).unwrap();
    assert_eq!(last["cases_differing"], 0);
}

#[test]
fn an_import_stops_at_a_bad_line_and_a_rerun_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    victimcare(
        &[
            "generate",
            "--cases",
            "60",
            "--seed",
            "5",
            "--out",
            "all.jsonl",
        ],
        d,
    );
    let text = std::fs::read_to_string(d.join("all.jsonl")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[57] = lines[57].replace("\"occurred_at\":\"", "\"occurred_at\":\"x");
    std::fs::write(d.join("bad.jsonl"), lines.join("\n")).unwrap();
    let db = format!("sqlite://{}", d.join("vc.db").display());

    let out = victimcare(
        &[
            "import",
            "bad.jsonl",
            "--database-url",
            &db,
            "--batch-size",
            "20",
        ],
        d,
    );
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains("line 58: occurred_at must be a date and time"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("40 new events stored"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("the batch starting at line 41"),
        "{}",
        stderr(&out)
    );

    std::fs::write(d.join("fixed.jsonl"), text).unwrap();
    let out = victimcare(
        &["import", "fixed.jsonl", "--database-url", &db, "--quiet"],
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("40 already held"), "{}", stdout(&out));
}

#[test]
fn api_keys_are_printed_once_and_can_be_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = format!("sqlite://{}", d.join("vc.db").display());
    let out = victimcare(
        &[
            "api-key",
            "create",
            "--name",
            "crime recording system",
            "--database-url",
            &db,
        ],
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let key = stdout(&out).lines().last().unwrap().to_owned();
    assert!(key.starts_with("vck_") && key.len() == 68, "{key}");
    let list = stdout(&victimcare(&["api-key", "list", "--database-url", &db], d));
    assert!(list.contains("crime recording system") && list.contains("active"));
    assert!(!list.contains(&key), "a key is never shown again");
    let out = victimcare(&["api-key", "revoke", "1", "--database-url", &db], d);
    assert!(out.status.success());
    let out = victimcare(&["api-key", "revoke", "1", "--database-url", &db], d);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no active API key with id 1"));
    let out = victimcare(
        &["api-key", "create", "--name", "  ", "--database-url", &db],
        d,
    );
    assert!(
        stderr(&out).contains("--name must not be empty"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bench_portal_ends_with_its_figures_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = victimcare(
        &["bench", "portal", "--sessions", "4", "--seconds", "1"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let last: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().last().unwrap()).unwrap();
    assert_eq!(last["sessions"], 4);
    for run in ["case_page", "static_asset"] {
        for figure in ["requests_per_s", "p50_ms", "p99_ms"] {
            assert!(
                last[run][figure].as_f64().unwrap() > 0.0,
                "{run} {figure}: {last}"
            );
        }
    }
}

#[test]
fn bench_ingest_ends_with_its_figures_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = victimcare(
        &["bench", "ingest", "--events", "3000", "--rounds", "2"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(last["events"], 3000);
    assert_eq!(last["rounds"], 2);
    for figure in [
        "events_per_s",
        "events_per_s_without_engine",
        "raw_events_per_s",
        "ratio",
    ] {
        assert!(last[figure].as_f64().unwrap() > 0.0, "{figure}: {last}");
    }
    // Each round says its own figures, with and without the engine.
    assert_eq!(
        text.lines().filter(|l| l.starts_with("Round ")).count(),
        2,
        "{text}"
    );
    assert!(
        last["engine_slowdown"].as_f64().unwrap().is_finite(),
        "{last}"
    );
}

#[test]
fn bench_code_ends_with_its_figures_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = victimcare(&["bench", "code", "--cases", "300"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let last: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().last().unwrap()).unwrap();
    assert_eq!(last["cases"], 300);
    assert!(
        last["obligations"].as_u64().unwrap() >= 300,
        "every case owes at least a referral"
    );
    assert!(last["events_per_s"].as_f64().unwrap() > 0.0);
}

#[test]
fn a_bad_database_url_or_config_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = victimcare(&["migrate", "--database-url", "mysql://x"], dir.path());
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("must start with sqlite:// or postgres://"),
        "{}",
        stderr(&out)
    );
    let out = victimcare(&["--config", "missing.toml", "migrate"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.toml"), "{}", stderr(&out));
}

/// Runs `serve` as an operator would, at debug level, sends it events with personal details,
/// stops it with SIGTERM, and reads everything it logged.
#[tokio::test]
async fn the_server_logs_no_personal_data_and_stops_cleanly() {
    use std::io::{BufRead, BufReader, Read};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = format!("sqlite://{}", d.join("vc.db").display());
    let out = victimcare(
        &["api-key", "create", "--name", "cris", "--database-url", &db],
        d,
    );
    let key = stdout(&out).lines().last().unwrap().to_owned();

    let mut child = Command::new(env!("CARGO_BIN_EXE_victimcare"))
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", &db])
        .current_dir(d)
        .env("RUST_LOG", "trace")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read the log as it is written: a trace log outgrows a pipe's buffer, and a server
    // that cannot write its log cannot stop.
    let mut log_pipe = child.stderr.take().unwrap();
    let log_reader = std::thread::spawn(move || {
        let mut logs = String::new();
        log_pipe.read_to_string(&mut logs).unwrap();
        logs
    });
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let address = first
        .trim()
        .rsplit(' ')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_owned();

    let events: Vec<serde_json::Value> =
        synth::Generator::new(77, 20, synth::DEFAULT_AS_OF.parse().unwrap())
            .flatten()
            .collect();
    let client = reqwest::Client::new();
    let response = client
        .post(format!("{address}/api/v1/events"))
        .bearer_auth(&key)
        .header("content-type", "application/json")
        .body(serde_json::json!({ "events": events }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut bad = events[0].clone();
    bad["payload"]["victims"][0]["email"] = serde_json::json!("Sam Secretname");
    let response = client
        .post(format!("{address}/api/v1/events"))
        .bearer_auth(&key)
        .header("content-type", "application/json")
        .body(serde_json::json!({ "events": [bad] }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let reference = events[0]["crime_reference"].as_str().unwrap().to_owned();
    let list = client.get(format!("{address}/")).send().await.unwrap();
    assert_eq!(list.status(), 200);

    // A victim's whole journey: a link, a wrong date, the right one, their case page.
    let (portal_case, dob) = events
        .iter()
        .filter(|e| e["type"] == "reported")
        .find_map(|e| {
            let victims = e["payload"]["victims"].as_array()?;
            let dob = victims[0]["date_of_birth"].as_str()?;
            (victims.len() == 1).then(|| {
                (
                    e["crime_reference"].as_str().unwrap().to_owned(),
                    dob.to_owned(),
                )
            })
        })
        .expect("a case with one victim who gave a date of birth");
    let link = victimcare(
        &[
            "portal",
            "link",
            "--crime-reference",
            &portal_case,
            "--database-url",
            &db,
        ],
        d,
    );
    assert!(link.status.success(), "{}", stderr(&link));
    let url = stdout(&link).lines().last().unwrap().to_owned();
    let token = url.rsplit('/').next().unwrap().to_owned();
    let form = |date: &str| {
        let mut parts = date.split('-');
        let (y, m, day) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        format!("day={day}&month={m}&year={y}")
    };
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let open = |body: String| {
        no_redirects
            .post(format!("{address}/p/{token}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    assert_eq!(
        client
            .get(format!("{address}/p/{token}"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(open(form("1901-01-01")).await.unwrap().status(), 422);
    let opened = open(form(&dob)).await.unwrap();
    assert_eq!(opened.status(), 303);
    let cookie = opened.headers()["set-cookie"].to_str().unwrap().to_owned();
    let session = cookie.split(';').next().unwrap().to_owned();
    let page = client
        .get(format!("{address}/my-case"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert!(
        status.success(),
        "a stop signal ends the server cleanly: {status:?}"
    );
    let logs = log_reader.join().unwrap();
    assert!(
        logs.contains("events ingested"),
        "the server did log: {logs}"
    );
    assert!(logs.contains("shutting down"));
    for case in &events {
        for victim in case["payload"]["victims"].as_array().into_iter().flatten() {
            for personal in ["name", "phone", "email", "date_of_birth"] {
                if let Some(value) = victim[personal].as_str() {
                    assert!(!logs.contains(value), "the log holds a victim's {personal}");
                }
            }
        }
    }
    assert!(!logs.contains("Secretname"));
    assert!(!logs.contains(&key), "the log holds the API key");
    assert!(!logs.contains(&token), "the log holds a victim's link");
    let secret = session.split('=').nth(1).unwrap();
    assert!(!logs.contains(secret), "the log holds a session");
    assert!(
        !logs.contains(&portal_case),
        "the log holds the victim's crime reference"
    );
    assert!(
        logs.contains("/p/{token}"),
        "routes are logged by their template: {logs}"
    );
    assert!(
        !logs.contains(&reference),
        "the log holds a crime reference"
    );
}

#[test]
fn the_calendar_commands_print_holidays_and_deadlines() {
    let dir = tempfile::tempdir().unwrap();
    let out = victimcare(
        &["calendar", "add-working-days", "2026-12-24", "3"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "2026-12-31\n");
    let out = victimcare(
        &["calendar", "holidays", "--from", "2022", "--to", "2022"],
        dir.path(),
    );
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 10, "{lines:?}");
    assert!(
        lines.contains(&"2022-09-19\tBank Holiday for the State Funeral of Queen Elizabeth II")
    );
    assert!(
        lines
            .iter()
            .all(|l| l.len() > 11 && l.as_bytes()[10] == b'\t')
    );
    let out = victimcare(
        &["calendar", "add-working-days", "2100-12-31", "3"],
        dir.path(),
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("outside the years the calendar covers"));
    let out = victimcare(
        &["calendar", "holidays", "--from", "1900", "--to", "2000"],
        dir.path(),
    );
    assert!(stderr(&out).contains("--from and --to must be years from 1990 to 2100"));
}

#[test]
fn code_evaluate_prints_each_obligation_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = serde_json::json!({
        "case": {"crime_reference": "1234567/26", "offence": "abh", "flags": ["domestic_abuse"]},
        "victim": {"kind": "person", "date_of_birth": "1990-05-01", "vulnerable": false,
                   "intimidated": false, "persistently_targeted": false},
        "events": [{"id": "e1", "type": "reported", "occurred_at": "2026-03-13T10:00:00Z"},
                   {"id": "e2", "type": "hearing_listed", "occurred_at": "2026-04-01T09:00:00Z",
                    "received_at": "2026-04-02T16:30:00Z"}]
    });
    std::fs::write(dir.path().join("s.json"), scenario.to_string()).unwrap();
    let out = victimcare(&["code", "evaluate", "s.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let obligations: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let w1 = obligations
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["rule"] == "W1-hearing-listed")
        .unwrap();
    assert_eq!(w1["right"], 8);
    assert_eq!(w1["event"], "e2");
    assert_eq!(w1["due"], "2026-04-07");
    assert_eq!(w1["enhanced"], true);
    assert!(
        w1["explanation"]
            .as_str()
            .unwrap()
            .contains("enhanced rights (domestic abuse)")
    );

    std::fs::write(
        dir.path().join("bad.json"),
        scenario
            .to_string()
            .replace("hearing_listed", "hearing_lisetd"),
    )
    .unwrap();
    let out = victimcare(&["code", "evaluate", "bad.json"], dir.path());
    assert!(!out.status.success());
    assert!(stderr(&out).contains("events[1].type"), "{}", stderr(&out));
}

#[test]
fn portal_links_print_and_their_qr_codes_scan_back() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = format!("sqlite://{}/v.db", d.display());
    let generated = victimcare(
        &[
            "generate", "--cases", "30", "--seed", "4", "--out", "e.jsonl",
        ],
        d,
    );
    assert!(generated.status.success(), "{}", stderr(&generated));
    let import = victimcare(&["import", "e.jsonl", "--database-url", &db, "--quiet"], d);
    assert!(import.status.success(), "{}", stderr(&import));
    // The first generated case and its first victim.
    let first = std::fs::read_to_string(d.join("e.jsonl")).unwrap();
    let event: serde_json::Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
    let reference = event["crime_reference"].as_str().unwrap().to_owned();

    let link = victimcare(
        &[
            "portal",
            "link",
            "--crime-reference",
            &reference,
            "--victim",
            "1",
            "--database-url",
            &db,
        ],
        d,
    );
    assert!(link.status.success(), "{}", stderr(&link));
    let url = stdout(&link).lines().last().unwrap().to_owned();
    let token = url
        .strip_prefix("http://127.0.0.1:8080/p/")
        .expect("a portal URL");
    assert!(token.len() >= 32 && token.chars().all(|c| c.is_ascii_hexdigit()));

    let qr = victimcare(
        &[
            "portal",
            "qr",
            "--crime-reference",
            &reference,
            "--victim",
            "1",
            "--format",
            "png",
            "--out",
            "card.png",
            "--database-url",
            &db,
        ],
        d,
    );
    assert!(qr.status.success(), "{}", stderr(&qr));
    let image = image::open(d.join("card.png")).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, scanned) = grids[0].decode().unwrap();
    assert!(scanned.starts_with("http://127.0.0.1:8080/p/"));
    assert_ne!(scanned, url, "each command issues a new link");

    let svg = victimcare(
        &[
            "portal",
            "qr",
            "--crime-reference",
            &reference,
            "--victim",
            "1",
            "--format",
            "svg",
            "--out",
            "card.svg",
            "--database-url",
            &db,
        ],
        d,
    );
    assert!(svg.status.success(), "{}", stderr(&svg));
    assert!(
        std::fs::read_to_string(d.join("card.svg"))
            .unwrap()
            .contains("<svg")
    );

    let nobody = victimcare(
        &[
            "portal",
            "link",
            "--crime-reference",
            &reference,
            "--victim",
            "9",
            "--database-url",
            &db,
        ],
        d,
    );
    assert!(!nobody.status.success());
    assert!(stderr(&nobody).contains("--victim:"), "{}", stderr(&nobody));
}

#[test]
fn the_helpline_sets_a_pin_from_standard_input_and_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = format!("sqlite://{}/v.db", d.display());
    let generated = victimcare(
        &[
            "generate", "--cases", "5", "--seed", "7", "--out", "e.jsonl",
        ],
        d,
    );
    assert!(generated.status.success(), "{}", stderr(&generated));
    let import = victimcare(&["import", "e.jsonl", "--database-url", &db, "--quiet"], d);
    assert!(import.status.success(), "{}", stderr(&import));
    let first = std::fs::read_to_string(d.join("e.jsonl")).unwrap();
    let event: serde_json::Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
    let reference = event["crime_reference"].as_str().unwrap().to_owned();
    let pin = |typed: &str, extra: &[&str]| {
        let mut args = vec![
            "portal",
            "pin",
            "--crime-reference",
            &reference,
            "--victim",
            "1",
            "--by",
            "PC Reid",
            "--database-url",
            &db,
        ];
        args.extend_from_slice(extra);
        with_stdin(&args, d, typed)
    };
    let weak = pin("111111\n", &[]);
    assert!(!weak.status.success());
    assert!(
        stderr(&weak).contains("PIN: must not be the same digit"),
        "{}",
        stderr(&weak)
    );
    let set = pin("402917\n", &[]);
    assert!(set.status.success(), "{}", stderr(&set));
    assert!(stdout(&set).contains("The PIN is set"));
    assert!(!stdout(&set).contains("402917") && !stderr(&set).contains("402917"));
    let cleared = pin("", &["--clear"]);
    assert!(cleared.status.success(), "{}", stderr(&cleared));
    assert!(stdout(&cleared).contains("The PIN is cleared"));
    let again = pin("", &["--clear"]);
    assert!(stdout(&again).contains("had no PIN"));
}

/// Whether the card test can run here: it prints with Chromium and reads the PDF back with
/// poppler's tools. CI installs both (and sets VICTIMCARE_BROWSER_REQUIRED).
fn card_tools() -> bool {
    let on_path = |program: &str| {
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .any(|dir| dir.join(program).is_file())
    };
    let chromium = std::env::var_os("VICTIMCARE_CHROMIUM").is_some()
        || ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .any(|p| on_path(p));
    let ok = chromium && on_path("pdftoppm") && on_path("pdftotext");
    assert!(
        ok || std::env::var_os("VICTIMCARE_BROWSER_REQUIRED").is_none(),
        "the card test needs chromium and poppler-utils"
    );
    ok
}

#[test]
fn a_printed_card_carries_a_working_link_in_the_victims_language() {
    if !card_tools() {
        eprintln!("skipped: needs chromium and poppler-utils (pdftoppm, pdftotext)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = format!("sqlite://{}/v.db", d.display());
    let victim = serde_json::json!({"ref": "V1", "kind": "person", "name": "Samira Haddad",
        "date_of_birth": "1988-02-11", "language": "ar", "email": "samira@example.org",
        "contact_agreement": {"channels": ["email"], "safe_channels": ["email"]}});
    let event = serde_json::json!({"source": "cris", "id": "c1", "type": "reported",
        "crime_reference": "4100001/26", "occurred_at": "2026-11-02T10:00:00Z",
        "payload": {"offence": "burglary_residential", "borough": "Ealing",
                    "officer": {"name": "PC Amir Khan", "team": "Ealing CID"},
                    "victims": [victim]}});
    std::fs::write(d.join("e.jsonl"), format!("{event}\n")).unwrap();
    let import = victimcare(&["import", "e.jsonl", "--database-url", &db, "--quiet"], d);
    assert!(import.status.success(), "{}", stderr(&import));
    let link = victimcare(
        &[
            "portal",
            "link",
            "--crime-reference",
            "4100001/26",
            "--database-url",
            &db,
        ],
        d,
    );
    let old = stdout(&link).lines().last().unwrap().to_owned();

    let card = victimcare(
        &[
            "portal",
            "card",
            "--crime-reference",
            "4100001/26",
            "--out",
            "card.pdf",
            "--database-url",
            &db,
        ],
        d,
    );
    assert!(card.status.success(), "{}", stderr(&card));
    let pdf = std::fs::read(d.join("card.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));

    // The words, as a reader of the PDF gets them: reference, officer, helpline, and the
    // instruction in Arabic.
    let text = Command::new("pdftotext")
        .args(["card.pdf", "-"])
        .current_dir(d)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for expected in ["4100001/26", "PC Amir Khan", "101"] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    assert!(
        text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "no Arabic on the card:\n{text}"
    );
    assert!(
        !text.contains("Samira") && !text.contains("1988"),
        "no name or birthday on a card"
    );

    // The QR code, scanned off the printed page, is the new link; the old one has stopped.
    let raster = Command::new("pdftoppm")
        .args(["-r", "200", "-png", "-singlefile", "card.pdf", "page"])
        .current_dir(d)
        .output()
        .unwrap();
    assert!(raster.status.success());
    let image = image::open(d.join("page.png")).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the card");
    let (_, scanned) = grids[0].decode().unwrap();
    assert!(scanned.starts_with("http://127.0.0.1:8080/p/"), "{scanned}");
    assert_ne!(scanned, old, "printing a card issues a new link");
    // Wrapped over lines, and marked with direction controls inside right-to-left text.
    let joined: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !('\u{200e}'..='\u{202e}').contains(c))
        .collect();
    assert!(
        joined.contains(&scanned),
        "the link is printed for anyone who cannot scan:\n{text}"
    );

    let missing = victimcare(
        &[
            "portal",
            "card",
            "--crime-reference",
            "4100001/26",
            "--out",
            "x.pdf",
            "--chromium",
            "/nonexistent/chromium",
            "--database-url",
            &db,
        ],
        d,
    );
    assert!(!missing.status.success());
    assert!(
        stderr(&missing).contains("was not printed"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn bench_notify_sends_every_message_and_ends_with_its_figures_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = victimcare(
        &["bench", "notify", "--messages", "300", "--latency-ms", "5"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let last: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().last().unwrap()).unwrap();
    assert_eq!(last["messages"], 300);
    for figure in ["one_worker_per_s", "two_workers_per_s"] {
        assert!(last[figure].as_f64().unwrap() > 0.0, "{figure}: {last}");
    }
}

#[test]
fn an_administrator_changes_a_message_text_and_puts_it_back() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = format!("sqlite://{}/v.db", d.display());
    let set = |text: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_victimcare"))
            .args([
                "templates",
                "set",
                "--lang",
                "cy",
                "--key",
                "msg-more",
                "--by",
                "Insp. Hale",
                "--database-url",
                &db,
            ])
            .current_dir(d)
            .env_remove("VICTIMCARE_DATABASE_URL")
            .env_remove("VICTIMCARE_CONFIG")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let wrong = set("Ffoniwch ((helpline)) am ((reference)).");
    assert!(!wrong.status.success());
    assert!(
        stderr(&wrong).contains("((reference))"),
        "{}",
        stderr(&wrong)
    );
    let done = set("Ffoniwch ni ar ((helpline)).\n");
    assert!(done.status.success(), "{}", stderr(&done));
    let list = victimcare(
        &["templates", "list", "--lang", "cy", "--database-url", &db],
        d,
    );
    let listed = stdout(&list);
    assert!(listed.contains("Ffoniwch ni ar ((helpline))."), "{listed}");
    assert!(listed.contains("changed by Insp. Hale"));
    let reset = victimcare(
        &[
            "templates",
            "reset",
            "--lang",
            "cy",
            "--key",
            "msg-more",
            "--by",
            "Insp. Hale",
            "--database-url",
            &db,
        ],
        d,
    );
    assert!(reset.status.success(), "{}", stderr(&reset));
    let listed = stdout(&victimcare(
        &["templates", "list", "--lang", "cy", "--database-url", &db],
        d,
    ));
    assert!(!listed.contains("Ffoniwch ni ar ((helpline))."));
}

fn with_stdin(args: &[&str], dir: &Path, input: &str) -> Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_victimcare"))
        .args(args)
        .current_dir(dir)
        .env_remove("VICTIMCARE_DATABASE_URL")
        .env_remove("VICTIMCARE_CONFIG")
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The authenticator secret a `user create` or `user reset` printed.
fn printed_secret(out: &str) -> String {
    out.lines()
        .find_map(|l| l.split("(shown once; add it to their app): ").nth(1))
        .unwrap()
        .trim()
        .to_owned()
}

#[tokio::test]
async fn a_forgotten_password_or_lost_phone_is_reset_and_the_old_ones_stop_working() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = format!("sqlite://{}/v.db", d.display());
    let create = [
        "user",
        "create",
        "--username",
        "sam.agent",
        "--name",
        "Sam Agent",
        "--role",
        "helpline_agent",
        "--database-url",
        &db,
    ];
    let made = with_stdin(&create, d, "the first long password\n");
    assert!(made.status.success(), "{}", stderr(&made));
    let old_secret = printed_secret(&stdout(&made));
    let reset = [
        "user",
        "reset",
        "--username",
        "sam.agent",
        "--database-url",
        &db,
    ];
    let now = chrono::Utc::now();
    let code = |secret: &str, at| store::totp_code(secret, at).unwrap();
    let idle = chrono::TimeDelta::minutes(30);

    // Signed in on their old phone before they lost it.
    let before = {
        let store = store::Db::connect(&db, keys_in(d)).await.unwrap();
        let at = now - chrono::TimeDelta::minutes(2);
        let signed_in = store
            .sign_in(
                "sam.agent",
                "the first long password",
                &code(&old_secret, at),
                at,
            )
            .await
            .unwrap();
        let store::SignIn::SignedIn { session, .. } = signed_in else {
            panic!("{signed_in:?}")
        };
        assert!(
            store
                .staff_session(&session, idle, now)
                .await
                .unwrap()
                .is_some()
        );
        session
    };

    // A weak password or an unknown name is refused, naming what is wrong.
    let weak = with_stdin(&reset, d, "short\n");
    assert!(!weak.status.success());
    assert!(stderr(&weak).contains("password:"), "{}", stderr(&weak));
    let unknown = with_stdin(
        &[
            "user",
            "reset",
            "--username",
            "nobody",
            "--database-url",
            &db,
        ],
        d,
        "a long enough new password\n",
    );
    assert!(!unknown.status.success());
    assert!(stderr(&unknown).contains("--username: no account"));

    let done = with_stdin(&reset, d, "a brand new long password\n");
    assert!(done.status.success(), "{}", stderr(&done));
    let out = stdout(&done);
    assert!(!out.contains("a brand new long password"), "never printed");
    let new_secret = printed_secret(&out);
    assert_ne!(new_secret, old_secret);

    let store = store::Db::connect(&db, keys_in(d)).await.unwrap();
    assert!(
        store
            .staff_session(&before, idle, now)
            .await
            .unwrap()
            .is_none(),
        "the session on the lost phone has ended"
    );
    let refused = store
        .sign_in(
            "sam.agent",
            "the first long password",
            &code(&old_secret, now),
            now,
        )
        .await
        .unwrap();
    assert_eq!(
        refused,
        store::SignIn::Refused,
        "the old password and phone"
    );
    let refused = store
        .sign_in(
            "sam.agent",
            "a brand new long password",
            &code(&old_secret, now),
            now,
        )
        .await
        .unwrap();
    assert_eq!(refused, store::SignIn::Refused, "the old phone's code");
    let signed_in = store
        .sign_in(
            "sam.agent",
            "a brand new long password",
            &code(&new_secret, now),
            now,
        )
        .await
        .unwrap();
    assert!(
        matches!(signed_in, store::SignIn::SignedIn { .. }),
        "{signed_in:?}"
    );
    let audit = store
        .audit_records(&store::AuditFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        audit.iter().any(|a| a.action == "reset staff credentials"),
        "recorded in the audit log"
    );

    // A disabled account stays disabled: a reset does not open it again.
    let off = victimcare(
        &[
            "user",
            "disable",
            "--username",
            "sam.agent",
            "--database-url",
            &db,
        ],
        d,
    );
    assert!(off.status.success(), "{}", stderr(&off));
    let again = with_stdin(&reset, d, "yet another long password\n");
    assert!(!again.status.success());
    assert!(stderr(&again).contains("disabled"), "{}", stderr(&again));
}

#[test]
fn the_first_administrator_is_made_and_a_changed_audit_record_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = format!("sqlite://{}/v.db", d.display());
    let bad = with_stdin(
        &[
            "user",
            "create",
            "--username",
            "x",
            "--name",
            "",
            "--role",
            "root",
            "--database-url",
            &db,
        ],
        d,
        "short\n",
    );
    assert!(!bad.status.success());
    for field in ["--username", "--role", "--name", "password"] {
        assert!(
            stderr(&bad).contains(field),
            "names {field}: {}",
            stderr(&bad)
        );
    }
    let made = with_stdin(
        &[
            "user",
            "create",
            "--username",
            "Ada.Admin",
            "--name",
            "Ada Admin",
            "--role",
            "administrator",
            "--database-url",
            &db,
        ],
        d,
        "a long and secret password\n",
    );
    assert!(made.status.success(), "{}", stderr(&made));
    let out = stdout(&made);
    assert!(out.contains("Created ada.admin (Administrator)"), "{out}");
    assert!(out.contains("otpauth://totp/"), "{out}");
    assert!(
        !out.contains("a long and secret password"),
        "the password is never printed"
    );
    // The key of the search digests was made, readable by its owner only.
    let key = d.join("data/lookup.key");
    assert!(key.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let list = victimcare(&["user", "list", "--database-url", &db], d);
    assert!(stdout(&list).contains("ada.admin\tadministrator\tAda Admin\tactive"));
    for n in 0..3 {
        let again = with_stdin(
            &[
                "user",
                "create",
                "--username",
                &format!("agent{n}"),
                "--name",
                "An Agent",
                "--role",
                "helpline_agent",
                "--database-url",
                &db,
            ],
            d,
            "another long password\n",
        );
        assert!(again.status.success(), "{}", stderr(&again));
    }

    let verify = victimcare(&["audit", "verify", "--database-url", &db], d);
    assert!(verify.status.success(), "{}", stderr(&verify));
    assert!(
        stdout(&verify).contains("intact: 4 records"),
        "{}",
        stdout(&verify)
    );

    // Someone with the database file edits record 2 behind the application's back (the
    // append-only trigger stops the application itself, so they drop it first).
    let path = d.join("v.db");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        let refused = sqlx::query("UPDATE audit_log SET detail = 'nothing' WHERE audit_id = 2")
            .execute(&pool)
            .await;
        assert!(
            refused.is_err(),
            "the database refuses to change an audit record"
        );
        sqlx::query("DROP TRIGGER audit_no_update")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET detail = 'nothing' WHERE audit_id = 2")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    });
    let verify = victimcare(&["audit", "verify", "--database-url", &db], d);
    assert!(!verify.status.success());
    assert!(
        stderr(&verify).contains("broken at record 2"),
        "names the first broken record: {}",
        stderr(&verify)
    );
}

#[test]
fn capacity_erlang_prints_the_agents_as_json_and_names_a_bad_flag() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = [
        "capacity",
        "erlang",
        "--calls",
        "400",
        "--interval-minutes",
        "30",
        "--aht-seconds",
        "240",
        "--target-answer-seconds",
        "20",
        "--service-level",
        "0.8",
        "--shrinkage",
        "0.3",
    ];
    let c = victimcare(&base, d);
    assert!(c.status.success(), "{}", stderr(&c));
    let v: serde_json::Value = serde_json::from_str(stdout(&c).trim()).unwrap();
    let raw = v["agents_raw"].as_u64().unwrap();
    // 400 calls of 4 minutes in 30 minutes is 53.3 Erlangs: more agents than that.
    assert!(raw > 53 && raw < 70, "{v}");
    assert_eq!(
        v["agents"].as_u64().unwrap(),
        (raw as f64 / 0.7 - 1e-9).ceil() as u64
    );
    assert!(v["service_level"].as_f64().unwrap() >= 0.8);
    for key in [
        "occupancy",
        "waiting_probability",
        "average_speed_of_answer_seconds",
    ] {
        assert!(v[key].is_number(), "{key} missing from {v}");
    }
    assert!(
        v.get("abandonment").is_none(),
        "Erlang C has no abandonment"
    );

    let mut with_patience = base.to_vec();
    with_patience.extend(["--patience-seconds", "120", "--max-abandonment", "0.05"]);
    let a = victimcare(&with_patience, d);
    assert!(a.status.success(), "{}", stderr(&a));
    let va: serde_json::Value = serde_json::from_str(stdout(&a).trim()).unwrap();
    assert!(va["abandonment"].as_f64().unwrap() <= 0.05);
    assert!(
        va["agents_raw"].as_u64().unwrap() <= raw,
        "hang-ups never need more agents"
    );

    let mut wrong = base.to_vec();
    assert_eq!(wrong[10], "--service-level");
    wrong[11] = "1.5";
    let e = victimcare(&wrong, d);
    assert!(!e.status.success());
    assert!(
        stderr(&e).contains("--service-level: must be a share between 0 and 1"),
        "{}",
        stderr(&e)
    );
}

#[test]
fn calls_and_a_rota_load_and_the_plan_prints_for_a_week() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Three weeks of five calls at 09:00 each weekday in February (London, winter: UTC);
    // the plan is for the week after, so the test reads the same whatever today is.
    let mut csv = String::from(
        "call_id,start_time,queue,caller,wait_seconds,talk_seconds,wrap_seconds,outcome\n",
    );
    for (week, monday) in [(7, 9), (8, 16), (9, 23)] {
        for day in 0..5 {
            for i in 0..5 {
                csv.push_str(&format!(
                    "W{week}-{day}-{i},2026-02-{:02} 09:{:02},helpline,07700 900{day}{i}0,15,200,30,answered\n",
                    monday + day,
                    i * 3
                ));
            }
        }
    }
    std::fs::write(d.join("calls.csv"), &csv).unwrap();
    let db = ["--database-url", "sqlite://./v.db"];
    let mut args = vec!["capacity", "import-calls", "calls.csv"];
    args.extend(db);
    let imported = victimcare(&args, d);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(stdout(&imported).contains("Imported 75 calls (0 already held)"));
    let again = victimcare(&args, d);
    assert!(stdout(&again).contains("Imported 0 calls (75 already held)"));
    // The numbers are kept only as digests: no file holds them.
    let raw = std::fs::read(d.join("v.db")).unwrap();
    assert!(
        !raw.windows(11).any(|w| w == b"07700 90000"),
        "a caller's number was stored"
    );

    std::fs::write(
        d.join("bad.csv"),
        "call_id,start_time,wait_seconds,talk_seconds,outcome\nX,soon,1,1,answered\n",
    )
    .unwrap();
    let mut bad = vec!["capacity", "import-calls", "bad.csv"];
    bad.extend(db);
    let refused = victimcare(&bad, d);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("line 2, start_time"),
        "{}",
        stderr(&refused)
    );

    std::fs::write(
        d.join("rota.csv"),
        "interval_start,agents\n2026-03-02 09:00,1\n2026-03-02 09:30,4\n",
    )
    .unwrap();
    let mut rota = vec!["capacity", "rota", "rota.csv"];
    rota.extend(db);
    let loaded = victimcare(&rota, d);
    assert!(loaded.status.success(), "{}", stderr(&loaded));

    let mut plan = vec!["capacity", "plan", "--week", "2026-W10"];
    plan.extend(db);
    let p = victimcare(&plan, d);
    assert!(p.status.success(), "{}", stderr(&p));
    let text = stdout(&p);
    assert!(
        text.contains("Staffing plan for 2026-W10 (Erlang A), from 3 weeks of calls"),
        "{text}"
    );
    let monday_nine = text.lines().find(|l| l.starts_with("Mon 09:00")).unwrap();
    let cols: Vec<&str> = monday_nine.split_whitespace().collect();
    assert_eq!(
        cols[2], "5.0",
        "five calls every Monday at nine: {monday_nine}"
    );
    assert_eq!(cols[6], "1", "the rota's one person: {monday_nine}");
    assert!(
        cols[7].starts_with('-'),
        "one person is short: {monday_nine}"
    );

    let mut what_if = plan.clone();
    what_if.extend(["--what-if", "charged:2000:2026-03-02T09:00", "--csv"]);
    let w = victimcare(&what_if, d);
    assert!(w.status.success(), "{}", stderr(&w));
    let out = stdout(&w);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 337, "a header and 336 half hours");
    let nine: Vec<&str> = lines[19].split(',').collect();
    assert_eq!(nine[0], "Mon 09:00");
    // 2,000 messages at the configured 5%: 100 call-backs, 30% of them in the first half hour.
    let induced: f64 = nine[3].parse().unwrap();
    assert!(induced > 25.0, "{}", lines[19]);
    let before: Vec<&str> = lines[18].split(',').collect();
    assert_eq!(before[3], "0.0", "nobody phones before the message");
}

#[test]
fn bench_capacity_ends_with_its_figures_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = victimcare(&["bench", "capacity", "--rounds", "3"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let v: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert!(v["plan_week_erlang_a_ms_median"].as_f64().unwrap() > 0.0);
    assert!(v["peak_agents"].as_u64().unwrap() > 300, "{v}");
}

#[test]
fn a_backup_taken_during_an_import_is_consistent_and_one_after_is_complete() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = victimcare(
        &[
            "generate", "--cases", "1500", "--seed", "4", "--out", "a.jsonl",
        ],
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let events = std::fs::read(d.join("a.jsonl"))
        .unwrap()
        .iter()
        .filter(|b| **b == b'\n')
        .count();
    // Make the schema first, so the backup has a database to copy at once.
    assert!(
        victimcare(&["migrate", "--database-url", "sqlite://./v.db"], d)
            .status
            .success()
    );
    let mut import = Command::new(env!("CARGO_BIN_EXE_victimcare"))
        .args([
            "import",
            "a.jsonl",
            "--batch-size",
            "50",
            "--quiet",
            "--database-url",
            "sqlite://./v.db",
        ])
        .current_dir(d)
        .env_remove("VICTIMCARE_DATABASE_URL")
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let mid = victimcare(
        &[
            "backup",
            "--out",
            "mid.db",
            "--database-url",
            "sqlite://./v.db",
        ],
        d,
    );
    assert!(mid.status.success(), "{}", stderr(&mid));
    assert!(import.wait().unwrap().success());

    // Taken mid-import, the copy is a moment of the database: whole batches, every case's
    // projection matching its events.
    let check = victimcare(
        &[
            "rebuild",
            "--check-only",
            "--database-url",
            "sqlite://./mid.db",
        ],
        d,
    );
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(
        stdout(&check).contains("Every stored projection matches its events."),
        "{}",
        stdout(&check)
    );

    let full = victimcare(
        &[
            "backup",
            "--out",
            "full.db",
            "--database-url",
            "sqlite://./v.db",
        ],
        d,
    );
    assert!(full.status.success(), "{}", stderr(&full));
    let counts: Vec<serde_json::Value> =
        serde_json::from_str(stdout(&full).lines().last().unwrap()).unwrap();
    let rows = |table: &str| {
        counts
            .iter()
            .find(|c| c["table"] == table)
            .and_then(|c| c["rows"].as_i64())
            .unwrap_or(-1)
    };
    assert_eq!(
        rows("case_event"),
        events as i64,
        "every event is in the backup"
    );
    assert!(rows("obligation") > 0 && rows("victim") > 0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("full.db"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "a backup readable by others: {mode:o}");
    }
    let mid_counts: Vec<serde_json::Value> =
        serde_json::from_str(stdout(&mid).lines().last().unwrap()).unwrap();
    let mid_events = mid_counts
        .iter()
        .find(|c| c["table"] == "case_event")
        .and_then(|c| c["rows"].as_i64())
        .unwrap();
    assert!(mid_events <= events as i64);

    // Restoring is putting the copy in place: the service opens it and finds every case.
    std::fs::copy(d.join("full.db"), d.join("restored.db")).unwrap();
    let restored = victimcare(
        &[
            "rebuild",
            "--check-only",
            "--database-url",
            "sqlite://./restored.db",
        ],
        d,
    );
    assert!(stdout(&restored).contains("Every stored projection matches its events."));

    let again = victimcare(
        &[
            "backup",
            "--out",
            "full.db",
            "--database-url",
            "sqlite://./v.db",
        ],
        d,
    );
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("never overwrites"),
        "{}",
        stderr(&again)
    );
}

/// Starts `serve` on a free port; answers the process and its address.
fn start_server(d: &Path, db: &str) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_victimcare"))
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", db])
        .current_dir(d)
        .env("RUST_LOG", "warn")
        // Only ingest runs, so the result can be compared with `import`, which runs no
        // scheduler passes.
        .env("VICTIMCARE_SCHEDULER__INTERVAL_SECONDS", "0")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let address = first
        .trim()
        .rsplit(' ')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    assert!(address.starts_with("http://"), "{first}");
    (child, address)
}

/// Sends every batch to a new server on `db` with a key of its own, each answered 200: the
/// clean run a faulted one is compared with.
async fn ingest_cleanly(d: &Path, db: &str, bodies: &[String]) {
    let out = victimcare(
        &["api-key", "create", "--name", "cris", "--database-url", db],
        d,
    );
    let key = stdout(&out).lines().last().unwrap().to_owned();
    let mut server = start_server(d, db);
    let client = reqwest::Client::new();
    for body in bodies {
        let r = client
            .post(format!("{}/api/v1/events", server.1))
            .bearer_auth(&key)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    server.0.kill().unwrap();
    server.0.wait().unwrap();
}

/// What a reader can see of a database, to compare two of them.
async fn state_of(
    url: &str,
    d: &Path,
) -> (Vec<(String, domain::Phase, i64)>, Vec<store::TableCount>) {
    let db = store::Db::connect(url, keys_in(d)).await.unwrap();
    let mut cases: Vec<(String, domain::Phase, i64)> = db
        .list_cases(None, None, 1_000_000)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.crime_reference, c.phase, c.event_count))
        .collect();
    cases.sort();
    let counts = db
        .table_counts()
        .await
        .unwrap()
        .into_iter()
        .filter(|c| !["api_key", "audit_log"].contains(&c.table.as_str()))
        .collect();
    (cases, counts)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_ingest_ends_as_if_it_never_fell() {
    let dir = tempfile::tempdir().unwrap();
    let url = |name: &str| format!("sqlite://{}", dir.path().join(name).display());
    let (killed, clean) = (url("killed.db"), url("clean.db"));
    kill_the_server_mid_ingest(dir, &killed, &clean).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_on_postgresql_killed_mid_ingest_ends_as_if_it_never_fell() {
    let Some(pg) = PrivatePostgres::start() else {
        return;
    };
    let admin = sqlx::PgPool::connect(&pg.url("postgres")).await.unwrap();
    sqlx::query("CREATE DATABASE clean")
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let dir = tempfile::tempdir().unwrap();
    kill_the_server_mid_ingest(dir, &pg.url("postgres"), &pg.url("clean")).await;
}

/// Over 100,000 events sent in batches to a server on `db` that is killed twice (SIGKILL)
/// with a batch in flight, the sender retrying; then the same batches into `clean_db` with
/// no fault: both must end the same.
async fn kill_the_server_mid_ingest(dir: tempfile::TempDir, db: &str, clean_db: &str) {
    let d = dir.path();
    let events: Vec<serde_json::Value> =
        synth::Generator::new(5, 26_000, synth::DEFAULT_AS_OF.parse().unwrap())
            .flatten()
            .collect();
    assert!(events.len() >= 100_000, "{} events", events.len());
    let out = victimcare(
        &["api-key", "create", "--name", "cris", "--database-url", db],
        d,
    );
    let key = stdout(&out).lines().last().unwrap().to_owned();
    let bodies: Vec<String> = events
        .chunks(2_000)
        .map(|c| serde_json::json!({ "events": c }).to_string())
        .collect();

    let client = reqwest::Client::new();
    let mut server = start_server(d, db);
    let mut killed = std::collections::HashSet::new();
    let (mut accepted, mut duplicates) = (0_u64, 0_u64);
    for (i, body) in bodies.iter().enumerate() {
        loop {
            let send = client
                .post(format!("{}/api/v1/events", server.1))
                .bearer_auth(&key)
                .header("content-type", "application/json")
                .body(body.clone())
                .send();
            // Twice, SIGKILL while a batch is in flight: it may or may not have committed.
            let result = if [10, 31].contains(&i) && killed.insert(i) {
                let in_flight = tokio::spawn(send);
                tokio::time::sleep(std::time::Duration::from_millis(60)).await;
                server.0.kill().unwrap();
                server.0.wait().unwrap();
                let r = in_flight.await.unwrap();
                server = start_server(d, db);
                r
            } else {
                send.await
            };
            match result {
                Ok(r) if r.status() == 200 => {
                    let v: serde_json::Value = r.json().await.unwrap();
                    accepted += v["accepted"].as_u64().unwrap();
                    duplicates += v["duplicates"].as_u64().unwrap();
                    break;
                }
                // The client retries, as the crime recording system does.
                _ => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            }
        }
    }
    server.0.kill().unwrap();
    server.0.wait().unwrap();
    assert_eq!(killed.len(), 2);
    assert_eq!(accepted + duplicates, events.len() as u64);

    // The same events, the same way, into a database whose server never fell.
    ingest_cleanly(d, clean_db, &bodies).await;

    let (killed_cases, killed_counts) = state_of(db, d).await;
    let (clean_cases, clean_counts) = state_of(clean_db, d).await;
    assert_eq!(killed_cases.len(), clean_cases.len());
    assert!(
        killed_cases == clean_cases,
        "a case differs after the crashes"
    );
    let differing: Vec<String> = killed_counts
        .iter()
        .zip(&clean_counts)
        .filter(|(k, c)| k != c)
        .map(|(k, c)| {
            format!(
                "{}: {} after the crashes, {} clean",
                k.table, k.rows, c.rows
            )
        })
        .collect();
    if !differing.is_empty() {
        let kept = dir.keep();
        panic!(
            "nothing lost, nothing twice: {differing:?} in {}",
            kept.display()
        );
    }
    assert_eq!(killed_counts.len(), clean_counts.len());
    let check = victimcare(&["rebuild", "--check-only", "--database-url", db], d);
    assert!(stdout(&check).contains("Every stored projection matches its events."));
}

#[test]
fn a_subject_access_export_is_readable_private_recorded_and_holds_nobody_else() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let events = [
        serde_json::json!({"source": "cris", "id": "A1", "type": "reported",
            "crime_reference": "7400001/26", "occurred_at": "2026-11-02T10:00:00Z",
            "payload": {"offence": "robbery", "borough": "Brent", "officer": {"name": "DC Moss"},
                "victims": [
                    {"ref": "VA", "kind": "person", "name": "Ada Quill", "language": "cy",
                     "phone": "07700 900201"},
                    {"ref": "VB", "kind": "person", "name": "Bo Rennet", "phone": "07700 900202"}]}}),
        serde_json::json!({"source": "cris", "id": "A2", "type": "arrested",
            "crime_reference": "7400001/26", "occurred_at": "2026-11-03T10:00:00Z",
            "payload": {"suspect": "S1"}}),
    ];
    let lines: String = events.iter().map(|e| format!("{e}\n")).collect();
    std::fs::write(d.join("e.jsonl"), lines).unwrap();
    let db = ["--database-url", "sqlite://./v.db"];
    let mut import = vec!["import", "e.jsonl", "--quiet"];
    import.extend(db);
    assert!(victimcare(&import, d).status.success());
    let mut args = vec![
        "subject-access",
        "--crime-reference",
        "7400001/26",
        "--victim",
        "1",
        "--by",
        "dpo.jones",
        "--out",
        "sar",
    ];
    args.extend(db);
    let out = victimcare(&args, d);
    assert!(out.status.success(), "{}", stderr(&out));
    let files: Vec<std::path::PathBuf> = std::fs::read_dir(d.join("sar"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 2);
    let html_path = files
        .iter()
        .find(|p| p.extension().unwrap() == "html")
        .unwrap();
    let json_path = files
        .iter()
        .find(|p| p.extension().unwrap() == "json")
        .unwrap();
    let html = std::fs::read_to_string(html_path).unwrap();
    let json = std::fs::read_to_string(json_path).unwrap();
    // In their language (Welsh), with their details and their case's events.
    assert!(html.contains("lang=\"cy\""), "{html}");
    assert!(html.contains("Ada Quill") && html.contains("7400001/26"));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["victim"]["details"]["name"], "Ada Quill");
    assert_eq!(v["events"].as_array().unwrap().len(), 2);
    for text in [&html, &json] {
        assert!(
            !text.contains("Bo Rennet") && !text.contains("900202"),
            "another victim leaked"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(html_path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "readable by others: {mode:o}");
    }
    // Recorded in the audit log, whose chain still holds.
    let mut verify = vec!["audit", "verify"];
    verify.extend(db);
    let checked = victimcare(&verify, d);
    assert!(checked.status.success(), "{}", stderr(&checked));
    let url = format!("sqlite://{}", d.join("v.db").display());
    let records = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let db = store::Db::connect(&url, keys_in(d)).await.unwrap();
        db.audit_records(&store::AuditFilter {
            actor: Some("dpo.jones".into()),
            limit: 10,
            ..store::AuditFilter::default()
        })
        .await
        .unwrap()
    });
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].action, "subject access export");
    assert!(records[0].victim_id.is_some());
}

#[test]
fn retention_reports_before_it_erases_and_a_hold_keeps_a_case() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut lines = String::new();
    for (i, name) in ["Orla Vance", "Hugo Marsh"].iter().enumerate() {
        let reference = format!("760000{i}/18");
        lines.push_str(&format!(
            "{}\n{}\n",
            serde_json::json!({"source": "cris", "id": format!("R{i}"), "type": "reported",
                "crime_reference": reference, "occurred_at": "2018-01-10T10:00:00Z",
                "payload": {"offence": "theft", "borough": "Ealing", "officer": {"name": "DC Moss"},
                    "victims": [{"ref": format!("V{i}"), "kind": "person", "name": name}]}}),
            serde_json::json!({"source": "cris", "id": format!("C{i}"), "type": "case_closed",
                "crime_reference": reference, "occurred_at": "2018-06-01T10:00:00Z",
                "payload": {"reason": "No further action"}}),
        ));
    }
    std::fs::write(d.join("e.jsonl"), lines).unwrap();
    let db = ["--database-url", "sqlite://./v.db"];
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(db);
        victimcare(&all, d)
    };
    assert!(run(&["import", "e.jsonl", "--quiet"]).status.success());
    let hold = run(&[
        "retention",
        "hold",
        "--crime-reference",
        "7600001/18",
        "--reason",
        "Civil claim",
        "--by",
        "legal.team",
    ]);
    assert!(hold.status.success(), "{}", stderr(&hold));
    let dry = run(&["retention", "run", "--dry-run", "--by", "dpo"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(
        stdout(&dry).contains("Dry run: 2 victims' personal data is due for erasure (6 years"),
        "{}",
        stdout(&dry)
    );
    assert!(stdout(&dry).contains("1 of them are kept by a legal hold"));
    let done = run(&["retention", "run", "--by", "dpo"]);
    assert!(done.status.success(), "{}", stderr(&done));
    assert!(
        stdout(&done).contains("Erased the personal data of 1 victims"),
        "{}",
        stdout(&done)
    );
    let unknown = run(&[
        "retention",
        "hold",
        "--crime-reference",
        "7699999/18",
        "--reason",
        "x",
        "--by",
        "y",
    ]);
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("no case 7699999/18"),
        "{}",
        stderr(&unknown)
    );
}

/// Runs `demo` until its data is loaded and it says where to open it, then stops it.
fn seed_demo(d: &Path, db: &str) {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_victimcare"))
        .args([
            "demo",
            "--cases",
            "300",
            "--bind",
            "127.0.0.1:0",
            "--database-url",
            db,
        ])
        .current_dir(d)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    for line in lines {
        let line = line.unwrap();
        let ready = line.contains("The staff console");
        seen.push(line);
        if ready {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        seen.iter().any(|l| l.contains("The staff console")),
        "the demo did not start: {seen:?}"
    );
}

/// Every way the demo's victims could be recognised in a copy of the database: names,
/// phone numbers (as stored and as written), email addresses, the first line of addresses.
async fn demo_people(url: &str, d: &Path) -> Vec<String> {
    let db = store::Db::connect(url, keys_in(d)).await.unwrap();
    let mut found = std::collections::BTreeSet::new();
    for case in db.list_cases(None, None, 100_000).await.unwrap() {
        let detail = db.case_by_id(case.case_id).await.unwrap().unwrap();
        for v in detail.victims {
            let r = v.record;
            found.insert(r.name.to_string());
            if let Some(phone) = &r.phone {
                found.insert(phone.as_str().to_owned());
                found.insert(phone.for_reading());
            }
            if let Some(email) = &r.email {
                found.insert(email.as_str().to_owned());
            }
            if let Some(line) = r.address.as_ref().and_then(|a| a.lines.first()) {
                found.insert(line.to_string());
            }
        }
    }
    db.close().await;
    found.into_iter().filter(|s| s.len() >= 6).collect()
}

fn assert_names_none(copy: &[u8], people: &[String], what: &str) {
    assert!(people.len() > 300, "the demo has people: {}", people.len());
    // One pass over the copy for all of them at once.
    let matcher = aho_corasick::AhoCorasick::new(people).unwrap();
    let mut hit = std::collections::BTreeSet::new();
    for m in matcher.find_overlapping_iter(copy) {
        hit.insert(m.pattern().as_usize());
    }
    let readable: Vec<&String> = hit.iter().map(|i| &people[*i]).collect();
    assert!(
        readable.is_empty(),
        "{what} shows {} of {} victims' details, such as {:?}",
        readable.len(),
        people.len(),
        readable.iter().take(3).collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_copy_of_the_demo_database_names_no_victim() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = "sqlite://./demo.db";
    seed_demo(d, db);
    let url = format!("sqlite://{}", d.join("demo.db").display());
    let people = demo_people(&url, d).await;

    // The backup an operator takes, and the live files themselves.
    let out = victimcare(&["backup", "--out", "copy.db", "--database-url", db], d);
    assert!(out.status.success(), "{}", stderr(&out));
    for file in ["copy.db", "demo.db", "demo.db-wal"] {
        let bytes = std::fs::read(d.join(file)).unwrap_or_default();
        assert_names_none(&bytes, &people, file);
    }
    // A dump as SQL text, as someone with the file and the sqlite3 tool would make it.
    if let Ok(dump) = Command::new("sqlite3")
        .arg(d.join("copy.db"))
        .arg(".dump")
        .output()
    {
        assert!(dump.status.success());
        assert!(dump.stdout.len() > 100_000, "the dump holds the data");
        assert_names_none(&dump.stdout, &people, "sqlite3 .dump");
    }
    // With the key, everything is there: the names above came from the same database.
    let status = victimcare(&["keys", "status", "--database-url", db], d);
    assert!(status.status.success(), "{}", stderr(&status));
    assert!(
        stdout(&status).contains("victim.details"),
        "{}",
        stdout(&status)
    );
    assert!(!stdout(&status).contains(" none "), "{}", stdout(&status));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pg_dump_of_the_demo_database_names_no_victim() {
    let Some(scratch) = store::scratch::ScratchDb::postgres().await else {
        return;
    };
    // The scratch database's own connection is not needed: the demo opens it afresh.
    let url = scratch.url.clone();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    seed_demo(d, &url);
    let people = demo_people(&url, d).await;
    let dump = Command::new("pg_dump")
        .args(["--no-owner", "-d", &url])
        .output()
        .expect("pg_dump is installed beside the server");
    assert!(
        dump.status.success(),
        "{}",
        String::from_utf8_lossy(&dump.stderr)
    );
    assert!(dump.stdout.len() > 100_000, "the dump holds the data");
    assert_names_none(&dump.stdout, &people, "pg_dump");
    scratch.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_rotate_while_the_server_runs_and_the_old_key_can_then_go() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: Vec<Vec<serde_json::Value>> =
        synth::Generator::new(11, 150, synth::DEFAULT_AS_OF.parse().unwrap()).collect();
    // Each case's report first; the rest of its story after the key has changed.
    let (first, rest): (Vec<_>, Vec<_>) = cases
        .iter()
        .flat_map(|c| c.iter().enumerate())
        .partition(|(i, _)| *i == 0);
    let body = |events: Vec<(usize, &serde_json::Value)>| {
        let events: Vec<&serde_json::Value> = events.into_iter().map(|(_, e)| e).collect();
        serde_json::json!({ "events": events }).to_string()
    };
    let (first, rest) = (body(first), body(rest));
    let db = "sqlite://./v.db";
    let out = victimcare(
        &["api-key", "create", "--name", "cris", "--database-url", db],
        d,
    );
    let key = stdout(&out).lines().last().unwrap().to_owned();
    let old_keys = std::fs::read_to_string(d.join("data/field.keys")).unwrap();
    let server = start_server(d, db);
    let client = reqwest::Client::new();
    let send = |body: String| {
        client
            .post(format!("{}/api/v1/events", server.1))
            .bearer_auth(&key)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    assert_eq!(send(first).await.unwrap().status(), 200);

    let rotated = victimcare(
        &["keys", "rotate", "--by", "ops.lead", "--database-url", db],
        d,
    );
    assert!(rotated.status.success(), "{}", stderr(&rotated));
    let said = stdout(&rotated);
    assert!(said.contains("0 under any other key"), "{said}");
    let new_keys = std::fs::read_to_string(d.join("data/field.keys")).unwrap();
    let new_key = new_keys.lines().last().unwrap().to_owned();
    assert!(
        new_keys.contains(old_keys.lines().last().unwrap()),
        "the old key is kept"
    );
    assert_ne!(new_key, old_keys.lines().last().unwrap());

    // The running server reads what was sealed again under the new key (every case it
    // updates now was resealed) and seals what it writes with it.
    let r = send(rest).await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let mut server = server;
    server.0.kill().unwrap();
    server.0.wait().unwrap();

    // With the new key alone, everything reads and every case rebuilds to what is stored.
    let url = format!("sqlite://{}", d.join("v.db").display());
    let only_new = store::Keys {
        lookup: store::LookupKey::generate(),
        fields: store::Sealer::new(store::FieldKeys::parse(&new_key).unwrap()),
    };
    let db_new = store::Db::connect(&url, only_new).await.unwrap();
    let uses = db_new.key_use().await.unwrap();
    let id = db_new.sealer().active_id();
    assert!(
        uses.iter()
            .all(|u| u.key_id.as_deref() == Some(id.as_str())),
        "{uses:?}"
    );
    let listed = db_new.list_cases(None, None, 1_000).await.unwrap();
    assert_eq!(listed.len(), 150);
    for case in &listed {
        let detail = db_new.case_by_id(case.case_id).await.unwrap().unwrap();
        assert!(!detail.victims.is_empty());
    }
    let check = db_new.rebuild(false, chrono::Utc::now()).await.unwrap();
    assert_eq!(check.cases_differing, 0);
    assert_eq!(check.victims_differing, 0);
    // A command run from another folder makes a key file of its own: it stops at once,
    // naming the key it lacks, and writes nothing.
    let elsewhere = d.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let absolute = format!("sqlite://{}", d.join("v.db").display());
    let lost = victimcare(&["keys", "status", "--database-url", &absolute], &elsewhere);
    assert!(!lost.status.success());
    let said = stderr(&lost);
    assert!(
        said.contains("sealed under key") && said.contains(&id),
        "{said}"
    );
    // And it is in the audit log.
    let audit = db_new
        .audit_records(&store::AuditFilter {
            actor: Some("ops.lead".into()),
            limit: 10,
            ..store::AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "rotated the field encryption key");
    db_new.close().await;
}

/// A small disk of its own (tmpfs), unmounted when dropped; `None` where this process may not
/// mount one (not root).
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(at: &Path, size: &str) -> Option<Self> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Self(at.to_owned()))
    }

    fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(status.success(), "remount {options}");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// SQLite's own check of every page and index.
async fn integrity(path: &Path) -> String {
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let result: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_on_a_full_or_read_only_disk_says_so_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let Some(disk) = SmallDisk::mount(&d.join("disk"), "3m") else {
        eprintln!("skipped: a small disk cannot be mounted here (it needs root)");
        return;
    };
    // 4,000 cases for the import; 50 more for a write once the disk is read-only.
    let mut cases: Vec<Vec<serde_json::Value>> =
        synth::Generator::new(21, 4_050, synth::DEFAULT_AS_OF.parse().unwrap()).collect();
    let later = cases.split_off(4_000);
    let events: Vec<serde_json::Value> = cases.into_iter().flatten().collect();
    let lines: Vec<String> = events.iter().map(|e| e.to_string()).collect();
    std::fs::write(d.join("events.jsonl"), lines.join("\n")).unwrap();
    let db = "sqlite://./disk/v.db";
    let import = || {
        victimcare(
            &[
                "import",
                "events.jsonl",
                "--batch-size",
                "2000",
                "--quiet",
                "--database-url",
                db,
            ],
            d,
        )
    };

    // The disk fills during the import: it stops with the reason, and what it wrote is whole.
    let full = import();
    assert!(!full.status.success(), "{}", stdout(&full));
    let said = stderr(&full);
    assert!(said.contains("full"), "{said}");
    assert!(!said.contains("panicked"), "{said}");

    // With room again: SQLite finds every page and index intact, every stored case matches
    // its events, and the same import finishes and ends as a clean one would.
    disk.remount("size=96m");
    assert_eq!(integrity(&d.join("disk/v.db")).await, "ok");
    let check = victimcare(&["rebuild", "--check-only", "--database-url", db], d);
    assert!(check.status.success(), "{}", stderr(&check));
    let again = import();
    assert!(again.status.success(), "{}", stderr(&again));
    let clean = victimcare(
        &[
            "import",
            "events.jsonl",
            "--quiet",
            "--database-url",
            "sqlite://./clean.db",
        ],
        d,
    );
    assert!(clean.status.success(), "{}", stderr(&clean));
    let url = |name: &str| format!("sqlite://{}", d.join(name).display());
    let (full_cases, full_counts) = state_of(&url("disk/v.db"), d).await;
    let (clean_cases, clean_counts) = state_of(&url("clean.db"), d).await;
    assert!(full_cases == clean_cases, "the projections differ");
    assert_eq!(full_counts, clean_counts);

    // A disk that went read-only: a write says so plainly and changes nothing; once it is
    // writable again the same write goes through.
    let more: Vec<String> = later.iter().flatten().map(|e| e.to_string()).collect();
    std::fs::write(d.join("more.jsonl"), more.join("\n")).unwrap();
    let import_more = || {
        victimcare(
            &["import", "more.jsonl", "--quiet", "--database-url", db],
            d,
        )
    };
    disk.remount("ro");
    let refused = import_more();
    assert!(!refused.status.success());
    let said = stderr(&refused);
    assert!(
        said.contains("read-only") || said.contains("readonly"),
        "{said}"
    );
    assert!(!said.contains("panicked"), "{said}");
    disk.remount("rw");
    assert_eq!(integrity(&d.join("disk/v.db")).await, "ok");
    let (_, before) = state_of(&url("disk/v.db"), d).await;
    assert_eq!(before, clean_counts, "the refused write changed nothing");
    let taken = import_more();
    assert!(taken.status.success(), "{}", stderr(&taken));
    let (_, after) = state_of(&url("disk/v.db"), d).await;
    let events = |counts: &[store::TableCount]| {
        counts
            .iter()
            .find(|c| c.table == "case_event")
            .map(|c| c.rows)
    };
    assert_eq!(
        events(&after),
        events(&before).map(|n| n + more.len() as i64)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgresql_restart_mid_ingest_is_a_503_then_nothing_lost_or_doubled() {
    let Some(pg) = PrivatePostgres::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let events: Vec<serde_json::Value> =
        synth::Generator::new(31, 3_000, synth::DEFAULT_AS_OF.parse().unwrap())
            .flatten()
            .collect();
    let bodies: Vec<String> = events
        .chunks(500)
        .map(|c| serde_json::json!({ "events": c }).to_string())
        .collect();
    let db = pg.url("postgres");
    let out = victimcare(
        &["api-key", "create", "--name", "cris", "--database-url", &db],
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let key = stdout(&out).lines().last().unwrap().to_owned();
    let mut server = start_server(d, &db);
    let client = reqwest::Client::new();
    let (mut accepted, mut duplicates, mut unavailable) = (0_u64, 0_u64, 0);
    for (i, body) in bodies.iter().enumerate() {
        let send = || {
            client
                .post(format!("{}/api/v1/events", server.1))
                .bearer_auth(&key)
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
        };
        if i == 8 {
            // The database stops cleanly: the service says it cannot store, and is not ready.
            pg.down("fast");
            let r = send().await.unwrap();
            assert_eq!(r.status(), 503);
            let ready = client
                .get(format!("{}/readyz", server.1))
                .send()
                .await
                .unwrap();
            assert_eq!(ready.status(), 503);
            unavailable += 1;
            pg.up();
        }
        if i == 16 {
            // The database falls as a batch is in flight (it may or may not have committed),
            // and comes back; the sender retries as the crime recording system does.
            let in_flight = tokio::spawn(send());
            tokio::time::sleep(std::time::Duration::from_millis(40)).await;
            pg.down("immediate");
            let r = in_flight.await.unwrap().unwrap();
            if r.status() != 200 {
                assert_eq!(r.status(), 503);
                unavailable += 1;
            } else {
                let v: serde_json::Value = r.json().await.unwrap();
                accepted += v["accepted"].as_u64().unwrap();
                duplicates += v["duplicates"].as_u64().unwrap();
                pg.up();
                continue;
            }
            pg.up();
        }
        let mut tries = 0;
        loop {
            let r = send().await.unwrap();
            if r.status() == 200 {
                let v: serde_json::Value = r.json().await.unwrap();
                accepted += v["accepted"].as_u64().unwrap();
                duplicates += v["duplicates"].as_u64().unwrap();
                break;
            }
            // Only "not now": never a refusal of the batch itself.
            assert_eq!(r.status(), 503, "{}", r.text().await.unwrap());
            unavailable += 1;
            tries += 1;
            assert!(tries < 100, "the service did not recover by itself");
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    }
    let ready = client
        .get(format!("{}/readyz", server.1))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200, "ready again without a restart");
    server.0.kill().unwrap();
    server.0.wait().unwrap();
    assert!(unavailable >= 1);
    assert_eq!(accepted + duplicates, events.len() as u64);

    // The same events, the same way, into a database that never fell.
    let admin = sqlx::PgPool::connect(&db).await.unwrap();
    sqlx::query("CREATE DATABASE clean")
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let clean_db = pg.url("clean");
    ingest_cleanly(d, &clean_db, &bodies).await;
    let (fell_cases, fell_counts) = state_of(&db, d).await;
    let (clean_cases, clean_counts) = state_of(&clean_db, d).await;
    assert_eq!(fell_cases.len(), 3_000);
    assert!(fell_cases == clean_cases, "the projections differ");
    assert_eq!(fell_counts, clean_counts);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_across_a_network_is_reached_only_with_its_certificate_checked() {
    let Some(pg) = PrivatePostgres::start_with_tls() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // This machine's own address stands for a database across the network; without one, the
    // loopback name (and the warning is left to the unit test of `certificate_checked`).
    let host = pg
        .lan()
        .map_or_else(|| "localhost".to_owned(), |ip| ip.to_string());
    let url = |mode: &str, ca: &Path| {
        format!(
            "postgres://postgres@{host}:{}/postgres?sslmode={mode}&sslrootcert={}",
            pg.port(),
            ca.display()
        )
    };
    let checked = url("verify-full", pg.ca().unwrap());
    let warning = "not checked against a certificate";

    // The right authority: the server answers, over TLS, and nothing is said against it.
    let out = victimcare(&["keys", "status", "--database-url", &checked], d);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains(warning), "{}", stderr(&out));
    let mut server = start_server(d, &checked);
    let ready = reqwest::get(format!("{}/readyz", server.1)).await.unwrap();
    assert_eq!(ready.status(), 200);
    let admin = sqlx::PgPool::connect(&pg.url("postgres")).await.unwrap();
    let (connections, all_tls): (i64, Option<bool>) = sqlx::query_as(
        "SELECT COUNT(*), bool_and(s.ssl) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) \
         WHERE a.application_name = 'victimcare'",
    )
    .fetch_one(&admin)
    .await
    .unwrap();
    server.0.kill().unwrap();
    server.0.wait().unwrap();
    assert!(connections >= 1, "the service is connected, by name");
    assert_eq!(
        all_tls,
        Some(true),
        "every connection of the service is TLS"
    );

    // Encrypted but unchecked: it works, and every start says what is missing.
    if pg.lan().is_some() {
        let out = victimcare(
            &[
                "keys",
                "status",
                "--database-url",
                &url("require", pg.ca().unwrap()),
            ],
            d,
        );
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains(warning), "{}", stderr(&out));
    } else {
        eprintln!("this machine has only a loopback address: the warning is not shown here");
    }

    // Someone else's certificate (another authority signed it): refused before anything is
    // sent, and the error says why.
    let other = tempfile::tempdir().unwrap();
    let stranger = private_postgres::make_certificates(other.path(), pg.lan());
    let out = victimcare(
        &[
            "keys",
            "status",
            "--database-url",
            &url("verify-full", &stranger),
        ],
        d,
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).to_lowercase().contains("certificate"),
        "{}",
        stderr(&out)
    );
}
