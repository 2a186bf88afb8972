use crate::helpers::{generated, spawn_app, spawn_app_with};
use chrono::Utc;
use domain::{CaseState, CrimeReference, Event};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn flat(cases: &[Vec<Value>]) -> Vec<Value> {
    cases.iter().flatten().cloned().collect()
}

#[tokio::test]
async fn a_batch_is_stored_and_a_resend_changes_nothing() {
    let app = spawn_app().await;
    let events = flat(&generated(60, 1));
    let (status, body) = app.post_events(&events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"accepted": events.len(), "duplicates": 0}));
    let cases_before = app.db.list_cases(None, None, 1000).await.unwrap();

    let (status, body) = app.post_events(&events).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"accepted": 0, "duplicates": events.len()}));
    assert_eq!(app.db.count_events().await.unwrap(), events.len() as i64);
    assert_eq!(
        app.db.list_cases(None, None, 1000).await.unwrap(),
        cases_before
    );
}

#[tokio::test]
async fn a_changed_event_under_a_known_id_is_refused_by_name() {
    let app = spawn_app().await;
    let events = flat(&generated(10, 8));
    assert_eq!(app.post_events(&events).await.0, StatusCode::OK);
    let mut changed = events[3].clone();
    changed["occurred_at"] = json!("2026-01-01T00:00:00Z");
    let (status, body) = app.post_events(&[events[0].clone(), changed]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["index"], 1);
    assert_eq!(body["errors"][0]["field"], "id");
    assert!(
        body["errors"][0]["problem"]
            .as_str()
            .unwrap()
            .contains("different content")
    );
    assert_eq!(app.db.count_events().await.unwrap(), events.len() as i64);
}

#[tokio::test]
async fn events_arriving_out_of_order_give_the_same_case() {
    let app = spawn_app().await;
    let cases = generated(80, 2);
    let case = cases.iter().max_by_key(|c| c.len()).unwrap();
    // Latest first, one request each: the report of the crime arrives last.
    for event in case.iter().rev() {
        let (status, body) = app.post_events(std::slice::from_ref(event)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let now = Utc::now();
    let parsed: Vec<Event> = case
        .iter()
        .map(|e| Event::parse(&e.to_string(), now).unwrap())
        .collect();
    let reference = CrimeReference::parse(case[0]["crime_reference"].as_str().unwrap()).unwrap();
    let stored = app.db.case_by_reference(&reference).await.unwrap().unwrap();
    assert_eq!(stored.state, CaseState::rebuild(&parsed).unwrap());
}

#[tokio::test]
async fn one_bad_event_in_a_thousand_writes_nothing_and_is_named() {
    let app = spawn_app().await;
    let mut events = flat(&generated(400, 3));
    events.truncate(1000);
    let bad = events
        .iter()
        .rposition(|e| e["type"] == "reported")
        .unwrap();
    events[bad]["payload"]["victims"][0]["date_of_birth"] = json!("1990-02-30");
    events[10]["occurred_at"] = json!("last Tuesday");
    let (status, body) = app.post_events(&events).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{body}");
    assert_eq!(errors[0]["index"], 10);
    assert_eq!(errors[0]["field"], "occurred_at");
    assert_eq!(errors[1]["index"], bad);
    assert_eq!(errors[1]["field"], "payload.victims[0].date_of_birth");
    assert!(
        errors[1]["problem"].as_str().unwrap().contains("real date"),
        "{body}"
    );
    assert_eq!(
        app.db.count_events().await.unwrap(),
        0,
        "nothing is half written"
    );
    assert_eq!(app.db.count_victims().await.unwrap(), 0);
}

#[tokio::test]
async fn unknown_types_and_missing_fields_are_refused() {
    let app = spawn_app().await;
    let events = json!([
        {"source": "cris", "id": "1", "type": "abducted_by_aliens", "crime_reference": "1234567/26",
         "occurred_at": "2026-01-01T00:00:00Z", "payload": {}},
        {"source": "cris", "id": "2", "type": "arrested", "occurred_at": "2026-01-01T00:00:00Z"}
    ]);
    let (status, body) = app.post_events(events.as_array().unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors[0]["field"], "type");
    assert!(
        errors[0]["problem"]
            .as_str()
            .unwrap()
            .contains("abducted_by_aliens")
    );
    let fields: Vec<&str> = errors[1..]
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["crime_reference", "payload.suspect"]);
}

#[tokio::test]
async fn malformed_json_is_a_400_naming_line_and_column() {
    let app = spawn_app().await;
    let (status, body) = app
        .post_events_raw(
            "{\"events\": [\n  {\"source\": \"cris\",, }\n]}",
            Some(&app.api_key),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["line"], 2);
    assert_eq!(body["column"], 21);
    assert!(body["error"].as_str().unwrap().contains("not valid JSON"));

    let (status, body) = app.post_events_raw("[1, 2]", Some(&app.api_key)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "events");
    assert!(body["errors"][0]["index"].is_null());
}

#[tokio::test]
async fn oversize_bodies_and_batches_are_refused_clearly() {
    let app = spawn_app_with(|s| s.web.max_ingest_body = 64 * 1024).await;
    let big = "x".repeat(100 * 1024);
    let (status, body) = app
        .post_events_raw(format!("{{\"events\": [\"{big}\"]}}"), Some(&app.api_key))
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        body["error"].as_str().unwrap().contains("65536 bytes"),
        "{body}"
    );

    let app = spawn_app().await;
    let events = vec![json!({}); 10_001];
    let (status, body) = app.post_events(&events).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["errors"][0]["problem"]
            .as_str()
            .unwrap()
            .contains("at most 10000"),
        "{body}"
    );
}

#[tokio::test]
async fn only_a_live_api_key_may_send_events() {
    let app = spawn_app().await;
    let events = json!({"events": []}).to_string();
    let (status, _) = app.post_events_raw(events.clone(), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app
        .post_events_raw(events.clone(), Some("vck_not-a-key"))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let response = app
        .client
        .post(app.url("/api/v1/events"))
        .header("authorization", format!("Basic {}", app.api_key))
        .body(events.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");

    let (status, body) = app
        .post_events_raw(events.clone(), Some(&app.api_key))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = app.db.list_api_keys().await.unwrap()[0].api_key_id;
    app.db.revoke_api_key(id, Utc::now()).await.unwrap();
    let (status, body) = app.post_events_raw(events, Some(&app.api_key)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "a valid API key is required");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/events"))
        .bearer_auth(&app.api_key)
        .header("content-type", "text/csv")
        .body("a,b,c")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn the_openapi_document_describes_the_ingest_api() {
    let app = spawn_app().await;
    let doc: Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let post = &doc["paths"]["/api/v1/events"]["post"];
    assert!(post["responses"]["422"].is_object());
    assert_eq!(post["security"][0]["api_key"], json!([]));
    assert_eq!(
        doc["components"]["securitySchemes"]["api_key"]["scheme"],
        "bearer"
    );
    assert!(
        doc["components"]["schemas"]["EventBatchDoc"].is_object()
            || doc["components"]["schemas"]["EventBatch"].is_object(),
        "{}",
        doc["components"]["schemas"]
    );
}
