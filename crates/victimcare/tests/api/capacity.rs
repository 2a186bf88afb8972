//! Capacity through the real server: the staffing plan page and its CSV for supervisors and
//! analysts only, a what-if send raising the call forecast, the home burglaries still waiting
//! for an officer, and the response team's queue.

use crate::console::{Console, member, on_both_backends};
use crate::helpers::{TestApp, spawn_app, spawn_app_on_postgres};
use chrono::{TimeDelta, Utc};
use domain::capacity::week::Week;
use domain::staff::Role;
use reqwest::StatusCode;
use serde_json::json;

const WAITING: &str = "7200001/26";
const ATTENDED: &str = "7200002/26";

async fn burglaries(app: &TestApp) {
    let reported = (Utc::now() - TimeDelta::hours(30)).to_rfc3339();
    let came = (Utc::now() - TimeDelta::hours(29)).to_rfc3339();
    let report = |id: &str, reference: &str| {
        json!({"source": "cris", "id": id, "type": "reported", "crime_reference": reference,
               "occurred_at": reported, "payload": {
                   "offence": "burglary_residential", "borough": "Camden",
                   "officer": {"name": "DC Moss"},
                   "victims": [{"ref": format!("V-{id}"), "kind": "person", "name": "Ali Khan",
                                "phone": "07700 900555"}]}})
    };
    let events = vec![
        report("R1", WAITING),
        report("R2", ATTENDED),
        json!({"source": "cad", "id": "A2", "type": "officer_attended",
               "crime_reference": ATTENDED, "occurred_at": came,
               "payload": {"officer": {"name": "PC Jo Reyes", "collar_number": "1234RS"}}}),
    ];
    let (status, body) = app.post_events(&events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Three weeks of calls: twenty every weekday at 09:00.
async fn calls(app: &TestApp) {
    let mut rows = Vec::new();
    let mut w = Week::of(Utc::now());
    for _ in 0..3 {
        w = w.previous();
        for day in 0..5 {
            for i in 0..20 {
                rows.push(store::CallRecord {
                    provider_call_id: format!("{}-{day}-{i}", w.label()),
                    queue: "helpline".into(),
                    caller_index: None,
                    offered_at: w.slot_start(day * 48 + 18) + TimeDelta::seconds(i * 60),
                    outcome: store::CallOutcome::Answered,
                    wait_seconds: 12,
                    talk_seconds: 240,
                    wrap_seconds: 60,
                });
            }
        }
    }
    app.db.import_calls(&rows).await.unwrap();
}

async fn the_capacity_page_plans_next_week_and_lists_burglaries_waiting(app: &TestApp) {
    burglaries(app).await;
    calls(app).await;
    let supervisor = Console::sign_in(app, &member(app, Role::Supervisor, None).await).await;
    let next = Week::of(Utc::now()).next();

    let (status, page) = supervisor.get("/console/capacity").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains(&format!("Staffing plan for {}", next.label())),
        "{page}"
    );
    assert!(page.contains("from 3 weeks of calls") || page.contains("Forecast from 3 weeks"));
    assert!(page.contains("class=\"chart heatmap\""));
    assert!(page.contains("<title id=\"heat-t\">"));
    assert!(page.contains(WAITING), "the unattended burglary is listed");
    assert!(!page.contains(ATTENDED), "the attended one is not");
    assert!(page.contains("Service callers got"));

    // A what-if: 5,000 messages on Monday at 09:00 bring call-backs into that half hour.
    let monday_nine = next
        .slot_start(18)
        .with_timezone(&chrono_tz::Europe::London);
    let query = format!(
        "week={}&what_if_count=5000&what_if_kind=charged&what_if_at={}",
        next.label(),
        monday_nine.format("%Y-%m-%dT%H:%M")
    );
    let (status, csv) = supervisor
        .get(&format!("/console/capacity/plan.csv?{query}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 337);
    let nine: Vec<&str> = lines[19].split(',').collect();
    assert_eq!(nine[0], "Mon 09:00");
    let induced: f64 = nine[3].parse().unwrap();
    assert!(
        induced > 50.0,
        "5,000 × 5% = 250 call-backs, most early: {}",
        lines[19]
    );
    let (_, plain) = supervisor
        .get(&format!("/console/capacity/plan.csv?week={}", next.label()))
        .await;
    let plain_nine: Vec<String> = plain
        .lines()
        .nth(19)
        .unwrap()
        .split(',')
        .map(String::from)
        .collect();
    let needed = |row: &[&str]| row[4].parse::<u32>().unwrap();
    assert!(
        needed(&nine) > plain_nine[4].parse::<u32>().unwrap(),
        "the send needs more people at nine"
    );

    let (status, page) = supervisor.get("/console/capacity?week=next+week").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("The week must be an ISO week such as 2026-W49"),
        "{page}"
    );
    let (status, page) = supervisor
        .get(
            "/console/capacity?what_if_count=lots&what_if_kind=charged&what_if_at=2026-12-07T09:00",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Give how many messages"), "{page}");

    // The chase makes a task for the response team, on the supervisor's response queue.
    app.db
        .chase_unattended(TimeDelta::hours(24), Utc::now())
        .await
        .unwrap();
    let (_, queue) = supervisor.get("/console/tasks?view=response").await;
    assert!(
        queue.contains("Home burglary: no officer has attended yet"),
        "{queue}"
    );
    assert!(queue.contains(WAITING));

    // The figures: two reported in Camden this month, one attended an hour after.
    let (_, figures) = supervisor.get("/console/figures").await;
    assert!(figures.contains("Officer attendance at reported home burglaries"));
    let (status, csv) = supervisor.get("/console/figures/attendance.csv").await;
    assert_eq!(status, StatusCode::OK);
    let camden = csv
        .lines()
        .find(|l| l.starts_with("Camden,"))
        .unwrap_or_else(|| panic!("{csv}"));
    let cols: Vec<&str> = camden.split(',').collect();
    assert_eq!(&cols[2..], ["2", "1", "50.0", "60", "60"], "{camden}");

    // A what-if outside the week planned is refused, naming the field.
    let (status, page) = supervisor
        .get(&format!(
            "/console/capacity?week={}&what_if_count=10&what_if_kind=charged&what_if_at=2020-01-06T09:00",
            next.label()
        ))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("When they go out must be a time in the week planned"),
        "{page}"
    );

    // An analyst sees how many burglaries wait in each borough, never which cases.
    let analyst = Console::sign_in(app, &member(app, Role::Analyst, None).await).await;
    let (status, page) = analyst.get("/console/capacity").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("by borough") && page.contains("Camden"));
    assert!(
        !page.contains(WAITING),
        "an analyst is shown no crime reference"
    );

    // A helpline agent sees neither the plan nor its download.
    let agent = Console::sign_in(app, &member(app, Role::HelplineAgent, None).await).await;
    assert_eq!(
        agent.get("/console/capacity").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        agent.get("/console/capacity/plan.csv").await.0,
        StatusCode::FORBIDDEN
    );
}

on_both_backends!(
    the_capacity_page_plans_next_week_and_lists_burglaries_waiting,
    capacity_page_sqlite,
    capacity_page_postgres
);
