use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::ingest::BatchProblem;
use serde::Serialize;
use thiserror::Error;

/// Everything the JSON API can answer besides success. Internal detail stays in the logs.
#[derive(Debug, Error)]
pub enum ApiError {
    #[error("a valid API key is required")]
    Unauthorized,
    #[error("this API key is not for this endpoint")]
    WrongScope,
    #[error("{message}")]
    MalformedJson {
        message: String,
        line: usize,
        column: usize,
    },
    #[error("the request body is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the request body could not be read: {0}")]
    UnreadableBody(String),
    #[error("the request body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    #[error("the request was not accepted; nothing was written")]
    Invalid(Vec<BatchProblem>),
    #[error("there is no such {0}")]
    NotFound(&'static str),
    #[error("the database is not available")]
    Store(store::StoreError),
    /// A bug; the detail goes to the log, not to the caller.
    #[error("something went wrong on our side")]
    Internal(String),
}

impl ApiError {
    /// Problems with the request as a whole (not with one item of a batch).
    pub fn problems(problems: Vec<domain::Problem>) -> Self {
        Self::Invalid(
            problems
                .into_iter()
                .map(|p| BatchProblem {
                    index: None,
                    field: p.field,
                    problem: p.problem,
                })
                .collect(),
        )
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> Self {
        match e {
            store::StoreError::Refused(problems) => Self::problems(problems),
            store::StoreError::NotFound { what } => Self::NotFound(what),
            other => Self::Store(other),
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a [BatchProblem]>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::WrongScope => StatusCode::FORBIDDEN,
            Self::MalformedJson { .. } | Self::UnreadableBody(_) => StatusCode::BAD_REQUEST,
            Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            // Stored data that cannot be read back is our fault, not a passing outage: a
            // sender retrying would only fail again.
            Self::Store(e @ store::StoreError::Corrupt { .. }) => {
                tracing::error!(error = %e, "stored data cannot be read");
                StatusCode::INTERNAL_SERVER_ERROR
            }
            Self::Store(e) => {
                tracing::error!(error = %e, "storage failed");
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let (line, column) = match &self {
            Self::MalformedJson { line, column, .. } => (Some(*line), Some(*column)),
            _ => (None, None),
        };
        let errors = match &self {
            Self::Invalid(problems) => Some(problems.as_slice()),
            _ => None,
        };
        let body = Body {
            error: self.to_string(),
            line,
            column,
            errors,
        };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
