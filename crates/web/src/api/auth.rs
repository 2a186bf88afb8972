//! API key authentication: `Authorization: Bearer vck_…`.

use crate::{ApiError, AppState};
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use store::ApiKey;

/// The system calling, once its key checked out.
pub struct ApiCaller(pub ApiKey);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
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
        Ok(Self(key))
    }
}
