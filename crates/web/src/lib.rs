//! victimcare's HTTP surface. One router per feature, merged here; the layers that every
//! response passes through (request ids, tracing without personal data, security headers,
//! limits, panics caught) are in [`middleware`].

pub mod api;
pub mod card;
pub mod client_address;
pub mod console;
mod error;
mod health;
pub mod i18n;
pub mod ivr;
pub mod leaflet;
pub mod messages;
mod middleware;
mod pages;
mod partner;
pub mod portal;
pub mod status;
pub mod subject_access;

pub use error::ApiError;

use axum::Router;
use std::future::Future;
use std::sync::Arc;
use store::Db;
use tokio::net::TcpListener;

/// The value of the request's cookie `name`, if it sent one.
pub(crate) fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Serve the read-only case list at `/cases`. It shows no victim's personal data but does
    /// show which crimes exist, so it is for demos and development only: off unless asked for.
    pub public_case_list: bool,
    /// Largest request body accepted by the ingest API, in bytes.
    pub max_ingest_body: usize,
    /// The agencies the leaflet's support directory lists.
    pub support_directory: Arc<leaflet::support::SupportDirectory>,
    /// The token the notification provider sends with delivery receipts; none refuses them.
    pub notify_callback_token: Option<String>,
    /// A staff session ends after this long without a request.
    pub staff_idle: chrono::TimeDelta,
    /// The telephony platform's auth token, which signs the phone menu's webhooks; none
    /// turns the phone menu off.
    pub ivr_auth_token: Option<String>,
    /// The phone menu's voice for each language it may speak after the caller is known
    /// (language code, as in the translation files, to the platform's voice language);
    /// English is always spoken.
    pub ivr_voices: std::collections::HashMap<String, String>,
    /// The address the service is reached at (the phone menu's signatures cover it).
    pub public_url: String,
    /// Staff single sign-on, when the force's identity provider is set up.
    pub sso: Option<Arc<console::sso::SsoConfig>>,
    /// Crime types the force refers to support unless the victim objects (never domestic
    /// abuse, whatever this says): every other referral needs the victim's consent.
    pub opt_out_offences: Vec<domain::OffenceCategory>,
    /// The helpline's service standard, for staffing plans.
    pub capacity: Arc<store::CapacityPolicy>,
    /// The reverse proxies whose `X-Forwarded-For` names the client (see [`client_address`]).
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            public_case_list: false,
            max_ingest_body: 32 * 1024 * 1024,
            support_directory: Arc::new(leaflet::support::SupportDirectory::builtin()),
            notify_callback_token: None,
            staff_idle: chrono::TimeDelta::minutes(30),
            ivr_auth_token: None,
            ivr_voices: std::collections::HashMap::new(),
            public_url: "http://127.0.0.1:8080".into(),
            sso: None,
            opt_out_offences: Vec::new(),
            capacity: Arc::new(store::CapacityPolicy::default()),
            trusted_proxies: Vec::new(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<WebConfig>,
    /// Victims' cases between their page views (see [`portal::kept`]).
    pub(crate) kept: Arc<portal::kept::KeptCases>,
}

impl AppState {
    pub fn new(db: Db, config: Arc<WebConfig>) -> Self {
        Self {
            db,
            config,
            // About 10 kB each: a few tens of megabytes at most.
            kept: Arc::new(portal::kept::KeptCases::new(5_000)),
        }
    }
}

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    let (api, mut openapi) = api::router(&state.config).split_for_parts();
    api::add_common_answers(&mut openapi);
    let openapi = Arc::new(openapi);
    let mut app = Router::new()
        .merge(health::router())
        .merge(api)
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let doc = openapi.clone();
                async move { axum::Json((*doc).clone()) }
            }),
        )
        .merge(leaflet::router())
        .merge(portal::router())
        .merge(console::router())
        .merge(partner::router())
        .merge(ivr::router())
        .merge(pages::router(&state.config));
    app = middleware::apply(app).layer(axum::middleware::from_fn_with_state(
        state.clone(),
        client_address::remember,
    ));
    app.with_state(state)
}

/// Serves until `shutdown` completes, then lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The client's address reaches handlers (and the portal's rate limit) as `ConnectInfo`.
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
