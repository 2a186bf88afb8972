//! Single sign-on with the force's identity provider (OpenID Connect: Entra ID and the like).
//! The provider proves who the person is; victimcare decides what they may do: the account
//! must already exist here (an administrator made it, with its role), matched by the name in
//! the ID token. Authorisation code flow with PKCE, a nonce and a state bound to this browser
//! by a short-lived cookie. By default the token must say multi-factor authentication was
//! used (`amr` holds `mfa`), because a password alone must not open victims' records.

use super::{session_cookie, unavailable, with_cookie};
use crate::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Utc;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use store::AuditEntry;

const COOKIE: &str = "__Host-vc_sso";

/// How the console reaches the identity provider.
#[derive(Debug, Clone)]
pub struct SsoConfig {
    pub issuer_url: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// The claim naming the person: `preferred_username` or `email`.
    pub username_claim: String,
    /// The force's own domain: `ada.jones@force.police.uk` signs in as `ada.jones`, and a name
    /// under any other domain (a guest account, say) matches nobody. None: the whole claim is
    /// the name.
    pub domain: Option<String>,
    /// Refuse tokens that do not say multi-factor authentication was used.
    pub require_mfa: bool,
}

pub fn router() -> Router<AppState> {
    // The return from the provider writes to the audit log when it fails and needs no
    // session: limited per address like the sign-in form.
    Router::new()
        .route(
            "/console/sso/callback",
            get(callback).layer(crate::portal::attempts_limit_for(axum::http::Method::GET)),
        )
        .route("/console/sso/start", get(start))
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpError(String);

/// The HTTP client the provider is reached with: no redirects (they would open the way to
/// request forgery against internal addresses), and a timeout.
fn http_client() -> Result<reqwest::Client, HttpError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| HttpError(e.to_string()))
}

async fn send(
    client: reqwest::Client,
    request: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, HttpError> {
    let (parts, body) = request.into_parts();
    let response = client
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map_err(|e| HttpError(e.to_string()))?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .bytes()
        .await
        .map_err(|e| HttpError(e.to_string()))?;
    let mut out = openidconnect::HttpResponse::new(body.to_vec());
    *out.status_mut() = status;
    *out.headers_mut() = headers;
    Ok(out)
}

/// Why single sign-on refused: for the audit log, never shown in detail.
#[derive(Debug)]
enum Refusal {
    Provider(String),
    State,
    Token(String),
    NoName,
    NoMfa,
    UnknownAccount,
}

fn redirect_url(state: &AppState) -> String {
    format!("{}/console/sso/callback", state.config.public_url)
}

async fn start(State(state): State<AppState>) -> Response {
    let Some(sso) = state.config.sso.clone() else {
        return super::not_found();
    };
    let client = match http_client() {
        Ok(c) => c,
        Err(e) => return refused(&state, None, Refusal::Provider(e.0)).await,
    };
    let http = |r| send(client.clone(), r);
    let issuer = match IssuerUrl::new(sso.issuer_url.clone()) {
        Ok(i) => i,
        Err(e) => return refused(&state, None, Refusal::Provider(e.to_string())).await,
    };
    let metadata = match CoreProviderMetadata::discover_async(issuer, &http).await {
        Ok(m) => m,
        Err(e) => return refused(&state, None, Refusal::Provider(e.to_string())).await,
    };
    let redirect = match RedirectUrl::new(redirect_url(&state)) {
        Ok(r) => r,
        Err(e) => return refused(&state, None, Refusal::Provider(e.to_string())).await,
    };
    let oidc = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(sso.client_id.clone()),
        sso.client_secret.clone().map(ClientSecret::new),
    )
    .set_redirect_uri(redirect);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = oidc
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    // Lax, not Strict: the browser must send it when the provider sends them back to us.
    let cookie = format!(
        "{COOKIE}={}.{}.{}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=600",
        csrf.secret(),
        nonce.secret(),
        verifier.secret()
    );
    match HeaderValue::from_str(&cookie) {
        Ok(cookie) => with_cookie(Redirect::to(url.as_str()).into_response(), cookie),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
}

async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let Some(sso) = state.config.sso.clone() else {
        return super::not_found();
    };
    let held = crate::cookie(&headers, COOKIE)
        .unwrap_or_default()
        .to_owned();
    let mut parts = held.splitn(3, '.');
    let (Some(csrf), Some(nonce), Some(verifier)) = (parts.next(), parts.next(), parts.next())
    else {
        return refused(&state, None, Refusal::State).await;
    };
    let same = |a: &str, b: &str| Sha256::digest(a) == Sha256::digest(b);
    let (Some(code), Some(given_state)) = (q.code, q.state) else {
        return refused(&state, None, Refusal::State).await;
    };
    if !same(&given_state, csrf) {
        return refused(&state, None, Refusal::State).await;
    }
    let client = match http_client() {
        Ok(c) => c,
        Err(e) => return refused(&state, None, Refusal::Provider(e.0)).await,
    };
    let claims = match exchange(&state, &sso, client, code, nonce, verifier).await {
        Ok(c) => c,
        Err(r) => return refused(&state, None, r).await,
    };
    let (name, amr) = claims;
    if sso.require_mfa && !amr.iter().any(|m| m == "mfa") {
        return refused(&state, Some(&name), Refusal::NoMfa).await;
    }
    let user = match state.db.staff_user_by_name(&name).await {
        Ok(Some(u)) if !u.disabled => u,
        Ok(_) => return refused(&state, Some(&name), Refusal::UnknownAccount).await,
        Err(e) => return unavailable(&e),
    };
    let now = Utc::now();
    let session = match state.db.open_staff_session(user.user_id, now).await {
        Ok(s) => s,
        Err(e) => return unavailable(&e),
    };
    let entry = AuditEntry {
        actor: user.username.clone(),
        action: "signed in".into(),
        detail: "single sign-on".into(),
        ..AuditEntry::default()
    };
    if let Err(e) = state.db.audit(&entry, now).await {
        return unavailable(&e);
    }
    // A page of our own, not a redirect: the browser arrived here from the provider's site,
    // and would not send a SameSite=Strict cookie on a redirect that began there. Going on
    // from this page is a same-site step, which does.
    let landing = axum::response::Html(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"0;url=/console\"><title>Signed in – victimcare</title>\
         <link rel=\"stylesheet\" href=\"/static/site.css\"></head><body><main id=\"main\">\
         <h1>You are signed in</h1><p><a href=\"/console\">Go to the console</a></p></main></body></html>",
    );
    let mut response = with_cookie(
        landing.into_response(),
        session_cookie(&session, store::SESSION_LIFETIME.num_seconds()),
    );
    response.headers_mut().append(
        axum::http::header::SET_COOKIE,
        HeaderValue::from_static(
            "__Host-vc_sso=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0",
        ),
    );
    response
}

