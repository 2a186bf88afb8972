//! The staff console through the real server: sign-in with password and code, what each role
//! may reach, search through the lookup digests, a whole call (verification, contact log,
//! call back, queue), screen-pop, the phone menu, and the audit chain. The role tests run on
//! SQLite and on PostgreSQL.

use crate::helpers::{TestApp, spawn_app, spawn_app_on_postgres, spawn_app_with};
use chrono::{TimeDelta, Utc};
use domain::staff::Role;
use reqwest::StatusCode;
use serde_json::json;

/// A story run as two tests: on SQLite, and on PostgreSQL when a server is named.
macro_rules! on_both_backends {
    ($story:ident, $sqlite:ident, $postgres:ident) => {
        #[tokio::test]
        async fn $sqlite() {
            let app = spawn_app().await;
            $story(&app).await;
            app.cleanup().await;
        }

        #[tokio::test]
        async fn $postgres() {
            let Some(app) = spawn_app_on_postgres(|_| {}).await else {
                return;
            };
            $story(&app).await;
            app.cleanup().await;
        }
    };
}

pub(crate) use on_both_backends;

pub const CASE: &str = "6000001/26";
pub const OTHER_CASE: &str = "6000002/26";
pub const COLLAR: &str = "4321AB";

/// A case with one victim (phone, email, date of birth, postcode, email the only safe way)
/// and an arrest that owes them an update; and a second case with another officer.
pub async fn cases(app: &TestApp) {
    let victim = json!({"ref": "V1", "kind": "person", "name": "Grace Adeyemi",
        "date_of_birth": "1979-08-14", "email": "Grace@Example.org", "phone": "07700 900123",
        "address": {"lines": ["1 High Street"], "town": "London", "postcode": "SE13 5AB"},
        "contact_agreement": {"channels": ["email", "phone_call"], "safe_channels": ["email", "phone_call"]}});
    let other = json!({"ref": "V2", "kind": "person", "name": "Tom Price",
        "date_of_birth": "1990-01-02", "phone": "07700 900999"});
    let events = [
        json!({"source": "cris", "id": "c1", "type": "reported", "crime_reference": CASE,
               "occurred_at": "2026-11-02T10:00:00Z",
               "payload": {"offence": "robbery", "borough": "Lewisham",
                           "officer": {"name": "DC Okoro", "collar_number": COLLAR, "team": "Lewisham CID",
                                       "phone": "020 7946 0000"},
                           "victims": [victim]}}),
        json!({"source": "cris", "id": "c2", "type": "arrested", "crime_reference": CASE,
               "occurred_at": "2026-11-20T10:00:00Z", "payload": {"suspect": "S1"}}),
        json!({"source": "cris", "id": "c3", "type": "reported", "crime_reference": OTHER_CASE,
               "occurred_at": "2026-11-03T10:00:00Z",
               "payload": {"offence": "burglary_residential", "borough": "Camden",
                           "officer": {"name": "PC Shah", "collar_number": "9999ZZ"},
                           "victims": [other]}}),
    ];
    let (status, body) = app.post_events(&events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// A member of staff: sign-in name, password, authenticator secret.
pub struct Member {
    pub username: String,
    pub password: String,
    pub secret: String,
}

pub async fn member(app: &TestApp, role: Role, collar: Option<&str>) -> Member {
    let username = format!("{}.{}", role.as_str().replace('_', "-"), rand_suffix());
    let password = "correct horse battery staple".to_owned();
    let created = app
        .db
        .create_staff_user(
            store::NewStaffUser {
                username: domain::staff::Username::parse(&username).unwrap(),
                display_name: format!("Test {}", role.label()),
                role,
                team: None,
                collar_number: collar.map(str::to_owned),
                password: password.clone(),
            },
            Utc::now(),
        )
        .await
        .unwrap();
    Member {
        username,
        password,
        secret: created.totp_secret,
    }
}

fn rand_suffix() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// A signed-in browser stand-in: the session cookie (sent by hand: it is `Secure`, and the
/// test server speaks plain HTTP) and the page's form token.
pub struct Console<'a> {
    pub app: &'a TestApp,
    pub cookie: String,
    pub csrf: String,
}

pub fn code(secret: &str) -> String {
    store::totp_code(secret, Utc::now()).unwrap()
}

pub async fn try_sign_in(
    app: &TestApp,
    username: &str,
    password: &str,
    code: &str,
) -> reqwest::Response {
    let body = form(&[
        ("username", username),
        ("password", password),
        ("code", code),
    ]);
    app.client
        .post(app.url("/console/sign-in"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(body)
        .send()
        .await
        .unwrap()
}

pub fn form(fields: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded_serializer();
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish()
}

fn form_urlencoded_serializer() -> form_urlencoded::Serializer<'static, String> {
    form_urlencoded::Serializer::new(String::new())
}

impl<'a> Console<'a> {
    pub async fn sign_in(app: &'a TestApp, m: &Member) -> Self {
        let response = try_sign_in(app, &m.username, &m.password, &code(&m.secret)).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "signed in");
        let set = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(set.starts_with("__Host-vc_staff="), "{set}");
        for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(set.contains(attribute), "the cookie is {attribute}: {set}");
        }
        let cookie = set.split(';').next().unwrap().to_owned();
        let mut console = Self {
            app,
            cookie,
            csrf: String::new(),
        };
        let (_, mut page) = console.get("/console").await;
        if page.starts_with('/') {
            // Sent on to the role's own start page.
            page = console.get(&page).await.1;
        }
        console.csrf = page
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default()
            .to_owned();
        console
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .app
            .client
            .get(self.app.url(path))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
        let text = r.text().await.unwrap();
        (status, location.unwrap_or(text))
    }

    /// Posts a form with this session's token; answers the status and the page (or, for a
    /// redirect, where it goes).
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
        let mut all: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        let r = self
            .app
            .client
            .post(self.app.url(path))
            .header("cookie", &self.cookie)
            .header("sec-fetch-site", "same-origin")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&all))
            .send()
            .await
            .unwrap();
        let status = r.status();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
        let text = r.text().await.unwrap();
        (status, location.unwrap_or(text))
    }

    /// Opens the victim of the case (with a reason) and answers the call screen's path.
    pub async fn open(&self, case_id: i64, victim_id: i64) -> String {
        let (status, to) = self
            .post(
                "/console/calls",
                &[
                    ("case", &case_id.to_string()),
                    ("victim", &victim_id.to_string()),
                    ("reason", "caller"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
        to
    }
}

pub async fn ids(app: &TestApp, reference: &str) -> (i64, i64) {
    let case = app
        .db
        .case_by_reference(&domain::CrimeReference::parse(reference).unwrap())
        .await
        .unwrap()
        .unwrap();
    (case.case_id, case.victims[0].victim_id)
}

#[tokio::test]
async fn signing_in_needs_the_password_and_a_fresh_code_and_locks_after_five_tries() {
    let app = spawn_app().await;
    let m = member(&app, Role::HelplineAgent, None).await;
    let wrong = try_sign_in(&app, &m.username, "not the password!!", &code(&m.secret)).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong.headers().get("set-cookie").is_none());
    let wrong = wrong.text().await.unwrap();
    let unknown = try_sign_in(&app, "nobody.here", &m.password, "123456").await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        wrong.replace(&m.username, "X"),
        unknown.text().await.unwrap().replace("nobody.here", "X"),
        "a wrong password and an unknown name look the same"
    );
    let no_code = try_sign_in(&app, &m.username, &m.password, "000000").await;
    assert_eq!(
        no_code.status(),
        StatusCode::UNAUTHORIZED,
        "the password alone is not enough"
    );

    let c = code(&m.secret);
    let ok = try_sign_in(&app, &m.username, &m.password, &c).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let again = try_sign_in(&app, &m.username, &m.password, &c).await;
    assert_eq!(
        again.status(),
        StatusCode::UNAUTHORIZED,
        "a code works once"
    );

    // Straight to the store: the form's own limit per address would answer first.
    for _ in 0..5 {
        app.db
            .sign_in(&m.username, "wrong wrong wrong", "000000", Utc::now())
            .await
            .unwrap();
    }
    let locked = try_sign_in(&app, &m.username, &m.password, &code(&m.secret)).await;
    assert_eq!(
        locked.status(),
        StatusCode::UNAUTHORIZED,
        "paused even with the right answers"
    );
    assert!(locked.headers().get("set-cookie").is_none());
    assert_eq!(
        locked.text().await.unwrap().replace(&m.username, "X"),
        wrong.replace(&m.username, "X"),
        "a paused account looks like a wrong password: the page never says which names exist"
    );

    let audit = app
        .db
        .audit_records(&store::AuditFilter {
            actor: Some(m.username.clone()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(audit.iter().any(|r| r.action == "signed in"));
    assert!(
        audit
            .iter()
            .filter(|r| r.action == "sign-in refused")
            .count()
            >= 4,
        "every refusal through the form is recorded"
    );
    app.cleanup().await;
}

#[tokio::test]
async fn sessions_end_after_sign_out_and_when_idle() {
    let app = spawn_app().await;
    let m = member(&app, Role::HelplineAgent, None).await;
    let console = Console::sign_in(&app, &m).await;
    assert_eq!(console.get("/console").await.0, StatusCode::OK);
    let session = console.cookie.split_once('=').unwrap().1.to_owned();
    let later = Utc::now() + TimeDelta::minutes(31);
    assert!(
        app.db
            .staff_session(&session, TimeDelta::minutes(30), later)
            .await
            .unwrap()
            .is_none(),
        "31 idle minutes end the session"
    );
    let (status, to) = console.get("/console").await;
    assert_eq!(
        (status, to.as_str()),
        (StatusCode::SEE_OTHER, "/console/sign-in")
    );

    let console = Console::sign_in(&app, &member(&app, Role::HelplineAgent, None).await).await;
    assert_eq!(
        console.post("/console/sign-out", &[]).await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(console.get("/console").await.0, StatusCode::SEE_OTHER);
    app.cleanup().await;
}

#[tokio::test]
async fn forms_need_the_session_token_and_our_own_pages() {
    let app = spawn_app().await;
    cases(&app).await;
    let m = member(&app, Role::HelplineAgent, None).await;
    let console = Console::sign_in(&app, &m).await;
    assert!(!console.csrf.is_empty());
    let body = form(&[("by", "reference"), ("q", CASE)]);
    let no_token = app
        .client
        .post(app.url("/console/search"))
        .header("cookie", &console.cookie)
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), StatusCode::FORBIDDEN);
    let cross_site = app
        .client
        .post(app.url("/console/search"))
        .header("cookie", &console.cookie)
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("csrf", &console.csrf),
            ("by", "reference"),
            ("q", CASE),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    let (status, page) = console
        .post("/console/search", &[("by", "reference"), ("q", CASE)])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Grace Adeyemi"));
    app.cleanup().await;
}

#[tokio::test]
async fn search_finds_by_reference_phone_email_and_name_with_birth_and_shows_little() {
    let app = spawn_app().await;
    cases(&app).await;
    let m = member(&app, Role::HelplineAgent, None).await;
    let console = Console::sign_in(&app, &m).await;
    for (by, q, dob) in [
        ("reference", CASE, ""),
        ("phone", "+44 7700 900123", ""),
        ("email", "grace@example.org", ""),
        ("name", "grace adeyemi", "1979-08-14"),
    ] {
        let (status, page) = console
            .post("/console/search", &[("by", by), ("q", q), ("dob", dob)])
            .await;
        assert_eq!(status, StatusCode::OK, "{by}");
        assert!(page.contains("1 found"), "{by}: {page}");
        assert!(page.contains("Grace Adeyemi") && page.contains("SE13") && page.contains("1979"));
        assert!(
            !page.contains("1979-08-14") || by == "name",
            "the full date of birth is not shown"
        );
        assert!(!page.contains("SE13 5AB"), "only the postcode district");
    }
    let (status, page) = console
        .post("/console/search", &[("by", "phone"), ("q", "not a phone")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Phone number must"), "{page}");
    let (_, page) = console
        .post(
            "/console/search",
            &[("by", "name"), ("q", "grace"), ("dob", "1980-01-01")],
        )
        .await;
    assert!(page.contains("0 found"));
    // The digests are keyed: the stored value is not the number or a plain hash of it.
    let stored: Vec<i64> = match &app.db {
        store::Db::Sqlite(s) => {
            sqlx::query_scalar("SELECT phone_index FROM victim WHERE phone_index IS NOT NULL")
                .fetch_all(&s.reader)
                .await
                .unwrap()
        }
        store::Db::Postgres(p) => {
            sqlx::query_scalar("SELECT phone_index FROM victim WHERE phone_index IS NOT NULL")
                .fetch_all(&p.pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(stored.len(), 2);
    let phone = domain::victim::Phone::parse("07700 900123").unwrap();
    assert!(stored.contains(&app.db.lookup().phone(&phone)));
    assert!(
        !stored.contains(&store::LookupKey::generate().phone(&phone)),
        "another key, another digest"
    );
    assert!(!stored.contains(&447_700_900_123), "not the number itself");
    let audit = app
        .db
        .audit_records(&store::AuditFilter {
            actor: Some(m.username.clone()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let searches: Vec<_> = audit.iter().filter(|r| r.action == "searched").collect();
    assert_eq!(
        searches.len(),
        5,
        "every search that ran (a malformed one does not)"
    );
    assert!(
        searches
            .iter()
            .all(|r| !r.detail.contains("7700") && !r.detail.contains("grace")),
        "the audit says how, never what was searched for"
    );
    app.cleanup().await;
}

async fn each_role_reaches_only_its_own(app: &TestApp) {
    cases(app).await;
    let (case_id, victim_id) = ids(app, CASE).await;
    let (other_case, other_victim) = ids(app, OTHER_CASE).await;
    let open = format!("/console/open?case={case_id}&victim={victim_id}");
    let open_other = format!("/console/open?case={other_case}&victim={other_victim}");
    let open_missing = format!("/console/open?case=999999&victim={victim_id}");

    // Nobody signed in: to the sign-in page.
    let r = app.client.get(app.url(&open)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let agent = Console::sign_in(app, &member(app, Role::HelplineAgent, None).await).await;
    assert_eq!(agent.get(&open).await.0, StatusCode::OK);
    assert_eq!(agent.get(&open_other).await.0, StatusCode::OK);
    assert_eq!(
        agent.get("/console/users").await.0,
        StatusCode::FORBIDDEN,
        "an agent cannot administer"
    );
    assert_eq!(agent.get("/console/audit").await.0, StatusCode::FORBIDDEN);
    let (status, _) = agent
        .post(
            "/console/users",
            &[
                ("username", "sneaky"),
                ("display_name", "S"),
                ("role", "administrator"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let officer =
        Console::sign_in(app, &member(app, Role::OfficerInCase, Some(COLLAR)).await).await;
    let (status, page) = officer.get("/console/my-cases").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(CASE) && !page.contains(OTHER_CASE),
        "an officer sees their own cases"
    );
    assert_eq!(officer.get(&open).await.0, StatusCode::OK);
    let (denied, denied_page) = officer.get(&open_other).await;
    let (missing, missing_page) = officer.get(&open_missing).await;
    assert_eq!(
        (denied, missing),
        (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND)
    );
    assert_eq!(
        denied_page, missing_page,
        "another's case looks exactly like no case"
    );
    let (status, _) = officer
        .post(
            "/console/calls",
            &[
                ("case", &other_case.to_string()),
                ("victim", &other_victim.to_string()),
                ("reason", "caller"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    for role in [Role::Analyst, Role::Administrator] {
        let c = Console::sign_in(app, &member(app, role, None).await).await;
        assert_eq!(
            c.get(&open).await.0,
            StatusCode::FORBIDDEN,
            "{role} cannot open a case"
        );
        assert_eq!(
            c.get(&open_missing).await.0,
            StatusCode::FORBIDDEN,
            "{role}: the same for a case that does not exist"
        );
        assert_eq!(
            c.post("/console/search", &[("by", "reference"), ("q", CASE)])
                .await
                .0,
            StatusCode::FORBIDDEN
        );
    }
    let admin = Console::sign_in(app, &member(app, Role::Administrator, None).await).await;
    assert_eq!(admin.get("/console/users").await.0, StatusCode::OK);

    // A partner agency worker never reaches the console at all.
    let partner = member(app, Role::PartnerAgencyWorker, None).await;
    let response = try_sign_in(
        app,
        &partner.username,
        &partner.password,
        &code(&partner.secret),
    )
    .await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    for path in [
        "/console",
        open.as_str(),
        open_missing.as_str(),
        "/console/tasks",
        "/console/audit",
    ] {
        let r = app
            .client
            .get(app.url(path))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        // Sent to the partner view, which shows only their agency's referrals.
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "a partner worker at {path}"
        );
        assert_eq!(
            r.headers()["location"],
            "/partner",
            "a partner worker at {path}"
        );
    }

    // A call screen is its owner's alone.
    let call = agent.open(case_id, victim_id).await;
    let supervisor = Console::sign_in(app, &member(app, Role::Supervisor, None).await).await;
    assert_eq!(supervisor.get(&call).await.0, StatusCode::NOT_FOUND);
    assert_eq!(agent.get(&call).await.0, StatusCode::OK);
}

on_both_backends!(
    each_role_reaches_only_its_own,
    each_role_reaches_only_its_own_on_sqlite,
    each_role_reaches_only_its_own_on_postgres
);

async fn a_whole_call(app: &TestApp) {
    cases(app).await;
    let (case_id, victim_id) = ids(app, CASE).await;
    let agent_member = member(app, Role::HelplineAgent, None).await;
    let agent = Console::sign_in(app, &agent_member).await;

    // Not theirs: a reason is needed.
    let (status, page) = agent
        .post(
            "/console/calls",
            &[
                ("case", &case_id.to_string()),
                ("victim", &victim_id.to_string()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Choose why you need to open this case"));
    let call = agent.open(case_id, victim_id).await;

    // Before verification: the safety notes, no personal detail.
    let (_, page) = agent.get(&call).await;
    assert!(page.contains("Not verified yet"));
    assert!(
        page.contains("Do not leave a voicemail."),
        "safety first: {page}"
    );
    for secret in ["grace@example.org", "07700", "High Street", "DC Okoro"] {
        assert!(
            !page.to_lowercase().contains(&secret.to_lowercase()),
            "{secret} shown before verification"
        );
    }
    let verify = format!("{call}/verify");
    let (status, page) = agent
        .post(
            &verify,
            &[
                ("method", "dob_postcode"),
                ("dob", "1979-08-14"),
                ("postcode", "SE1 1AA"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("does not match our record"));
    let (status, _) = agent
        .post(
            &verify,
            &[
                ("method", "dob_postcode"),
                ("dob", "1979-08-14"),
                ("postcode", "se13 5ab"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = agent.get(&call).await;
    assert!(page.contains("Verified: Date of birth and postcode"));
    assert!(page.to_lowercase().contains("grace@example.org"), "{page}");
    assert!(
        page.contains("DC Okoro") && page.contains("020 7946 0000"),
        "how to reach the officer"
    );

    // The same words as the victim's own page.
    let status_text = web::status::case_status(
        web::i18n::Texts::new(web::i18n::Lang::EnGb),
        &app.db.case_by_id(case_id).await.unwrap().unwrap(),
        "V1",
        None,
        false,
    );
    assert!(
        page.contains(&status_text.stage),
        "the stage as the victim reads it"
    );

    let open: Vec<_> = app
        .db
        .obligations_of_victim(case_id, victim_id)
        .await
        .unwrap()
        .into_iter()
        .filter(|o| o.status == "open")
        .collect();
    assert!(!open.is_empty());
    let told = open[0].obligation_id.to_string();
    let tomorrow = (Utc::now() + TimeDelta::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let (status, to) = agent
        .post(
            &format!("{call}/log"),
            &[
                ("form_id", "console-12345"),
                ("channel", "phone"),
                ("direction", "inbound"),
                ("who", "victim"),
                ("outcome", "informed"),
                ("told", &told),
                (
                    "note",
                    "Told her about the arrest. <script>alert(1)</script>",
                ),
                ("callback", "yes"),
                ("callback_date", &tomorrow),
                ("callback_time", "14:30"),
                ("preferred", "afternoons"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let met = app
        .db
        .obligations_of_victim(case_id, victim_id)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.obligation_id == open[0].obligation_id)
        .unwrap();
    assert_eq!(
        met.status, "met",
        "telling them on the phone meets what they were owed"
    );
    let (_, page) = agent.get(&call).await;
    assert!(!page.contains("<script>alert"), "notes are escaped");
    assert!(
        page.contains("Told her about the arrest."),
        "the note is in the log"
    );

    // Sent again (a double click): nothing new.
    agent
        .post(
            &format!("{call}/log"),
            &[
                ("form_id", "console-12345"),
                ("channel", "phone"),
                ("direction", "inbound"),
                ("who", "victim"),
                ("outcome", "informed"),
                ("told", &told),
            ],
        )
        .await;
    assert_eq!(
        app.db.contact_log(case_id, victim_id).await.unwrap().len(),
        1
    );

    // The call back is on the helpline's queue; another agent claims it and completes it.
    let other = Console::sign_in(app, &member(app, Role::HelplineAgent, None).await).await;
    let (_, queue) = other.get("/console/tasks").await;
    assert!(
        queue.contains("Call back (promised on the phone)") && queue.contains("afternoons"),
        "{queue}"
    );
    let task = app
        .db
        .queue(&store::QueueFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.kind == "callback_promised")
        .unwrap();
    let (status, to) = other
        .post(&format!("/console/tasks/{}/claim", task.task_id), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        to.contains(&format!("task={}", task.task_id)),
        "claiming opens the victim: {to}"
    );
    let (status, _) = agent
        .post(&format!("/console/tasks/{}/claim", task.task_id), &[])
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "one holder at a time");
    let (status, page) = other.get(&to).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !page.contains("Reason for access"),
        "the task is the reason"
    );
    let (status, _) = other
        .post(
            &format!("/console/tasks/{}/complete", task.task_id),
            &[("outcome", "")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = other
        .post(
            &format!("/console/tasks/{}/complete", task.task_id),
            &[("outcome", "Called back; no news needed")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let done = app.db.task(task.task_id).await.unwrap().unwrap();
    assert!(
        done.closed_at.is_some() && done.outcome.as_deref() == Some("Called back; no news needed")
    );

    let trail = app
        .db
        .audit_records(&store::AuditFilter {
            case_id: Some(case_id),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    for action in [
        "opened case",
        "viewed case",
        "verified caller",
        "logged contact",
        "claimed task",
        "completed task",
    ] {
        assert!(
            trail.iter().any(|r| r.action == action),
            "audited: {action}"
        );
    }
    assert!(
        trail.iter().any(
            |r| r.reason.as_deref() == Some("The victim (or someone for them) is on the phone")
        )
    );
    assert!(matches!(
        app.db.verify_audit().await.unwrap(),
        store::AuditCheck::Intact { .. }
    ));
}

on_both_backends!(
    a_whole_call,
    a_whole_call_on_sqlite,
    a_whole_call_on_postgres
);

#[tokio::test]
async fn screen_pop_finds_the_caller_and_records_the_call() {
    let app = spawn_app().await;
    cases(&app).await;
    let tel = app.telephony_key().await;
    // Each system's key opens only its own endpoints.
    let call = json!({"call_id": "CA-0", "caller": "+447700900123"});
    let (status, _) = app
        .api(reqwest::Method::POST, "/api/v1/telephony/calls", Some(call))
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the crime feed's key cannot look up callers"
    );
    let (status, _) = app
        .api_with_key(&tel, reqwest::Method::GET, "/api/v1/outbox", None)
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the telephony key cannot read the feed's endpoints"
    );
    let agent_member = member(&app, Role::HelplineAgent, None).await;
    let (status, body) = app.api_with_key(&tel, reqwest::Method::POST, "/api/v1/telephony/calls",
        Some(json!({"call_id": "CA-1", "caller": "+447700900123", "agent": agent_member.username, "queue": "victims"}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["matches"][0]["crime_reference"], CASE);
    assert!(
        !body.to_string().contains("Grace"),
        "no names to the telephony platform"
    );
    let screen = body["screen_url"].as_str().unwrap().to_owned();
    let (status, again) = app.api_with_key(&tel, reqwest::Method::POST, "/api/v1/telephony/calls",
        Some(json!({"call_id": "CA-1", "caller": "+447700900123", "agent": agent_member.username}))).await;
    assert_eq!(
        (status, &again["telephony_call_id"]),
        (StatusCode::OK, &body["telephony_call_id"]),
        "a resend is the same call"
    );

    let agent = Console::sign_in(&app, &agent_member).await;
    let (status, page) = agent.get(&screen).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Grace Adeyemi"));
    // The call is the reason to open its caller's case, and no one else's.
    let pop_id = body["telephony_call_id"].as_i64().unwrap();
    let (case_id, victim_id) = ids(&app, CASE).await;
    let (other_case, other_victim) = ids(&app, OTHER_CASE).await;
    let (_, page) = agent
        .get(&format!(
            "/console/open?case={case_id}&victim={victim_id}&pop={pop_id}"
        ))
        .await;
    assert!(!page.contains("Reason for access"), "the caller's own case");
    let (_, page) = agent
        .get(&format!(
            "/console/open?case={other_case}&victim={other_victim}&pop={pop_id}"
        ))
        .await;
    assert!(
        page.contains("Reason for access"),
        "another victim needs a reason"
    );
    let other = Console::sign_in(&app, &member(&app, Role::HelplineAgent, None).await).await;
    assert_eq!(
        other.get(&screen).await.0,
        StatusCode::NOT_FOUND,
        "another agent's call"
    );

    let (status, body) = app
        .api_with_key(
            &tel,
            reqwest::Method::POST,
            "/api/v1/telephony/calls",
            Some(json!({"caller": "+447700900123", "agent": "Not A Name!"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = body.to_string();
    assert!(text.contains("call_id") && text.contains("agent"), "{text}");
    let (status, _) = app.api_with_key(&tel, reqwest::Method::POST, "/api/v1/telephony/calls/CA-1/end",
        Some(json!({"outcome": "answered", "wait_seconds": 12, "talk_seconds": 240, "wrap_seconds": 30}))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app
        .api_with_key(
            &tel,
            reqwest::Method::POST,
            "/api/v1/telephony/calls/CA-404/end",
            Some(json!({"outcome": "abandoned"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let calls = app
        .db
        .telephony_calls(
            Utc::now() - TimeDelta::hours(1),
            Utc::now() + TimeDelta::hours(1),
        )
        .await
        .unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        (
            calls[0].outcome.as_str(),
            calls[0].wait_seconds,
            calls[0].talk_seconds
        ),
        ("answered", Some(12), Some(240))
    );
    let phone = domain::victim::Phone::parse("+447700900123").unwrap();
    assert_eq!(
        calls[0].caller_index,
        Some(app.db.lookup().phone(&phone)),
        "the number is kept only as its digest"
    );
    let (status, _) = app
        .client
        .post(app.url("/api/v1/telephony/calls"))
        .body("{}")
        .send()
        .await
        .map(|r| (r.status(), ()))
        .unwrap();
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.cleanup().await;
}

/// A link for the case's victim, with the PIN 2486024 set on it.
async fn link_with_pin(
    app: &TestApp,
    reference: &str,
    case_id: i64,
    victim_id: i64,
) -> store::IssuedAccess {
    let crime = domain::CrimeReference::parse(reference).unwrap();
    let access = app
        .db
        .issue_portal_access(&crime, None, "test", Utc::now())
        .await
        .unwrap();
    let pin = domain::pin::Pin::parse("2486024", None).unwrap();
    app.db
        .set_portal_pin(case_id, victim_id, &pin, "test", None, Utc::now())
        .await
        .unwrap();
    access
}

const IVR_TOKEN: &str = "telephony-test-token";
/// Where the platform reaches us (behind a proxy, say): what it signs.
const PUBLIC_URL: &str = "https://victimcare.test";

async fn spawn_ivr_app() -> TestApp {
    spawn_app_with(|s| {
        s.telephony.auth_token = Some(IVR_TOKEN.into());
        s.web.public_url = PUBLIC_URL.into();
    })
    .await
}

async fn ivr(app: &TestApp, path: &str, digits: Option<&str>) -> (StatusCode, String) {
    let mut fields = vec![
        ("CallSid".to_owned(), "CA-ivr".to_owned()),
        ("From".to_owned(), "+447700900123".to_owned()),
    ];
    if let Some(d) = digits {
        fields.push(("Digits".to_owned(), d.to_owned()));
    }
    let signature = web::ivr::signature(IVR_TOKEN, &format!("{PUBLIC_URL}{path}"), &fields);
    let body = form(
        &fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<Vec<_>>(),
    );
    let r = app
        .client
        .post(app.url(path))
        .header("x-twilio-signature", signature)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// The next URL the menu asks the platform to post to.
fn action(twiml: &str) -> String {
    twiml
        .split("action=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&")
}

#[tokio::test]
async fn the_phone_menu_reads_the_status_and_takes_a_call_back_request() {
    let app = spawn_ivr_app().await;
    cases(&app).await;
    let (case_id, victim_id) = ids(&app, CASE).await;
    link_with_pin(&app, CASE, case_id, victim_id).await;

    let unsigned = app
        .client
        .post(app.url("/ivr/voice"))
        .body("CallSid=x")
        .send()
        .await
        .unwrap();
    assert_eq!(
        unsigned.status(),
        StatusCode::FORBIDDEN,
        "only the platform may drive the menu"
    );

    let (status, twiml) = ivr(&app, "/ivr/voice", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(twiml.contains("<Gather") && twiml.contains("crime reference"));
    let (_, twiml) = ivr(&app, &action(&twiml), Some("600000126")).await;
    assert!(twiml.contains("PIN"));
    let pin_step = action(&twiml);
    let (_, wrong) = ivr(&app, &pin_step, Some("1357913")).await;
    assert!(wrong.contains("did not work"), "{wrong}");
    let (_, twiml) = ivr(&app, &action(&wrong), Some("2486024")).await;
    let status_text = web::status::case_status(
        web::i18n::Texts::new(web::i18n::Lang::EnGb),
        &app.db.case_by_id(case_id).await.unwrap().unwrap(),
        "V1",
        None,
        false,
    );
    assert!(
        twiml.contains(&status_text.stage_summary.replace('\'', "&apos;")),
        "the same words as the page: {twiml}"
    );
    assert!(twiml.contains("press 1"));
    let (_, twiml) = ivr(&app, &action(&twiml), Some("1")).await;
    assert!(twiml.contains("call you back"));
    let tasks = app.db.tasks_of_victim(case_id, victim_id).await.unwrap();
    assert!(
        tasks
            .iter()
            .any(|t| t.kind == "callback_requested" && t.closed_at.is_none())
    );

    // An unknown case sounds like a wrong PIN.
    let (_, twiml) = ivr(&app, "/ivr/reference", Some("699999926")).await;
    let (_, unknown) = ivr(&app, &action(&twiml), Some("2486024")).await;
    assert!(unknown.contains("did not work"));
    app.cleanup().await;
}

#[tokio::test]
async fn wrong_pins_by_phone_lock_the_victims_page_too() {
    let app = spawn_ivr_app().await;
    cases(&app).await;
    let (case_id, victim_id) = ids(&app, CASE).await;
    let access = link_with_pin(&app, CASE, case_id, victim_id).await;
    for i in 0..5 {
        let (_, twiml) = ivr(
            &app,
            &format!("/ivr/pin?ref=600000126&tries={}", i % 2),
            Some("1111999"),
        )
        .await;
        assert!(
            twiml.contains("did not work") || twiml.contains("put you through"),
            "{twiml}"
        );
    }
    let (_, locked) = ivr(&app, "/ivr/pin?ref=600000126&tries=0", Some("2486024")).await;
    assert!(
        locked.contains("cannot check your PIN"),
        "the right PIN is refused while locked: {locked}"
    );
    let page = app
        .db
        .verify_portal(
            &access.token,
            store::Answer::Pin("2486024".into()),
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(
        page,
        store::Verification::Refused,
        "the same lockout holds on the victim's page"
    );
    app.cleanup().await;
}

#[tokio::test]
async fn the_phone_menu_speaks_the_victims_language_where_there_is_a_voice() {
    let app = spawn_app_with(|s| {
        s.telephony.auth_token = Some(IVR_TOKEN.into());
        s.web.public_url = PUBLIC_URL.into();
        s.telephony.voices.insert("cy".into(), "cy-GB".into());
    })
    .await;
    let reference = "6000003/26";
    let victim = json!({"ref": "W1", "kind": "person", "name": "Gwen Morgan",
        "date_of_birth": "1985-03-02", "language": "cy", "email": "gwen@example.org",
        "contact_agreement": {"channels": ["email"], "safe_channels": ["email"]}});
    let events = [json!({"source": "cris", "id": "w1", "type": "reported",
        "crime_reference": reference, "occurred_at": "2026-11-02T10:00:00Z",
        "payload": {"offence": "theft", "borough": "Barnet",
                    "officer": {"name": "PC Evans"}, "victims": [victim]}})];
    let (status, body) = app.post_events(&events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (case_id, victim_id) = ids(&app, reference).await;
    link_with_pin(&app, reference, case_id, victim_id).await;

    let (_, twiml) = ivr(&app, "/ivr/pin?ref=600000326&tries=0", Some("2486024")).await;
    let welsh = web::status::case_status(
        web::i18n::Texts::new(web::i18n::Lang::Cy),
        &app.db.case_by_id(case_id).await.unwrap().unwrap(),
        "W1",
        None,
        false,
    );
    assert!(twiml.contains("language=\"cy-GB\""), "{twiml}");
    assert!(
        twiml.contains(&welsh.stage_summary.replace('\'', "&apos;")),
        "in Welsh: {twiml}"
    );
    app.cleanup().await;
}
