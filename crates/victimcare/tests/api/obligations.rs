//! An obligation's whole life through the API: made by an event, met by a contact, or
//! breached when time passes (the clock is the test's), then reported in compliance.

use crate::helpers::{TestApp, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const CASE: &str = "2000001/26";

fn events() -> Vec<Value> {
    let victim = json!({"ref": "V1", "kind": "person", "name": "Ada Brown",
                        "email": "ada@example.org",
                        "contact_agreement": {"channels": ["email"], "safe_channels": ["email"],
                                              "frequency": "none"}});
    vec![
        json!({"source": "cris", "id": "r1", "type": "reported", "crime_reference": CASE,
               "occurred_at": "2026-03-02T10:00:00Z",
               "payload": {"offence": "burglary_residential", "borough": "Croydon",
                           "officer": {"name": "PC Reid"}, "victims": [victim]}}),
        json!({"source": "cris", "id": "r2", "type": "arrested", "crime_reference": CASE,
               "occurred_at": "2026-03-04T10:00:00Z", "payload": {"suspect": "S1"}}),
    ]
}

async fn obligations(app: &TestApp) -> Vec<Value> {
    let (status, body) = app
        .api(
            Method::GET,
            &format!("/api/v1/obligations?crime_reference={CASE}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["obligations"].as_array().unwrap().clone()
}

fn rule<'a>(list: &'a [Value], rule: &str) -> &'a Value {
    list.iter().find(|o| o["rule"] == rule).unwrap()
}

#[tokio::test]
async fn an_update_recorded_through_the_api_meets_the_obligation() {
    let app = spawn_app().await;
    assert_eq!(app.post_events(&events()).await.0, StatusCode::OK);
    let list = obligations(&app).await;
    let arrest = rule(&list, "P12-arrest");
    assert_eq!(arrest["status"], "open");
    assert_eq!(arrest["due_on"], "2026-03-11");
    assert_eq!(arrest["right"], 6);
    assert!(
        arrest["explanation"]
            .as_str()
            .unwrap()
            .starts_with("due Wed 11 Mar 2026"),
        "{arrest}"
    );

    let (status, body) = app
        .api(
            Method::POST,
            "/api/v1/contacts",
            Some(
                json!({"source": "helpline", "id": "call-1", "crime_reference": CASE,
                        "victim": "V1", "occurred_at": "2026-03-05T09:00:00Z",
                        "channel": "phone", "outcome": "informed",
                        "obligations": [arrest["obligation_id"]]}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["met"], json!([arrest["obligation_id"]]));
    let list = obligations(&app).await;
    assert_eq!(rule(&list, "P12-arrest")["status"], "met");
    assert_eq!(rule(&list, "P12-arrest")["on_time"], true);
}

#[tokio::test]
async fn time_passing_breaches_an_obligation_and_opens_a_task() {
    let app = spawn_app().await;
    assert_eq!(app.post_events(&events()).await.0, StatusCode::OK);
    // Reported on Monday 2 March (day 0), the support referral was due at the end of
    // Wednesday 4: by Thursday morning it is breached.
    let pass = app
        .db
        .tick("2026-03-05T08:00:00Z".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(pass.breached, 1);
    assert_eq!(app.db.count_open_tasks().await.unwrap(), 1);
    let list = obligations(&app).await;
    assert_eq!(rule(&list, "P6-support-referral")["status"], "breached");
    assert_eq!(rule(&list, "P12-arrest")["status"], "open");

    // A supervisor waives it through the API; the task closes.
    let id = rule(&list, "P6-support-referral")["obligation_id"].clone();
    let (status, body) = app
        .api(
            Method::POST,
            &format!("/api/v1/obligations/{id}/waive"),
            Some(json!({"reason": "Referred by the hospital", "approved_by": "PS 1234 Khan"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.db.count_open_tasks().await.unwrap(), 0);

    let (status, body) = app
        .api(
            Method::GET,
            "/api/v1/compliance?from=2026-03-01&to=2026-03-31&group_by=borough",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["groups"][0]["group"], "Croydon");
    assert_eq!(body["total"]["due"], 3);
    // Breached before it was waived: it still counts as a breach.
    assert_eq!(body["total"]["breached"], 1);
    assert_eq!(body["total"]["waived"], 0);
    assert_eq!(body["total"]["open"], 2);
}

#[tokio::test]
async fn bad_requests_name_the_field_and_the_problem() {
    let app = spawn_app().await;
    assert_eq!(app.post_events(&events()).await.0, StatusCode::OK);

    let (status, body) = app
        .api(
            Method::POST,
            "/api/v1/contacts",
            Some(
                json!({"source": "helpline", "id": "c", "crime_reference": CASE,
                        "victim": "V1", "occurred_at": "yesterday", "channel": "fax",
                        "outcome": "informed"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["occurred_at", "channel"]);

    // Naming a victim who is not in the case says so, and writes nothing.
    let (status, body) = app
        .api(
            Method::POST,
            "/api/v1/contacts",
            Some(
                json!({"source": "helpline", "id": "c", "crime_reference": CASE,
                        "victim": "V2", "occurred_at": "2026-03-05T09:00:00Z",
                        "channel": "phone", "outcome": "attempted"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "victim");

    let (status, body) = app
        .api(
            Method::GET,
            "/api/v1/compliance?from=2026-13-01&group_by=week",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["from", "to", "group_by"]);

    let (status, _) = app
        .api(
            Method::GET,
            "/api/v1/obligations?crime_reference=9999999/26",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, body) = app
        .api(
            Method::POST,
            "/api/v1/obligations/1/waive",
            Some(json!({"reason": "x"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "approved_by");

    // Without a key: nothing.
    let response = app
        .client
        .get(app.url(&format!("/api/v1/obligations?crime_reference={CASE}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
