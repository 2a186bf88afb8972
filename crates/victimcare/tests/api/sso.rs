//! Staff single sign-on against a stand-in identity provider served by the test itself
//! (discovery, keys, token endpoint; RS256-signed ID tokens): the provider vouches for the
//! person, victimcare still decides whether they have an account, and without multi-factor
//! authentication, with a forged state or for an unknown person nobody gets in.

use crate::console::{Console, member};
use crate::helpers::{TestApp, spawn_app_with};
use base64::Engine;
use domain::staff::Role;
use reqwest::StatusCode;
use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use serde_json::json;
use std::sync::{Arc, Mutex};

const CLIENT_ID: &str = "victimcare-console";

struct Provider {
    issuer: String,
    /// What the next token will say: (preferred_username, amr, nonce).
    next: Arc<Mutex<(String, Vec<String>, String)>>,
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

async fn provider() -> Provider {
    use axum::routing::{get, post};
    let key = rsa::RsaPrivateKey::new(&mut rand08::thread_rng(), 2048).unwrap();
    let public = key.to_public_key();
    let jwk = json!({"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": "k1",
        "n": b64(&public.n().to_bytes_be()), "e": b64(&public.e().to_bytes_be())}]});
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    let next = Arc::new(Mutex::new((String::new(), Vec::new(), String::new())));
    let discovery = json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    });
    let signer = SigningKey::<sha2::Sha256>::new(key);
    let token_next = next.clone();
    let token_issuer = issuer.clone();
    let token = move || {
        let (name, amr, nonce) = token_next.lock().unwrap().clone();
        let now = chrono::Utc::now().timestamp();
        let header = b64(json!({"alg": "RS256", "kid": "k1", "typ": "JWT"})
            .to_string()
            .as_bytes());
        let claims = b64(
            json!({"iss": token_issuer, "aud": CLIENT_ID, "sub": format!("sub-{name}"),
            "iat": now, "exp": now + 300, "nonce": nonce, "preferred_username": name, "amr": amr})
            .to_string()
            .as_bytes(),
        );
        let signed = format!("{header}.{claims}");
        let signature = signer.sign(signed.as_bytes()).to_bytes();
        let id_token = format!("{signed}.{}", b64(&signature));
        axum::Json(
            json!({"access_token": "at", "token_type": "Bearer", "expires_in": 300,
            "id_token": id_token}),
        )
    };
    let app = axum::Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(move || {
                let d = discovery.clone();
                async move { axum::Json(d) }
            }),
        )
        .route(
            "/jwks",
            get(move || {
                let k = jwk.clone();
                async move { axum::Json(k) }
            }),
        )
        .route(
            "/token",
            post(move || {
                let t = token.clone();
                async move { t() }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await });
    Provider { issuer, next }
}

async fn app_with(provider: &Provider) -> TestApp {
    let issuer = provider.issuer.clone();
    spawn_app_with(move |s| {
        s.sso.issuer_url = Some(issuer);
        s.sso.client_id = CLIENT_ID.into();
        s.sso.client_secret = Some("secret".into());
        s.sso.domain = Some("force.police.uk".into());
    })
    .await
}

/// Starts a sign-in as the browser would; returns the provider's authorise URL's query and
/// the cookie that binds the sign-in to this browser.
async fn start(app: &TestApp) -> (Vec<(String, String)>, String) {
    let r = app
        .client
        .get(app.url("/console/sso/start"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("Secure"));
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    let query = to.split_once('?').unwrap().1;
    let pairs = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    (pairs, cookie.split(';').next().unwrap().to_owned())
}

fn get<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    &pairs.iter().find(|(k, _)| k == name).unwrap().1
}

async fn come_back(app: &TestApp, cookie: &str, state: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/console/sso/callback?code=c1&state={state}")))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_provider_vouches_and_victimcare_decides() {
    let provider = provider().await;
    let app = app_with(&provider).await;
    let agent = member(&app, Role::HelplineAgent, None).await;
    let (_, page) = Console::sign_in(&app, &agent)
        .await
        .get("/console/sign-in")
        .await;
    assert!(
        page.contains("/console/sso/start"),
        "the sign-in page offers single sign-on"
    );

    // A person with an account, who used a second factor: signed in.
    let (query, cookie) = start(&app).await;
    assert_eq!(get(&query, "client_id"), CLIENT_ID);
    assert_eq!(get(&query, "code_challenge_method"), "S256", "PKCE");
    *provider.next.lock().unwrap() = (
        format!("{}@force.police.uk", agent.username.to_uppercase()),
        vec!["pwd".into(), "mfa".into()],
        get(&query, "nonce").to_owned(),
    );
    let r = come_back(&app, &cookie, get(&query, "state")).await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "a page of ours, which goes on to the console"
    );
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("__Host-vc_staff="))
        .expect("a staff session");
    let page = app
        .client
        .get(app.url("/console"))
        .header("cookie", session.split(';').next().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);

    // The same, but the state is not the one this browser was given.
    let (query, cookie) = start(&app).await;
    provider.next.lock().unwrap().2 = get(&query, "nonce").to_owned();
    assert_eq!(
        come_back(&app, &cookie, "forged").await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Signing in as the provider says `name` did, with `amr`; `nonce` None: the one this
    // sign-in was given.
    let attempt = |name: String, amr: &'static [&'static str], nonce: Option<&'static str>| {
        let (app, provider) = (&app, &provider);
        async move {
            let (query, cookie) = start(app).await;
            let nonce = nonce.map_or_else(|| get(&query, "nonce").to_owned(), str::to_owned);
            *provider.next.lock().unwrap() =
                (name, amr.iter().map(|m| (*m).to_owned()).collect(), nonce);
            come_back(app, &cookie, get(&query, "state")).await.status()
        }
    };
    let refused = StatusCode::UNAUTHORIZED;
    // The same name under another domain (a guest account, say) is nobody here.
    let guest = format!("{}@elsewhere.example", agent.username);
    assert_eq!(attempt(guest, &["mfa"], None).await, refused);
    // A password alone at the provider is not enough.
    assert_eq!(
        attempt(agent.username.clone(), &["pwd"], None).await,
        refused
    );
    // Someone the provider knows but victimcare does not.
    assert_eq!(attempt("stranger".into(), &["mfa"], None).await, refused);
    // A token made for another sign-in (its nonce) is refused.
    let other_nonce = attempt(agent.username.clone(), &["mfa"], Some("another nonce"));
    assert_eq!(other_nonce.await, refused);

    let audit = app
        .db
        .audit_records(&store::AuditFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let refusals: Vec<&str> = audit
        .iter()
        .filter(|r| r.detail.starts_with("single sign-on:"))
        .map(|r| r.detail.as_str())
        .collect();
    assert_eq!(refusals.len(), 5, "{refusals:?}");
    assert!(audit.iter().any(|r| r.action == "signed in"
        && r.detail == "single sign-on"
        && r.actor == agent.username));
    app.cleanup().await;
}
