//! The victim's own case page through the real server: a link alone shows nothing; the date
//! of birth opens a session; the page says where the case is in plain words.

use crate::helpers::{TestApp, spawn_app};
use chrono::Utc;
use reqwest::StatusCode;
use serde_json::json;

const CASE: &str = "4000001/26";

async fn case_with_a_victim(app: &TestApp) -> String {
    let victim = json!({"ref": "V1", "kind": "person", "name": "Grace Adeyemi",
                        "date_of_birth": "1979-08-14", "email": "grace@example.org",
                        "contact_agreement": {"channels": ["email"], "safe_channels": ["email"]}});
    let events = [
        json!({"source": "cris", "id": "p1", "type": "reported", "crime_reference": CASE,
               "occurred_at": "2026-11-02T10:00:00Z",
               "payload": {"offence": "robbery", "borough": "Lewisham",
                           "officer": {"name": "DC Okoro", "team": "Lewisham CID"},
                           "victims": [victim]}}),
        json!({"source": "cris", "id": "p2", "type": "arrested", "crime_reference": CASE,
               "occurred_at": "2026-11-20T10:00:00Z", "payload": {"suspect": "S1"}}),
    ];
    assert_eq!(app.post_events(&events).await.0, StatusCode::OK);
    app.db
        .issue_portal_access(
            &domain::CrimeReference::parse(CASE).unwrap(),
            None,
            "test",
            Utc::now(),
        )
        .await
        .unwrap()
        .token
}

pub(crate) async fn answer(
    app: &TestApp,
    token: &str,
    day: &str,
    month: &str,
    year: &str,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/p/{token}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("day={day}&month={month}&year={year}"))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_link_alone_shows_nothing_and_a_guess_looks_like_a_wrong_date() {
    let app = spawn_app().await;
    let token = case_with_a_victim(&app).await;
    let (status, real) = app.get_html(&format!("/p/{token}")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, guess) = app.get_html("/p/0123456789abcdef").await;
    assert_eq!(
        real.replace(&token, "T"),
        guess.replace("0123456789abcdef", "T"),
        "a real link and a guess look the same"
    );
    for personal in ["Grace", "Adeyemi", CASE, "Lewisham", "1979"] {
        assert!(!real.contains(personal), "the link alone shows {personal}");
    }

    let wrong = answer(&app, &token, "15", "8", "1979").await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.headers().get("set-cookie").is_none());
    let wrong = wrong.text().await.unwrap();
    let unknown = answer(&app, "0123456789abcdef", "14", "8", "1979").await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = unknown.text().await.unwrap();
    assert_eq!(
        wrong.replace(&token, "T"),
        unknown.replace("0123456789abcdef", "T")
    );
    assert!(wrong.contains("We could not check those details"));
    assert!(
        !wrong.contains("value=\"15\""),
        "what was typed is not shown again"
    );

    let nonsense = answer(&app, &token, "31", "2", "1979").await;
    assert_eq!(nonsense.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        nonsense
            .text()
            .await
            .unwrap()
            .contains("Enter your date of birth as numbers")
    );
}

#[tokio::test]
async fn the_date_of_birth_opens_the_case_in_plain_words_until_sign_out() {
    let app = spawn_app().await;
    let token = case_with_a_victim(&app).await;
    let opened = answer(&app, &token, "14", "08", "1979").await;
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    assert_eq!(opened.headers()["location"], "/my-case");
    let cookie = opened.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-vc_portal="), "{cookie}");
    for flag in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    let session = cookie.split(';').next().unwrap().to_owned();

    let page = |lang: &'static str| {
        let request = app
            .client
            .get(app.url(&format!("/my-case?lang={lang}")))
            .header("cookie", session.clone());
        async move { request.send().await.unwrap() }
    };
    let response = page("en-GB").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let html = response.text().await.unwrap();
    assert!(html.contains(CASE));
    assert!(
        html.contains("The police look into it"),
        "the stage in words"
    );
    assert!(html.contains("Someone was arrested."));
    assert!(html.contains("You reported the crime."));
    assert!(html.contains("DC Okoro, Lewisham CID"));
    assert!(html.contains("We will next update you by"));
    assert!(!html.contains("P12-arrest"), "no internal codes");
    assert!(html.contains("data-exit"));
    let welsh = page("cy").await.text().await.unwrap();
    assert!(welsh.contains("Cafodd rhywun ei arestio."));
    assert!(welsh.contains("Tachwedd"));

    let ended = app
        .client
        .post(app.url("/my-case/sign-out"))
        .header("cookie", session.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), StatusCode::SEE_OTHER);
    assert!(
        ended.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let after = page("en-GB").await;
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    assert!(
        after
            .text()
            .await
            .unwrap()
            .contains("Your session has ended")
    );
}

