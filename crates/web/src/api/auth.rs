//! API key authentication: `Authorization: Bearer vck_…`.

use crate::{ApiError, AppState};
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use store::{ApiKey, ApiScope};

/// The crime recording system (or another `feed` key), once its key checked out.
pub struct ApiCaller(pub ApiKey);

/// The telephony platform, once its `telephony` key checked out.
pub struct TelephonyCaller(pub ApiKey);

/// A support agency, once its `agency` key checked out: the key's id and the agency's id.
pub struct AgencyCaller(pub i64, pub String);

impl FromRequestParts<AppState> for AgencyCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let key = caller(parts, state, ApiScope::Agency).await?;
        // An agency key without its agency opens nothing.
        let agency = key.agency.ok_or(ApiError::WrongScope)?;
        Ok(Self(key.api_key_id, agency))
    }
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        caller(parts, state, ApiScope::Feed).await.map(Self)
    }
}

impl FromRequestParts<AppState> for TelephonyCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        caller(parts, state, ApiScope::Telephony).await.map(Self)
    }
}

/// The key of the request, if it is live and made for `scope`: a key for one system never
/// opens another's endpoints.
async fn caller(parts: &Parts, state: &AppState, scope: ApiScope) -> Result<ApiKey, ApiError> {
    let secret = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(ApiError::Unauthorized)?;
    let key = state
        .db
        .check_api_key(secret)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    tracing::Span::current().record("api_key_id", key.api_key_id);
    if key.scope != scope {
        return Err(ApiError::WrongScope);
    }
    Ok(key)
}
