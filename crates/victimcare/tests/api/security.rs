//! Attacks through the real server: forms without their token, stored script in a victim's
//! name, SQL in every search and filter, a session planted before sign-in, hostile JSON and
//! bytes, and the headers every page must carry.

use crate::console::{CASE, Console, cases, form, member, try_sign_in};
use crate::helpers::spawn_app;
use domain::staff::Role;
use reqwest::StatusCode;
use serde_json::json;

/// Every state-changing console and partner form, with a made-up id where the path has one.
const POST_ROUTES: [&str; 19] = [
    "/console/search",
    "/console/calls",
    "/console/calls/1/verify",
    "/console/calls/1/log",
    "/console/calls/1/assessment",
    "/console/calls/1/referrals",
    "/console/calls/1/no-referral",
    "/console/calls/1/survey",
    "/console/tasks/1/claim",
    "/console/tasks/1/release",
    "/console/tasks/1/complete",
    "/console/holds/1/release",
    "/console/users",
    "/console/users/1/disable",
    "/console/panel",
    "/console/sign-out",
    "/partner/referrals/1/answer",
    "/partner/referrals/1/close",
    "/console/holds/1/discard",
];

#[tokio::test]
async fn no_state_changing_form_works_without_its_token_or_from_another_site() {
    let app = spawn_app().await;
    cases(&app).await;
    // A supervisor may reach the most forms; an administrator the accounts.
    for (role, home) in [
        (Role::Supervisor, "/console/tasks"),
        (Role::Administrator, "/console/users"),
    ] {
        let console = Console::sign_in(&app, &member(&app, role, None).await).await;
        for path in POST_ROUTES {
            for (site, token) in [("same-origin", ""), ("cross-site", console.csrf.as_str())] {
                let r = app
                    .client
                    .post(app.url(path))
                    .header("cookie", &console.cookie)
                    .header("sec-fetch-site", site)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form(&[("csrf", token), ("q", CASE), ("by", "reference")]))
                    .send()
                    .await
                    .unwrap();
                assert!(
                    matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                    "{role} {path} from {site} with token {:?}: {}",
                    !token.is_empty(),
                    r.status()
                );
            }
        }
        // The session still works: nothing above changed anything.
        let (status, _) = console.get(home).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{role}'s session was ended by a forged form"
        );
    }
    app.cleanup().await;
}