#[tokio::test]
async fn posts_from_other_sites_are_refused_and_leaving_the_case_signs_out() {
    let app = spawn_app().await;
    let token = case_with_a_victim(&app).await;
    let forged = app
        .client
        .post(app.url(&format!("/p/{token}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body("day=14&month=8&year=1979")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let forged = app
        .client
        .post(app.url("/my-case/sign-out"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    let opened = answer(&app, &token, "14", "8", "1979").await;
    let session = opened.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let html = app
        .client
        .get(app.url("/my-case"))
        .header("cookie", session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-sign-out=\"/my-case/sign-out\""));
    let (_, leaflet) = app.get_html("/leaflet").await;
    assert!(
        !leaflet.contains("data-sign-out"),
        "only the victim's own pages"
    );
}

#[tokio::test]
async fn the_page_speaks_the_victims_language_and_a_callback_becomes_a_task() {
    let app = spawn_app().await;
    let victim = json!({"ref": "V9", "kind": "person", "name": "Ola Nowak",
                        "date_of_birth": "1988-02-03", "email": "ola@example.org",
                        "language": "pl",
                        "contact_agreement": {"channels": ["email"], "safe_channels": ["email"]}});
    let reported = json!({"source": "cris", "id": "q1", "type": "reported",
        "crime_reference": "4000002/26", "occurred_at": "2026-11-02T10:00:00Z",
        "payload": {"offence": "theft", "borough": "Ealing", "officer": {"name": "PC Lee"},
                    "victims": [victim]}});
    assert_eq!(app.post_events(&[reported]).await.0, StatusCode::OK);
    let token = app
        .db
        .issue_portal_access(
            &domain::CrimeReference::parse("4000002/26").unwrap(),
            None,
            "test",
            Utc::now(),
        )
        .await
        .unwrap()
        .token;
    let opened = answer(&app, &token, "3", "2", "1988").await;
    let session = opened.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let get = || {
        app.client
            .get(app.url("/my-case"))
            .header("cookie", session.clone())
            .header("accept-language", "en-GB")
            .send()
    };
    let html = get().await.unwrap().text().await.unwrap();
    assert!(
        html.contains("<html lang=\"pl\""),
        "the contact agreement's language wins over the browser's"
    );
    assert!(html.contains("Poproś, żebyśmy oddzwonili"));
    for _ in 0..2 {
        let asked = app
            .client
            .post(app.url("/my-case/callback"))
            .header("cookie", session.clone())
            .header("content-type", "application/x-www-form-urlencoded")
            .body("when=afternoon")
            .send()
            .await
            .unwrap();
        assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(
        app.db.count_open_tasks().await.unwrap(),
        1,
        "asking twice is one task"
    );
    let task = app
        .db
        .queue(&store::QueueFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        task[0].preferred_time.as_deref(),
        Some("afternoon (12 noon to 5pm)"),
        "the time they chose is on the helpline's queue"
    );
    let html = get().await.unwrap().text().await.unwrap();
    assert!(html.contains("Ktoś oddzwoni do Ciebie w ciągu 1 dnia roboczego"));
}

#[tokio::test]
async fn one_client_guessing_fast_is_slowed_down() {
    let app = spawn_app().await;
    let mut statuses = Vec::new();
    for n in 0..12 {
        // Different (made-up) links, so no one link's lockout is what stops them.
        let token = format!("{n:064x}");
        statuses.push(answer(&app, &token, "1", "1", "1980").await.status());
    }
    assert!(
        statuses[..10]
            .iter()
            .all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY),
        "{statuses:?}"
    );
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS);
    // Reading the form is not limited.
    assert_eq!(
        app.get_html(&format!("/p/{:064x}", 1)).await.0,
        StatusCode::OK
    );
}

/// An answer to a made-up link, as a proxy passes it on for `client`.
async fn answer_via(app: &TestApp, n: usize, forwarded_for: &str) -> StatusCode {
    app.client
        .post(app.url(&format!("/p/{n:064x}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-forwarded-for", forwarded_for)
        .body("day=1&month=1&year=1980")
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_allowance() {
    // The test's requests come from 127.0.0.1: here, the force's reverse proxy.
    let app = crate::helpers::spawn_app_with(|s| {
        s.server.trusted_proxies = vec!["127.0.0.1".into()];
    })
    .await;
    let mut guesser = Vec::new();
    for n in 0..11 {
        guesser.push(answer_via(&app, n, "203.0.113.7").await);
    }
    assert_eq!(guesser[9], StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(guesser[10], StatusCode::TOO_MANY_REQUESTS, "{guesser:?}");
    // Another victim behind the same proxy is not slowed by the guesser.
    assert_eq!(
        answer_via(&app, 20, "198.51.100.4").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // The guesser writing a header of their own is still known by the address the proxy
    // appended last.
    assert_eq!(
        answer_via(&app, 21, "192.0.2.99, 203.0.113.7").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn without_a_trusted_proxy_a_forged_header_buys_no_new_allowance() {
    let app = spawn_app().await;
    let mut statuses = Vec::new();
    for n in 0..11 {
        // A different made-up client each time: ignored, the request came from 127.0.0.1.
        statuses.push(answer_via(&app, n, &format!("203.0.113.{n}")).await);
    }
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
}

#[tokio::test]
async fn a_victim_can_stop_a_way_at_once_but_a_new_one_is_checked_first() {
    let app = spawn_app().await;
    let victim = json!({"ref": "V5", "kind": "person", "name": "Kim Ansah",
                        "date_of_birth": "1975-05-05", "email": "kim@example.org",
                        "phone": "07700 900123",
                        "contact_agreement": {"channels": ["email", "sms"],
                                              "safe_channels": ["email", "sms"]}});
    let reported = json!({"source": "cris", "id": "k1", "type": "reported",
        "crime_reference": "4000003/26", "occurred_at": "2026-11-02T10:00:00Z",
        "payload": {"offence": "stalking_harassment", "borough": "Brent",
                    "officer": {"name": "PC Lee"}, "victims": [victim]}});
    assert_eq!(app.post_events(&[reported]).await.0, StatusCode::OK);
    let reference = domain::CrimeReference::parse("4000003/26").unwrap();
    let token = app
        .db
        .issue_portal_access(&reference, None, "test", Utc::now())
        .await
        .unwrap()
        .token;
    let opened = answer(&app, &token, "5", "5", "1975").await;
    let session = opened.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let form = get_as(&app, &session, "/my-case/contact").await;
    assert!(form.contains("name=\"email\" checked") && form.contains("name=\"sms\" checked"));
    assert!(
        !form.contains("name=\"letter\""),
        "only ways we hold details for"
    );

    let change = |body: &'static str| {
        app.client
            .post(app.url("/my-case/contact"))
            .header("cookie", session.clone())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    // Texts to this phone are no longer safe: they stop at once.
    assert_eq!(
        change("email=on&frequency=weekly").await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    let safe = |case: store::CaseDetail| case.victims[0].record.contact_agreement.clone();
    let now = safe(app.db.case_by_reference(&reference).await.unwrap().unwrap());
    assert_eq!(now.safe_channels, vec![domain::victim::Channel::Email]);
    assert_eq!(now.frequency, domain::victim::UpdateFrequency::Weekly);
    assert_eq!(app.db.count_open_tasks().await.unwrap(), 0);
    let page = get_as(&app, &session, "/my-case").await;
    assert!(page.contains("We will send news by: Email."), "{page}");
    assert!(page.contains("Every week"));

    // The crime recording system then sends new details with its old idea of what is safe:
    // the victim's own word still stands.
    let update = json!({"source": "cris", "id": "k2", "type": "victim_details_changed",
        "crime_reference": "4000003/26", "occurred_at": "2026-11-27T10:00:00Z",
        "payload": {"victim": {"ref": "V5", "kind": "person", "name": "Kim Ansah",
                    "date_of_birth": "1975-05-05", "email": "kim@example.org",
                    "phone": "07700 900124",
                    "contact_agreement": {"channels": ["email", "sms"],
                                          "safe_channels": ["email", "sms"]}}}});
    assert_eq!(app.post_events(&[update]).await.0, StatusCode::OK);
    let page = get_as(&app, &session, "/my-case").await;
    assert!(page.contains("We will send news by: Email."), "{page}");
    let form = get_as(&app, &session, "/my-case/contact").await;
    assert!(form.contains("name=\"email\" checked") && !form.contains("name=\"sms\" checked"));

    // Asking for texts again is checked by a person first; nothing changes until then.
    assert_eq!(
        change("email=on&sms=on&frequency=weekly")
            .await
            .unwrap()
            .status(),
        StatusCode::SEE_OTHER
    );
    let victim_id = app
        .db
        .case_by_reference(&reference)
        .await
        .unwrap()
        .unwrap()
        .victims[0]
        .victim_id;
    assert_eq!(
        app.db.restricted_channels(victim_id).await.unwrap(),
        ["sms"]
    );
    assert_eq!(app.db.count_open_tasks().await.unwrap(), 1);
    let page = app
        .client
        .get(app.url("/my-case"))
        .header("cookie", session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("we will check with you"));
}

/// Posts a form as the signed-in victim.
pub(crate) async fn post_as(
    app: &TestApp,
    session: &str,
    path: &str,
    body: &str,
) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header("cookie", session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

pub(crate) async fn get_as(app: &TestApp, session: &str, path: &str) -> String {
    app.client
        .get(app.url(path))
        .header("cookie", session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

pub(crate) fn session_of(opened: &reqwest::Response) -> String {
    let cookie = opened.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

async fn answer_pin(app: &TestApp, token: &str, pin: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/p/{token}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("day=&month=&year=&pin={pin}"))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_chosen_pin_opens_the_page_and_the_date_of_birth_no_longer_does() {
    let app = spawn_app().await;
    let token = case_with_a_victim(&app).await;
    let opened = answer(&app, &token, "14", "8", "1979").await;
    let session = session_of(&opened);
    let page = get_as(&app, &session, "/my-case").await;
    assert!(page.contains("Choose a PIN"), "{page}");

    // Each weak PIN is refused with its reason; what was typed is never shown again.
    for (typed, again, says) in [
        ("12ab56", "12ab56", "must be 6 to 8 numbers"),
        ("765432", "765432", "harder to guess"),
        ("14081979", "14081979", "Do not use your date of birth"),
        ("402917", "402981", "The two PINs are not the same"),
    ] {
        let refused = post_as(
            &app,
            &session,
            "/my-case/pin",
            &format!("pin={typed}&again={again}"),
        )
        .await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{typed}"
        );
        let html = refused.text().await.unwrap();
        assert!(html.contains(says), "{typed}: {html}");
        assert!(html.contains("There is a problem"));
        assert!(!html.contains(typed), "{typed} shown again");
    }
    let saved = post_as(&app, &session, "/my-case/pin", "pin=402917&again=402917").await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let page = get_as(&app, &session, "/my-case").await;
    assert!(page.contains("You chose a PIN."), "{page}");

    // Changing it needs the PIN they have now; a wrong one closes the page at once, so the
    // box cannot be used to guess it.
    let form = get_as(&app, &session, "/my-case/pin").await;
    assert!(form.contains("name=\"current\""));
    let taken = post_as(
        &app,
        &session,
        "/my-case/pin",
        "current=111222&pin=583920&again=583920",
    )
    .await;
    assert_eq!(taken.status(), StatusCode::UNAUTHORIZED);
    assert!(
        taken
            .text()
            .await
            .unwrap()
            .contains("That is not your PIN now")
    );
    let after = app
        .client
        .get(app.url("/my-case"))
        .header("cookie", session.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.status(),
        StatusCode::UNAUTHORIZED,
        "the session has ended"
    );

    // The next visit: the date of birth is refused like any wrong answer; the PIN opens it.
    let by_birthday = answer(&app, &token, "14", "8", "1979").await;
    assert_eq!(by_birthday.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let wrong_pin = answer_pin(&app, &token, "402918").await;
    assert_eq!(wrong_pin.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        by_birthday.text().await.unwrap(),
        wrong_pin.text().await.unwrap(),
        "a refused date and a refused PIN look the same"
    );
    let by_pin = answer_pin(&app, &token, "402917").await;
    assert_eq!(by_pin.status(), StatusCode::SEE_OTHER);
    let page = get_as(&app, &session_of(&by_pin), "/my-case").await;
    assert!(page.contains(CASE));
}

#[tokio::test]
async fn feedback_is_kept_in_the_victims_words_and_never_run_as_code() {
    let app = spawn_app().await;
    let token = case_with_a_victim(&app).await;
    let session = session_of(&answer(&app, &token, "14", "8", "1979").await);
    let form = get_as(&app, &session, "/my-case/feedback").await;
    assert!(form.contains("How happy are you with how we kept you up to date?"));

    let words = "<script>alert(1)</script> Nobody told me about the court date.";
    let encoded = "%3Cscript%3Ealert(1)%3C%2Fscript%3E+Nobody+told+me+about+the+court+date.";
    // No rating: refused, naming what to fix, and what they wrote is kept (escaped).
    let refused = post_as(
        &app,
        &session,
        "/my-case/feedback",
        &format!("comment={encoded}"),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Choose how happy you are"));
    assert!(
        html.contains("href=\"#rating-5\""),
        "the summary links to the question"
    );
    assert!(
        html.contains("&#60;script&#62;alert(1)") || html.contains("&lt;script&gt;alert(1)"),
        "{html}"
    );
    assert!(!html.contains("<script>alert"), "a comment is never markup");

    let sent = post_as(
        &app,
        &session,
        "/my-case/feedback",
        &format!("rating=2&comment={encoded}"),
    )
    .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(sent.headers()["location"], "/my-case/feedback/thanks");
    let thanks = get_as(&app, &session, "/my-case/feedback/thanks").await;
    assert!(thanks.contains("Thank you for telling us."));

    let reference = domain::CrimeReference::parse(CASE).unwrap();
    let (case_id, victim_id) = app.db.portal_victim(&reference, None).await.unwrap();
    let kept = app.db.feedback_of_victim(case_id, victim_id).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (kept[0].rating, kept[0].comment.as_deref()),
        (2, Some(words))
    );

    // Without a session there is no form to post to.
    let stranger = app
        .client
        .post(app.url("/my-case/feedback"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("rating=5")
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.db
            .feedback_of_victim(case_id, victim_id)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn the_case_page_shows_news_the_moment_it_arrives() {
    let app = spawn_app().await;
    let token = case_with_a_victim(&app).await;
    let session = session_of(&answer(&app, &token, "14", "8", "1979").await);
    // Seen once, so the server keeps the case between views.
    let before = get_as(&app, &session, "/my-case").await;
    assert!(!before.contains("A suspect was charged"));
    let charged = json!({"source": "cris", "id": "p3", "type": "charged",
        "crime_reference": CASE, "occurred_at": "2026-11-25T10:00:00Z",
        "payload": {"suspect": "S1", "charges": ["Robbery"], "custody": "bailed"}});
    let (status, body) = app.post_events(&[charged]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let after = get_as(&app, &session, "/my-case").await;
    assert!(after.contains("A suspect was charged"), "{after}");
    assert!(after.contains("Someone was arrested."));
}

#[tokio::test]
async fn more_quiet_time_applies_at_once_less_waits_and_the_language_is_the_victims_choice() {
    let app = spawn_app().await;
    let token = case_with_a_victim(&app).await;
    let session = session_of(&answer(&app, &token, "14", "8", "1979").await);
    let reference = domain::CrimeReference::parse(CASE).unwrap();
    let agreement = |case: store::CaseDetail| case.victims[0].record.clone();
    let form = get_as(&app, &session, "/my-case/contact").await;
    assert!(form.contains("Are there times we must not contact you?"));

    // Half a time range: refused, naming the problem, nothing changed.
    let half = post_as(
        &app,
        &session,
        "/my-case/contact",
        "email=on&quiet_from=21%3A00&quiet_to=",
    )
    .await;
    assert_eq!(half.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        half.text()
            .await
            .unwrap()
            .contains("Choose a time for both boxes")
    );
    let now = agreement(app.db.case_by_reference(&reference).await.unwrap().unwrap());
    assert_eq!(now.contact_agreement.quiet_hours, None);

    // Quiet from 9 in the evening to 8 in the morning, and letters in Welsh: both at once.
    let set = post_as(
        &app,
        &session,
        "/my-case/contact",
        "email=on&frequency=standard&quiet_from=21%3A00&quiet_to=08%3A00&language=cy",
    )
    .await;
    assert_eq!(set.status(), StatusCode::SEE_OTHER);
    let now = agreement(app.db.case_by_reference(&reference).await.unwrap().unwrap());
    let quiet = now.contact_agreement.quiet_hours.expect("quiet hours set");
    assert_eq!(
        (quiet.from.to_string(), quiet.to.to_string()),
        ("21:00:00".into(), "08:00:00".into())
    );
    assert_eq!(now.language.as_str(), "cy");
    assert_eq!(app.db.count_open_tasks().await.unwrap(), 0);
    let form = get_as(&app, &session, "/my-case/contact").await;
    assert!(form.contains("<option value=\"21:00\" selected>"), "{form}");

    // Less quiet time (from 11 instead of 9) waits for a person to check with them.
    let less = post_as(
        &app,
        &session,
        "/my-case/contact",
        "email=on&frequency=standard&quiet_from=23%3A00&quiet_to=08%3A00&language=cy",
    )
    .await;
    assert_eq!(less.status(), StatusCode::SEE_OTHER);
    let now = agreement(app.db.case_by_reference(&reference).await.unwrap().unwrap());
    assert_eq!(
        now.contact_agreement.quiet_hours,
        Some(quiet),
        "unchanged until checked"
    );
    assert_eq!(
        app.db.count_open_tasks().await.unwrap(),
        1,
        "a check for a person"
    );
}
