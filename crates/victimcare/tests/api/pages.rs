use crate::helpers::{generated, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn health_and_readiness() {
    let app = spawn_app().await;
    assert_eq!(
        app.get_html("/healthz").await,
        (StatusCode::OK, "ok".into())
    );
    assert_eq!(
        app.get_html("/readyz").await,
        (StatusCode::OK, "ready".into())
    );
    let response = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert!(response.headers().contains_key("x-request-id"));
    // A caller's UUID is kept so that their logs and ours line up; anything else could carry
    // personal data into our logs, so it is replaced.
    let theirs = "0f8fad5b-d9cb-469f-a165-70867728950e";
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", theirs)
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], theirs);
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "Sam Green 1234567/26")
        .send()
        .await
        .unwrap();
    let ours = response.headers()["x-request-id"].to_str().unwrap();
    assert!(ours.len() == 36 && !ours.contains("Sam"), "{ours}");
}

#[tokio::test]
async fn the_case_list_shows_cases_but_no_personal_details() {
    let app = spawn_app().await;
    let cases = generated(30, 4);
    let events: Vec<Value> = cases.iter().flatten().cloned().collect();
    assert_eq!(app.post_events(&events).await.0, StatusCode::OK);

    let (status, html) = app.get_html("/cases").await;
    assert_eq!(status, StatusCode::OK);
    let reference = cases[29][0]["crime_reference"].as_str().unwrap();
    assert!(html.contains(reference), "the newest case is listed");
    let victim = &cases[29][0]["payload"]["victims"][0];
    for personal in ["name", "phone", "email"] {
        let value = victim[personal].as_str().unwrap();
        assert!(
            !html.contains(value),
            "the list shows a victim's {personal}"
        );
    }

    let detail = app.db.list_cases(None, None, 1).await.unwrap().remove(0);
    let (status, html) = app.get_html(&format!("/cases/{}", detail.case_id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Crime reported"));
    assert!(html.contains("What has happened"));
    assert!(html.contains("What the victims are owed"));
    assert!(
        html.contains("P6-support-referral"),
        "every victim is owed a support referral"
    );
    for personal in ["name", "phone", "email"] {
        assert!(
            !html.contains(victim[personal].as_str().unwrap()),
            "the case page shows a victim's {personal}"
        );
    }
}

#[tokio::test]
async fn pages_carry_security_headers_and_unknown_pages_are_404() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/")).send().await.unwrap();
    let h = response.headers();
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["cache-control"], "no-store");
    assert!(h.contains_key("strict-transport-security"));
    assert_eq!(app.get_html("/cases/999999").await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get_html("/cases/not-a-number").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get_html("/nowhere").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_case_list_is_off_unless_asked_for() {
    let app = spawn_app_with(|s| s.web.public_case_list = false).await;
    assert_eq!(app.get_html("/cases").await.0, StatusCode::NOT_FOUND);
    let (status, html) = app.get_html("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("/cases"));
}

#[tokio::test]
async fn the_case_view_lists_the_messages_to_victims_without_their_details() {
    let app = spawn_app().await;
    let recent = (chrono::Utc::now() - chrono::TimeDelta::hours(1)).to_rfc3339();
    let victim = serde_json::json!({"ref": "M1", "kind": "person", "name": "Nia Brown",
        "email": "nia@example.org",
        "contact_agreement": {"channels": ["email"], "safe_channels": ["email"]}});
    let events = [
        serde_json::json!({"source": "cris", "id": "mv1", "type": "reported",
            "crime_reference": "5000071/26", "occurred_at": recent,
            "payload": {"offence": "robbery", "borough": "Brent", "officer": {"name": "DC Moss"},
                        "victims": [victim]}}),
        serde_json::json!({"source": "cris", "id": "mv2", "type": "arrested",
            "crime_reference": "5000071/26", "occurred_at": recent,
            "payload": {"suspect": "S1"}}),
    ];
    assert_eq!(app.post_events(&events).await.0, StatusCode::OK);
    let reference = domain::CrimeReference::parse("5000071/26").unwrap();
    let case = app.db.case_by_reference(&reference).await.unwrap().unwrap();
    let (status, html) = app.get_html(&format!("/cases/{}", case.case_id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Messages to the victims"), "{html}");
    assert!(html.contains("<td>arrested</td><td>queued</td>"), "{html}");
    assert!(!html.contains("Nia") && !html.contains("nia@example.org"));
}
