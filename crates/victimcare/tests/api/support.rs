//! Support and the victim's voice through the real server: needs assessment, referral with
//! consent (and its refusals), the partner agency view and API kept to their own agency, the
//! outcome loop meeting the Code's referral duty, survey invitations only by safe ways,
//! anonymous answers that nothing links back, and dashboard figures that match a hand count.

use crate::console::{CASE, Console, OTHER_CASE, cases, ids, member, on_both_backends};
use crate::helpers::{TestApp, spawn_app, spawn_app_on_postgres};
use chrono::{TimeDelta, Utc};
use domain::staff::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A partner agency worker of `agency`, signed in.
async fn partner<'a>(app: &'a TestApp, agency: &str) -> Console<'a> {
    let username = format!("partner.{}.{}", agency, rand::random::<u16>());
    let created = app
        .db
        .create_staff_user(
            store::NewStaffUser {
                username: domain::staff::Username::parse(&username).unwrap(),
                display_name: format!("Worker at {agency}"),
                role: Role::PartnerAgencyWorker,
                team: Some(agency.to_owned()),
                collar_number: None,
                password: "correct horse battery staple".into(),
            },
            Utc::now(),
        )
        .await
        .unwrap();
    let m = crate::console::Member {
        username,
        password: "correct horse battery staple".into(),
        secret: created.totp_secret,
    };
    // Sign-in sends everyone to /console; a partner is sent on to their own view.
    let c = Console::sign_in(app, &m).await;
    assert!(
        !c.csrf.is_empty(),
        "the partner view carries the form token"
    );
    c
}

