use chrono::Utc;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::Db;
use store::scratch::ScratchDb;
use tokio::sync::oneshot;
use victimcare::config::Settings;
use victimcare::startup::Application;

pub struct TestApp {
    pub address: String,
    pub db: Db,
    pub api_key: String,
    pub client: reqwest::Client,
    /// For other processes (a worker) to open the same database.
    pub database_url: String,
    _scratch: ScratchDb,
    _stop: oneshot::Sender<()>,
}

/// Starts the application on a free port with a new SQLite database; `tweak` may change the
/// settings first.
pub async fn spawn_app_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let scratch = ScratchDb::sqlite().await.expect("a scratch database");
    spawn_app_on(scratch, tweak).await
}

/// The same on a new PostgreSQL database, when a server is named (else `None`: the test
/// skips, unless CI requires PostgreSQL).
pub async fn spawn_app_on_postgres(tweak: impl FnOnce(&mut Settings)) -> Option<TestApp> {
    let scratch = ScratchDb::postgres().await?;
    Some(spawn_app_on(scratch, tweak).await)
}

async fn spawn_app_on(scratch: ScratchDb, tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let mut settings = Settings::default();
    settings.database_url.clone_from(&scratch.url);
    settings.server.bind = "127.0.0.1:0".parse().unwrap();
    settings.web.public_case_list = true;
    // Tests move the clock themselves, with `db.tick(when)`.
    settings.scheduler.interval_seconds = 0;
    tweak(&mut settings);
    let app = Application::with_db(&settings, scratch.db.clone())
        .await
        .expect("the application starts");
    let address = format!("http://{}", app.local_addr());
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    let api_key = scratch
        .db
        .create_api_key("tests", Utc::now())
        .await
        .unwrap()
        .secret;
    TestApp {
        address,
        db: scratch.db.clone(),
        api_key,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        database_url: scratch.url.clone(),
        _scratch: scratch,
        _stop: stop,
    }
}

impl TestApp {
    /// Stops the server and drops the database (a PostgreSQL one too).
    pub async fn cleanup(self) {
        drop(self._stop);
        self._scratch.cleanup().await;
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

impl TestApp {
    /// A key for the telephony platform (scope `telephony`).
    pub async fn telephony_key(&self) -> String {
        self.db
            .create_scoped_api_key("telephony", store::ApiScope::Telephony, Utc::now())
            .await
            .unwrap()
            .secret
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn post_events_raw(
        &self,
        body: impl Into<reqwest::Body>,
        key: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .client
            .post(self.url("/api/v1/events"))
            .header("content-type", "application/json")
            .body(body);
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, body)
    }

    pub async fn post_events(&self, events: &[Value]) -> (StatusCode, Value) {
        self.post_events_raw(json!({ "events": events }).to_string(), Some(&self.api_key))
            .await
    }

    /// A JSON request with this app's API key; the body is JSON (or the text, if not JSON).
    pub async fn api(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        self.api_with_key(&self.api_key, method, path, body).await
    }

    /// The same with another key (a telephony key, say).
    pub async fn api_with_key(
        &self,
        key: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, self.url(path)).bearer_auth(key);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get_html(&self, path: &str) -> (StatusCode, String) {
        let response = self.client.get(self.url(path)).send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    }
}

/// `cases` generated cases, each a list of events in JSON.
pub fn generated(cases: u64, seed: u64) -> Vec<Vec<Value>> {
    synth::Generator::new(seed, cases, synth::DEFAULT_AS_OF.parse().unwrap()).collect()
}