/// Trades the code for tokens and checks the ID token (signature, issuer, audience, expiry,
/// nonce). Returns the victimcare name it gives and the authentication methods used.
async fn exchange(
    state: &AppState,
    sso: &SsoConfig,
    client: reqwest::Client,
    code: String,
    nonce: &str,
    verifier: &str,
) -> Result<(String, Vec<String>), Refusal> {
    let http = |r| send(client.clone(), r);
    let http = &http;
    let issuer =
        IssuerUrl::new(sso.issuer_url.clone()).map_err(|e| Refusal::Provider(e.to_string()))?;
    let metadata = CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|e| Refusal::Provider(e.to_string()))?;
    let redirect =
        RedirectUrl::new(redirect_url(state)).map_err(|e| Refusal::Provider(e.to_string()))?;
    let oidc = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(sso.client_id.clone()),
        sso.client_secret.clone().map(ClientSecret::new),
    )
    .set_redirect_uri(redirect);
    let tokens = oidc
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| Refusal::Provider(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()))
        .request_async(http)
        .await
        .map_err(|e| Refusal::Token(e.to_string()))?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| Refusal::Token("no ID token".into()))?;
    let claims = id_token
        .claims(&oidc.id_token_verifier(), &Nonce::new(nonce.to_owned()))
        .map_err(|e| Refusal::Token(e.to_string()))?;
    let raw = match sso.username_claim.as_str() {
        // An address the provider has not checked is not an identity.
        "email" if claims.email_verified() == Some(true) => {
            claims.email().map(|e| e.as_str().to_owned())
        }
        "email" => None,
        _ => claims.preferred_username().map(|u| u.as_str().to_owned()),
    }
    .ok_or(Refusal::NoName)?;
    let mut name = raw.trim().to_lowercase();
    if let Some(domain) = &sso.domain {
        name = name
            .strip_suffix(&format!("@{}", domain.to_lowercase()))
            .ok_or(Refusal::NoName)?
            .to_owned();
    }
    let amr = claims
        .auth_method_refs()
        .map(|list| list.iter().map(|m| m.as_str().to_owned()).collect())
        .unwrap_or_default();
    Ok((name, amr))
}

async fn refused(state: &AppState, name: Option<&str>, why: Refusal) -> Response {
    // The provider's own error text can be long: keep the start, for the operator.
    let detail = match &why {
        Refusal::Provider(e) => format!(
            "identity provider: {}",
            e.chars().take(200).collect::<String>()
        ),
        Refusal::Token(e) => format!("token refused: {}", e.chars().take(200).collect::<String>()),
        Refusal::State => "state did not match this browser".into(),
        Refusal::NoName => "the token names nobody".into(),
        Refusal::NoMfa => "no multi-factor authentication".into(),
        Refusal::UnknownAccount => "no active account with this name".into(),
    };
    tracing::warn!(reason = %detail, "single sign-on refused");
    let actor = name
        .and_then(|n| domain::staff::Username::parse(n).ok())
        .map_or_else(|| "-".to_owned(), |u| u.as_str().to_owned());
    let entry = AuditEntry {
        actor,
        action: "sign-in refused".into(),
        detail: format!("single sign-on: {detail}"),
        ..AuditEntry::default()
    };
    if let Err(e) = state.db.audit(&entry, Utc::now()).await {
        return unavailable(&e);
    }
    (
        StatusCode::UNAUTHORIZED,
        super::sign_in::page(Some(SSO_FAILED), String::new(), true),
    )
        .into_response()
}

const SSO_FAILED: &str = "Signing in with your organisation account did not work. Try again, or \
     ask your supervisor to check that you have an account here.";