/// An agent on a verified call with the victim of CASE: the call's path.
async fn verified_call(app: &TestApp) -> (Console<'_>, String) {
    let agent = Console::sign_in(app, &member(app, Role::HelplineAgent, None).await).await;
    let (case_id, victim_id) = ids(app, CASE).await;
    let call = agent.open(case_id, victim_id).await;
    // Support is for the victim themselves: not before they are verified.
    let (status, to) = agent.get(&format!("{call}/support")).await;
    assert_eq!(
        (status, to.as_str()),
        (StatusCode::SEE_OTHER, call.as_str())
    );
    let (status, _) = agent
        .post(
            &format!("{call}/verify"),
            &[
                ("method", "dob_postcode"),
                ("dob", "1979-08-14"),
                ("postcode", "SE13 5AB"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    (agent, call)
}

async fn agency_api(
    app: &TestApp,
    key: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let method = if method == "GET" {
        reqwest::Method::GET
    } else {
        reqwest::Method::POST
    };
    app.api_with_key(key, method, path, body).await
}

async fn referral_story(app: &TestApp) {
    cases(app).await;
    let (case_id, victim_id) = ids(app, CASE).await;
    let (agent, call) = verified_call(app).await;
    let support = format!("{call}/support");
    let (status, page) = agent.get(&support).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("within 2 working days"), "the duty is shown");

    // The assessment: every version kept; an unsafe way stops at once.
    let (status, _) = agent
        .post(
            &format!("{call}/assessment"),
            &[
                ("needs", "emotional"),
                ("needs", "practical"),
                ("intimidated", "yes"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page) = agent
        .post(
            &format!("{call}/assessment"),
            &[("needs", "emotional"), ("relationship", "cousin")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Relationship is not one of the choices offered"),
        "{page}"
    );
    let versions = app.db.assessments(case_id, victim_id).await.unwrap();
    assert_eq!(versions.len(), 1, "nothing half written");
    assert!(versions[0].answers.intimidated);
    let (_, page) = agent.get(&support).await;
    assert!(page.contains("Victim Support (London Victim and Witness Service) (suggested)"));

    // No referral without consent; no opt-out where the force has none for this crime; only
    // safe ways shared (letters are not safe for this victim).
    for (fields, problem) in [
        (
            vec![("agency", "victim-support"), ("shares", "name")],
            "consent (or that the opt-out rule applies)",
        ),
        (
            vec![
                ("agency", "victim-support"),
                ("basis", "opt_out"),
                ("shares", "name"),
            ],
            "cannot be referred on an opt-out basis",
        ),
        (
            vec![
                ("agency", "victim-support"),
                ("basis", "consent"),
                ("shares", "address"),
            ],
            "address is not a safe way",
        ),
        (
            vec![
                ("agency", "nowhere"),
                ("basis", "consent"),
                ("shares", "name"),
            ],
            "Choose the agency",
        ),
    ] {
        let (status, page) = agent.post(&format!("{call}/referrals"), &fields).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(page.contains(problem), "{problem}: {page}");
    }
    assert!(
        app.db
            .referrals_of_victim(case_id, victim_id)
            .await
            .unwrap()
            .is_empty()
    );

    let refer = |agency: &'static str| {
        vec![
            ("agency", agency),
            ("basis", "consent"),
            ("shares", "name"),
            ("shares", "phone"),
            ("shares", "offence"),
            ("shares", "needs"),
        ]
    };
    let (status, _) = agent
        .post(&format!("{call}/referrals"), &refer("victim-support"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The same agency again while the first is open: refused.
    let (status, page) = agent
        .post(&format!("{call}/referrals"), &refer("victim-support"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("already has an open referral to this agency"));
    let made = app
        .db
        .referrals_of_victim(case_id, victim_id)
        .await
        .unwrap();
    assert_eq!(made.len(), 1);
    let id = made[0].referral_id;

    // Making it met the Code's referral duty (late: it was due days ago).
    let owed = app
        .db
        .obligations_of_victim(case_id, victim_id)
        .await
        .unwrap();
    let duty = owed
        .iter()
        .find(|o| o.rule == store::REFERRAL_RULE)
        .unwrap();
    assert_eq!((duty.status.as_str(), duty.on_time), ("met", Some(false)));

    // The agency's worker sees it, with only what was agreed.
    let vs = partner(app, "victim-support").await;
    let (status, list) = vs.get("/partner").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Grace Adeyemi") && list.contains(&format!("Referral {id}")));
    let (status, page) = vs.get(&format!("/partner/referrals/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("07700") && page.contains("Robbery") && page.contains(CASE));
    assert!(page.contains("Someone to talk to"), "the needs shared");
    assert!(
        !page.to_lowercase().contains("grace@example.org"),
        "email was not agreed"
    );
    assert!(!page.contains("High Street"), "address was not agreed");

    // Another agency: as if it did not exist, by URL and by API.
    let refuge = partner(app, "domestic-abuse-helpline").await;
    let (status, list) = refuge.get("/partner").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!list.contains("Grace"));
    assert_eq!(
        refuge.get(&format!("/partner/referrals/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, _) = refuge
        .post(
            &format!("/partner/referrals/{id}/answer"),
            &[("decision", "accept")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let other_key = app
        .db
        .create_agency_api_key("refuge system", "domestic-abuse-helpline", Utc::now())
        .await
        .unwrap()
        .secret;
    let path = format!("/api/v1/agency/referrals/{id}");
    assert_eq!(
        agency_api(app, &other_key, "GET", &path, None).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, _) = agency_api(
        app,
        &other_key,
        "POST",
        &format!("{path}/close"),
        Some(json!({"outcome": "supported"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, listed) = agency_api(
        app,
        &other_key,
        "GET",
        "/api/v1/agency/referrals?status=all",
        None,
    )
    .await;
    assert_eq!(listed["referrals"], json!([]));
    // The crime recording system's key opens no agency's referrals.
    assert_eq!(
        agency_api(app, &app.api_key, "GET", &path, None).await.0,
        StatusCode::FORBIDDEN
    );

    // The loop: accepted in the view, outcome by the API.
    let (status, page) = vs
        .post(
            &format!("/partner/referrals/{id}/answer"),
            &[("decision", "decline")],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a decline needs its reason"
    );
    assert!(page.contains("Say why"));
    let (status, _) = vs
        .post(
            &format!("/partner/referrals/{id}/answer"),
            &[("decision", "accept")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let key = app
        .db
        .create_agency_api_key("victim support system", "victim-support", Utc::now())
        .await
        .unwrap()
        .secret;
    let (status, shown) = agency_api(app, &key, "GET", &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["status"], "accepted");
    assert_eq!(shown["shared"]["name"], "Grace Adeyemi");
    assert!(shown["shared"].get("email").is_none(), "{shown}");
    let (status, body) = agency_api(
        app,
        &key,
        "POST",
        &format!("{path}/close"),
        Some(json!({"outcome": "cured"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("outcome"), "{body}");
    let (status, closed) = agency_api(
        app,
        &key,
        "POST",
        &format!("{path}/close"),
        Some(json!({"outcome": "supported", "note": "Two sessions of support"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(
        (closed["status"].as_str(), closed["outcome"].as_str()),
        (Some("closed"), Some("supported"))
    );
    // The agency's words are sealed in the database and read back as written.
    assert_eq!(closed["outcome_note"], "Two sessions of support");
    let (_, shown) = agency_api(app, &key, "GET", &path, None).await;
    assert_eq!(shown["outcome_note"], "Two sessions of support");
    let (_, page) = agent.get(&support).await;
    assert!(page.contains("Support given"), "the force sees the outcome");
    // Closed, it may be made again.
    let (status, _) = agent
        .post(&format!("{call}/referrals"), &refer("victim-support"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // An agency that never answers: a task after the configured time, once.
    let (status, _) = agent
        .post(&format!("{call}/referrals"), &refer("samaritans"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let later = Utc::now() + TimeDelta::hours(49);
    assert_eq!(
        app.db
            .chase_referrals(TimeDelta::hours(48), Utc::now())
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        app.db
            .chase_referrals(TimeDelta::hours(48), later)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        app.db
            .chase_referrals(TimeDelta::hours(48), later)
            .await
            .unwrap(),
        0
    );
    let tasks = app.db.tasks_of_victim(case_id, victim_id).await.unwrap();
    assert_eq!(
        tasks
            .iter()
            .filter(|t| t.kind == store::TASK_REFERRAL_UNANSWERED)
            .count(),
        2
    );
    // On victim care's queue, where someone will pick it up.
    let vco = Console::sign_in(app, &member(app, Role::VictimCareOfficer, None).await).await;
    let (_, queue) = vco.get("/console/tasks").await;
    assert!(
        queue.contains("Referral not answered by the agency"),
        "{queue}"
    );
}

on_both_backends!(
    referral_story,
    a_referral_needs_consent_reaches_only_its_agency_and_closes_the_loop,
    a_referral_needs_consent_reaches_only_its_agency_and_closes_the_loop_on_postgres
);

/// A victim reported six weeks ago, with these contact details.
fn reported_weeks_ago(id: &str, reference: &str, victim: Value) -> Value {
    let at = (Utc::now() - TimeDelta::days(43)).to_rfc3339();
    json!({"source": "cris", "id": id, "type": "reported", "crime_reference": reference,
           "occurred_at": at, "payload": {"offence": "burglary_residential",
           "borough": "Hackney", "officer": {"name": "PC Lee"}, "victims": [victim]}})
}

async fn survey_story(app: &TestApp) {
    let Some(smtp) = crate::notify::SmtpServer::start() else {
        return;
    };
    let safe = json!({"ref": "S1", "kind": "person", "name": "Ada Okafor",
        "date_of_birth": "1985-05-06", "email": "ada@example.org",
        "contact_agreement": {"channels": ["email"], "safe_channels": ["email"]}});
    // Email on file, but only a phone call is safe.
    let unsafe_email = json!({"ref": "S2", "kind": "person", "name": "Lena Novak",
        "email": "lena@example.org", "phone": "07700 900456",
        "contact_agreement": {"channels": ["email", "phone_call"], "safe_channels": ["phone_call"]}});
    let (status, body) = app
        .post_events(&[
            reported_weeks_ago("s1", "7000001/26", safe),
            reported_weeks_ago("s2", "7000002/26", unsafe_email),
        ])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let moments = [store::SurveyMoment::SixWeeks];
    assert_eq!(
        app.db
            .invite_to_surveys(&moments, Utc::now())
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        app.db
            .invite_to_surveys(&moments, Utc::now())
            .await
            .unwrap(),
        0,
        "once"
    );

    let pass = crate::notify::worker(app, &smtp)
        .drain(crate::notify::tomorrow_at(12, 0))
        .await
        .unwrap();
    assert_eq!((pass.sent, pass.to_person), (1, 1));
    let received = smtp.received();
    assert_eq!(received.len(), 1);
    assert!(received[0].0.contains("ada@example.org"));
    assert_eq!(received[0].1, "How did we do?");
    assert!(received[0].2.contains("Tell us how we did"));
    assert!(
        !received.iter().any(|(to, _, _)| to.contains("lena")),
        "not by an unsafe way"
    );

    // Ada answers on her page, anonymously, naming someone in her words.
    let token = app
        .db
        .issue_portal_access(
            &domain::CrimeReference::parse("7000001/26").unwrap(),
            None,
            "test",
            Utc::now(),
        )
        .await
        .unwrap()
        .token;
    let opened = crate::portal::answer(app, &token, "6", "5", "1985").await;
    let session = crate::portal::session_of(&opened);
    let page = crate::portal::get_as(app, &session, "/my-case/survey").await;
    assert!(page.contains("how well we kept you up to date"), "{page}");
    let r = crate::portal::post_as(
        app,
        &session,
        "/my-case/survey",
        "kept_informed=9&comment=x",
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = crate::portal::post_as(
        app,
        &session,
        "/my-case/survey",
        "whole_experience=6&kept_informed=2&anonymous=yes&\
         comment=PC+Jones+never+called+back.+Ring+me+on+07700900111",
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let again = crate::portal::get_as(app, &session, "/my-case/survey").await;
    assert!(
        again.contains("no survey for you to answer now"),
        "answered once"
    );

    let all = store::FigureFilter {
        from: Utc::now().date_naive() - TimeDelta::days(400),
        to: Utc::now().date_naive() + TimeDelta::days(1),
        borough: None,
        offence: None,
    };
    let responses = app.db.survey_responses(&all).await.unwrap();
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0].victim, None, "nothing links it to Ada");
    assert_eq!(responses[0].whole_experience, Some(6));

    // No staff screen or export shows who: not the figures, not their CSV, not the audit log.
    let analyst = Console::sign_in(app, &member(app, Role::Supervisor, None).await).await;
    let (status, page) = analyst.get("/console/figures").await;
    assert_eq!(status, StatusCode::OK);
    let (_, themes) = analyst.get("/console/figures/themes.csv").await;
    let (_, audit) = analyst.get("/console/audit").await;
    for shown in [&page, &themes, &audit] {
        for secret in ["Ada Okafor", "Okafor", "7000001/26", "Jones", "07700900111"] {
            assert!(!shown.contains(secret), "{secret} shown");
        }
    }
    let satisfaction = app.db.satisfaction(&all).await.unwrap();
    let whole = satisfaction
        .by_dimension
        .iter()
        .find(|d| d.dimension == domain::survey::Dimension::WholeExperience)
        .unwrap();
    assert_eq!((whole.answered, whole.satisfied), (1, 1));
}

/// The CSV's rows as text cells, the byte-order mark taken off.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

async fn dashboard_story(app: &TestApp) {
    cases(app).await;
    let (case_a, victim_a) = ids(app, CASE).await;
    let (case_b, victim_b) = ids(app, OTHER_CASE).await;
    let now = Utc::now();
    // Five phone surveys on the whole experience: 7, 5, 3, 1, 6 (three satisfied of five),
    // and being kept informed: 2 and 6 from two of them.
    let answers = [
        (
            case_a,
            victim_a,
            "7",
            Some("2"),
            Some("Nobody called me back for weeks"),
        ),
        (
            case_b,
            victim_b,
            "5",
            Some("6"),
            Some("I was never called back"),
        ),
        (
            case_a,
            victim_a,
            "3",
            None,
            Some("=HYPERLINK(\"http://x\") officer was kind"),
        ),
        (
            case_b,
            victim_b,
            "1",
            None,
            Some("The officer was kind but slow"),
        ),
        (case_a, victim_a, "6", None, None),
    ];
    for (case_id, victim_id, whole, informed, comment) in answers {
        let r = domain::survey::SurveyResponse::parse(|n| match n {
            "whole_experience" => Some(whole.to_owned()),
            "kept_informed" => informed.map(str::to_owned),
            "comment" => comment.map(str::to_owned),
            _ => None,
        })
        .unwrap();
        app.db
            .record_phone_survey(case_id, victim_id, "agent", &r, now)
            .await
            .unwrap();
    }
    // Two referrals: one answered (accepted) after 3 hours, one declined after 5.
    let refer = |case_id, victim_id, agency: &str| store::NewReferral {
        case_id,
        victim_id,
        agency: agency.into(),
        basis: domain::support::Basis::Consent,
        shares: vec![domain::support::Share::Name],
        needs: vec![],
        safety_checked: false,
        made_by: "agent".into(),
    };
    let a = app
        .db
        .refer(&refer(case_a, victim_a, "victim-support"), now)
        .await
        .unwrap();
    let b = app
        .db
        .refer(&refer(case_b, victim_b, "samaritans"), now)
        .await
        .unwrap();
    app.db
        .answer_referral(
            "victim-support",
            a.referral_id,
            true,
            None,
            "w",
            now + TimeDelta::hours(3),
        )
        .await
        .unwrap();
    app.db
        .answer_referral(
            "samaritans",
            b.referral_id,
            false,
            Some("Out of area"),
            "w",
            now + TimeDelta::hours(5),
        )
        .await
        .unwrap();

    let analyst = Console::sign_in(app, &member(app, Role::Analyst, None).await).await;
    let query = "from=2026-11-01&to=2026-12-31";
    let (status, page) = analyst.get(&format!("/console/figures?{query}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<svg") && page.contains("<title"),
        "charts are drawn and titled"
    );

    let (_, text) = analyst
        .get(&format!("/console/figures/satisfaction.csv?{query}"))
        .await;
    let rows = csv_rows(&text);
    let whole = rows
        .iter()
        .find(|r| r[0] == "The whole experience")
        .unwrap();
    assert_eq!(
        (whole[1].as_str(), whole[2].as_str(), whole[3].as_str()),
        ("5", "3", "60.0")
    );
    let informed = rows.iter().find(|r| r[0] == "Being kept informed").unwrap();
    assert_eq!(
        (
            informed[1].as_str(),
            informed[2].as_str(),
            informed[3].as_str()
        ),
        ("2", "1", "50.0")
    );
    // Wilson 95% for 3 of 5: 23.1% to 88.2%.
    assert_eq!((whole[4].as_str(), whole[5].as_str()), ("23.1", "88.2"));

    let (_, text) = analyst
        .get(&format!("/console/figures/referrals.csv?{query}"))
        .await;
    let rows = csv_rows(&text);
    let vs = rows
        .iter()
        .find(|r| r[0].starts_with("Victim Support"))
        .unwrap();
    assert_eq!(&vs[1..7], ["1", "0", "1", "0", "0", "3.0"]);
    let sam = rows.iter().find(|r| r[0] == "Samaritans").unwrap();
    assert_eq!(&sam[1..7], ["1", "0", "0", "1", "0", "5.0"]);

    // The referral duty: due for both victims in early November, met (late) by the referrals.
    let (_, text) = analyst
        .get(&format!("/console/figures/compliance-rule.csv?{query}"))
        .await;
    let rows = csv_rows(&text);
    let duty = rows.iter().find(|r| r[0] == store::REFERRAL_RULE).unwrap();
    assert_eq!(
        &duty[1..5],
        ["2", "0", "2", "0"],
        "due, on time, late, breached"
    );
    // The same totals as the compliance API.
    let api = app
        .api(
            reqwest::Method::GET,
            "/api/v1/compliance?from=2026-11-01&to=2026-12-31&group_by=rule",
            None,
        )
        .await;
    let all = rows.iter().find(|r| r[0] == "All").unwrap();
    assert_eq!(all[1], api.1["total"]["due"].to_string());

    let (_, text) = analyst
        .get(&format!("/console/figures/themes.csv?{query}"))
        .await;
    let rows = csv_rows(&text);
    let called = rows.iter().find(|r| r[0] == "called back").unwrap();
    assert_eq!(called[1], "2");
    let kind = rows.iter().find(|r| r[0] == "kind").unwrap();
    assert_eq!(kind[1], "2");
    // A victim's words never become a formula in a spreadsheet.
    assert!(
        !text.contains(",=HYPERLINK") && !text.contains("\"=HYPERLINK"),
        "{text}"
    );

    // A borough filter keeps only that borough's figures.
    let (_, text) = analyst
        .get("/console/figures/referrals.csv?from=2026-11-01&to=2026-12-31&borough=Camden")
        .await;
    let rows = csv_rows(&text);
    assert_eq!(rows.len(), 1, "only Samaritans' referral is in Camden");
    // Bad filters are named.
    let (status, page) = analyst.get("/console/figures?from=yesterday").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("The from date must be a date like"));
    // A helpline agent does not read figures.
    let agent = Console::sign_in(app, &member(app, Role::HelplineAgent, None).await).await;
    assert_eq!(agent.get("/console/figures").await.0, StatusCode::FORBIDDEN);
}

/// A fixed population: Hackney 4, Camden 2, Brent 1 (all reported, email safe); one in Brent
/// whose case is charged (going through court); one in Camden whose chosen way is not safe.
async fn panel_population(app: &TestApp) -> Vec<(String, i64, i64)> {
    let people = [
        ("8000001/26", "Hackney", true, false),
        ("8000002/26", "Hackney", true, false),
        ("8000003/26", "Hackney", true, false),
        ("8000004/26", "Hackney", true, false),
        ("8000005/26", "Camden", true, false),
        ("8000006/26", "Camden", true, false),
        ("8000007/26", "Brent", true, false),
        ("8000008/26", "Brent", true, true),
        ("8000009/26", "Camden", false, false),
    ];
    let mut events = Vec::new();
    for (i, (reference, borough, safe, charged)) in people.iter().enumerate() {
        let safe_ways = if *safe { json!(["email"]) } else { json!([]) };
        let victim = json!({"ref": format!("P{i}"), "kind": "person",
            "name": format!("Panel Person {i}"), "date_of_birth": "1980-01-01",
            "email": format!("p{i}@example.org"),
            "contact_agreement": {"channels": ["email"], "safe_channels": safe_ways}});
        events.push(
            json!({"source": "cris", "id": format!("pr{i}"), "type": "reported",
            "crime_reference": reference, "occurred_at": "2026-11-10T10:00:00Z",
            "payload": {"offence": "burglary_residential", "borough": borough,
                        "officer": {"name": "PC Lee"}, "victims": [victim]}}),
        );
        if *charged {
            events.push(
                json!({"source": "cris", "id": format!("pc{i}"), "type": "charged",
                "crime_reference": reference, "occurred_at": "2026-11-20T10:00:00Z",
                "payload": {"suspect": "S1", "charges": ["Burglary"], "custody": "bailed"}}),
            );
        }
    }
    let (status, body) = app.post_events(&events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut out = Vec::new();
    for (reference, ..) in people {
        let (case_id, victim_id) = ids(app, reference).await;
        let volunteer = store::PanelVolunteer {
            activities: vec![domain::panel::Activity::FocusGroup],
            contact_by: domain::victim::Channel::Email,
            accessibility: None,
            gender: None,
            ethnicity: None,
        };
        app.db
            .join_panel(case_id, victim_id, &volunteer, Utc::now())
            .await
            .unwrap();
        out.push((reference.to_owned(), case_id, victim_id));
    }
    out
}

async fn panel_story(app: &TestApp) {
    let people = panel_population(app).await;
    let officer = Console::sign_in(app, &member(app, Role::VictimCareOfficer, None).await).await;
    let fields = [
        ("title", "How we keep you informed"),
        ("activity", "focus_group"),
        ("held_on", "2027-01-20"),
        ("places", "5"),
        ("balance_by", "borough"),
    ];
    let query: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", v.replace(' ', "+")))
        .collect();
    let (status, page) = officer
        .get(&format!("/console/panel?preview=1&{}", query.join("&")))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("5 would be invited"), "{page}");
    assert!(page.contains("their case is going through court"));
    assert!(!page.contains("Panel Person"), "counts only, never names");

    let (status, to) = officer.post("/console/panel", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    assert_eq!(to, "/console/panel?sent=5");
    let session = app.db.panel_sessions().await.unwrap()[0].session_id;
    let invited = app.db.panel_invitations(session).await.unwrap();
    let count = |b: &str| invited.iter().filter(|(_, g)| g == b).count();
    // Brent has one eligible (the other is at court); Camden two (one has no safe way); the
    // rest from Hackney: 1 + 2 + 2 in turn.
    assert_eq!(
        (count("Brent"), count("Camden"), count("Hackney")),
        (1, 2, 2)
    );
    let victim = |reference: &str| people.iter().find(|p| p.0 == reference).unwrap().2;
    for left_out in ["8000008/26", "8000009/26"] {
        assert!(
            !invited.iter().any(|(v, _)| *v == victim(left_out)),
            "{left_out}"
        );
    }

    // Someone on the list withdraws on their own page: off every list at once, and their
    // invitation, not yet sent, never goes.
    let (reference, _, withdrawn) = people
        .iter()
        .find(|p| invited.iter().any(|(v, _)| *v == p.2))
        .unwrap()
        .clone();
    let token = app
        .db
        .issue_portal_access(
            &domain::CrimeReference::parse(&reference).unwrap(),
            None,
            "test",
            Utc::now(),
        )
        .await
        .unwrap()
        .token;
    let opened = crate::portal::answer(app, &token, "1", "1", "1980").await;
    let session_cookie = crate::portal::session_of(&opened);
    let page = crate::portal::get_as(app, &session_cookie, "/my-case/panel").await;
    assert!(page.contains("You are on our victims"), "{page}");
    let r = crate::portal::post_as(app, &session_cookie, "/my-case/panel", "action=withdraw").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let invited = app.db.panel_invitations(session).await.unwrap();
    assert_eq!(invited.len(), 4);
    assert!(!invited.iter().any(|(v, _)| *v == withdrawn));
    assert!(app.db.panel_membership(withdrawn).await.unwrap().is_none());
    let volunteers = app
        .db
        .panel_volunteers(Utc::now().date_naive())
        .await
        .unwrap();
    assert!(!volunteers.iter().any(|v| v.victim_id == withdrawn));
    let (case_id, _) = ids(app, &reference).await;
    let messages = app.db.messages_of_victim(case_id, withdrawn).await.unwrap();
    let panel: Vec<_> = messages
        .iter()
        .filter(|m| m.kind == store::PANEL_INVITATION_KIND)
        .collect();
    assert_eq!(panel.len(), 1);
    assert_eq!(panel[0].status, "not_wanted", "the invitation is not sent");
    // A helpline agent does not arrange panels.
    let agent = Console::sign_in(app, &member(app, Role::HelplineAgent, None).await).await;
    assert_eq!(agent.get("/console/panel").await.0, StatusCode::FORBIDDEN);
}

on_both_backends!(
    survey_story,
    survey_invitations_go_only_by_safe_ways_and_anonymous_answers_stay_unlinked,
    survey_invitations_go_only_by_safe_ways_and_anonymous_answers_stay_unlinked_on_postgres
);

on_both_backends!(
    dashboard_story,
    dashboard_figures_match_a_hand_count_and_download_as_the_same_numbers,
    dashboard_figures_match_a_hand_count_and_download_as_the_same_numbers_on_postgres
);

on_both_backends!(
    panel_story,
    the_panel_list_is_balanced_leaves_out_who_must_not_be_asked_and_withdrawal_is_at_once,
    the_panel_list_is_balanced_leaves_out_who_must_not_be_asked_and_withdrawal_is_at_once_on_postgres
);