#[tokio::test]
async fn script_in_a_victims_name_is_shown_as_text_and_the_csp_would_block_it_anyway() {
    let app = spawn_app().await;
    let name = "<img src=x onerror=alert(1)><script>alert(2)</script>";
    let events = vec![json!({
        "source": "cris", "id": "X1", "type": "reported", "crime_reference": "6100001/26",
        "occurred_at": "2026-11-02T10:00:00Z",
        "payload": {"offence": "theft", "borough": "Camden\"><script>alert(3)</script>",
                    "officer": {"name": "DC <b>Moss</b>"},
                    "victims": [{"ref": "VX", "kind": "person", "name": name,
                                 "phone": "07700 900777"}]}})];
    let (status, body) = app.post_events(&events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let agent = Console::sign_in(&app, &member(&app, Role::HelplineAgent, None).await).await;
    let (status, page) = agent
        .post(
            "/console/search",
            &[("by", "reference"), ("q", "6100001/26")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("&#60;img src=x onerror=alert(1)&#62;"),
        "{page}"
    );
    for raw in ["<img src=x", "<script>alert", "<b>Moss"] {
        assert!(!page.contains(raw), "{raw} reached the page as markup");
    }
    let r = app
        .client
        .get(app.url("/console/sign-in"))
        .send()
        .await
        .unwrap();
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    app.cleanup().await;
}

#[tokio::test]
async fn sql_in_searches_and_filters_finds_nothing_and_breaks_nothing() {
    let app = spawn_app().await;
    cases(&app).await;
    let supervisor = Console::sign_in(&app, &member(&app, Role::Supervisor, None).await).await;
    let attacks = [
        "' OR '1'='1",
        "1'; DROP TABLE victim; --",
        "\" OR 1=1 --",
        "%' UNION SELECT details FROM victim --",
    ];
    for attack in attacks {
        for by in ["reference", "phone", "email"] {
            let (status, page) = supervisor
                .post("/console/search", &[("by", by), ("q", attack)])
                .await;
            assert!(
                matches!(status, StatusCode::OK | StatusCode::UNPROCESSABLE_ENTITY),
                "{by} {attack}: {status}"
            );
            assert!(
                !page.contains("Grace Adeyemi"),
                "{by} {attack} found a victim"
            );
        }
        let (status, page) = supervisor
            .post(
                "/console/search",
                &[("by", "name"), ("q", attack), ("dob", "1979-08-14")],
            )
            .await;
        assert!(status.is_success() || status == StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            !page.contains("Grace Adeyemi"),
            "name {attack} found a victim"
        );
        let q = form(&[("borough", attack), ("offence", "")]);
        let (status, page) = supervisor.get(&format!("/console/figures?{q}")).await;
        assert!(
            status.is_success() || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{status}"
        );
        assert!(!page.contains("Internal"), "{page}");
        let q = form(&[("week", attack)]);
        let (status, _) = supervisor.get(&format!("/console/capacity?{q}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let q = form(&[("from", attack), ("to", "2026-12-01")]);
        let (status, _) = app
            .api(
                reqwest::Method::GET,
                &format!("/api/v1/compliance?{q}"),
                None,
            )
            .await;
        assert!(status.is_client_error(), "{status}");
    }
    // Every table is still there and the victim is still found the proper way.
    let (status, page) = supervisor
        .post("/console/search", &[("by", "reference"), ("q", CASE)])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Grace Adeyemi"));
    app.cleanup().await;
}

#[tokio::test]
async fn a_session_planted_before_sign_in_is_never_the_one_signed_in() {
    let app = spawn_app().await;
    let m = member(&app, Role::HelplineAgent, None).await;
    let planted = "__Host-vc_staff=attacker-chosen-session-id";
    let body = form(&[
        ("username", &m.username),
        ("password", &m.password),
        ("code", &crate::console::code(&m.secret)),
    ]);
    let r = app
        .client
        .post(app.url("/console/sign-in"))
        .header("cookie", planted)
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let set = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(!set.contains("attacker-chosen"), "{set}");
    // The planted id opens nothing.
    let r = app
        .client
        .get(app.url("/console/tasks"))
        .header("cookie", planted)
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), StatusCode::OK);
    // A wrong password and an unknown name get the same answer.
    let wrong = try_sign_in(&app, &m.username, "not the password", "000000").await;
    let unknown = try_sign_in(&app, "nobody.here", "not the password", "000000").await;
    assert_eq!(wrong.status(), unknown.status());
    let (a, b) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert_eq!(a.replace(&m.username, "nobody.here"), b);
    app.cleanup().await;
}

#[tokio::test]
async fn hostile_json_and_bytes_get_a_clear_error_and_the_server_stays_up() {
    let app = spawn_app().await;
    // Nested far deeper than any event: refused, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (status, body) = app.post_events_raw(deep, Some(&app.api_key)).await;
    assert!(
        matches!(
            status,
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY
        ),
        "{status} {body}"
    );
    let deep_object = format!(
        "{{\"events\": [{}1{}]}}",
        "{\"a\":".repeat(5_000),
        "}".repeat(5_000)
    );
    let (status, _) = app.post_events_raw(deep_object, Some(&app.api_key)).await;
    assert!(status.is_client_error(), "{status}");
    // Bytes that are not UTF-8.
    let (status, body) = app
        .post_events_raw(vec![b'{', 0xff, 0xfe, b'}'], Some(&app.api_key))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    // A key that is not ours, and a key in the wrong place.
    let (status, _) = app
        .post_events_raw(json!({"events": []}).to_string(), Some("vc_not_a_real_key"))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let r = app
        .client
        .post(app.url(&format!("/api/v1/events?key={}", app.api_key)))
        .header("content-type", "application/json")
        .body(json!({"events": []}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "a key in the URL is not a key"
    );
    // Still up.
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    app.cleanup().await;
}

#[tokio::test]
async fn every_kind_of_page_carries_the_security_headers() {
    let app = spawn_app().await;
    cases(&app).await;
    let agent = Console::sign_in(&app, &member(&app, Role::HelplineAgent, None).await).await;
    for path in [
        "/",
        "/leaflet",
        "/console/sign-in",
        "/console",
        "/api/openapi.json",
        "/p/0000000000000000000000000000000000000000000000000000000000000000",
        "/my-case",
        "/no-such-page",
    ] {
        let r = app
            .client
            .get(app.url(path))
            .header("cookie", &agent.cookie)
            .send()
            .await
            .unwrap();
        let h = r.headers();
        let get = |name: &str| {
            h.get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_else(|| panic!("{path} has no {name}"))
                .to_owned()
        };
        assert!(
            get("content-security-policy").contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(
            get("strict-transport-security").contains("max-age="),
            "{path}"
        );
        assert_eq!(get("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(get("referrer-policy"), "no-referrer", "{path}");
        assert_eq!(get("x-frame-options"), "DENY", "{path}");
        if path.starts_with("/console") || path.starts_with("/my-case") || path.starts_with("/p/") {
            assert!(get("cache-control").contains("no-store"), "{path}");
        }
    }
    app.cleanup().await;
}
