//! The JSON API for other systems, documented at `/api/openapi.json`.

mod agency;
mod auth;
mod events;
mod messages;
mod obligations;
mod receipts;
mod telephony;

use crate::{AppState, WebConfig};
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use auth::{AgencyCaller, ApiCaller, TelephonyCaller};
pub use events::{RESENT_DIFFERENT, ingest_body};
pub use obligations::compliance_params;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "victimcare API",
        description = "How the force's systems send victimcare the events of each case. \
            Every call needs an API key: `Authorization: Bearer vck_…`, made with \
            `victimcare api-key create --name NAME`."
    ),
    modifiers(&BearerKey),
    tags(
        (name = "events", description = "The events of each case, from the crime recording system"),
        (name = "obligations", description = "What the Victims' Code says each victim is owed, the contacts that meet it, and compliance"),
        (name = "telephony", description = "The helpline's calls: screen-pop and call records"),
        (name = "agency", description = "A support agency's referrals: its answer and the outcome (an `agency` key)")
    )
)]
struct ApiDoc;

struct BearerKey;

impl utoipa::Modify for BearerKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API key made with `victimcare api-key create`"))
                    .build(),
            ),
        );
    }
}

/// Adds the answers any operation can give, whatever it does, so that a client generated
/// from the document (or a tester such as schemathesis) expects them: a missing or wrong key,
/// a key for another kind of caller, a database that cannot be reached, and for a body a
/// body that is not JSON, too large, or not sent as JSON.
pub fn add_common_answers(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{ContentBuilder, RefOr, ResponseBuilder};
    let answer = |description: &str| {
        let error = ObjectBuilder::new()
            .schema_type(Type::Object)
            .property(
                "error",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some("What went wrong, in plain words")),
            )
            .required("error")
            .build();
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new().schema(Some(error)).build(),
            )
            .build()
    };
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let has_body = op.request_body.is_some();
            let mut add = |code: &str, description: &str| {
                op.responses
                    .responses
                    .entry(code.to_owned())
                    .or_insert_with(|| RefOr::T(answer(description)));
            };
            add("401", "No API key, or one that is unknown or revoked");
            add("403", "This API key is not for this endpoint");
            add(
                "503",
                "The database cannot be reached now: try again shortly",
            );
            if has_body {
                add(
                    "400",
                    "The body is not JSON (the answer names the line and column)",
                );
                add("413", "The body is too large");
                add("415", "The body is not sent as application/json");
            }
        }
    }
}

pub fn router(config: &WebConfig) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(events::post_events))
        .layer(axum::extract::DefaultBodyLimit::max(config.max_ingest_body))
        .routes(routes!(obligations::post_contact))
        .routes(routes!(obligations::get_obligations))
        .routes(routes!(obligations::post_waiver))
        .routes(routes!(obligations::get_compliance))
        .routes(routes!(messages::get_messages))
        .routes(routes!(messages::get_outbox))
        .routes(routes!(messages::get_metrics))
        .routes(routes!(telephony::post_call))
        .routes(routes!(telephony::post_call_end))
        .routes(routes!(agency::get_referrals))
        .routes(routes!(agency::get_referral))
        .routes(routes!(agency::post_answer))
        .routes(routes!(agency::post_close))
        .route(
            "/api/v1/notify/receipts",
            axum::routing::post(receipts::post_receipt),
        )
}

/// A small JSON request body; a body that is not one is a problem with the whole request.
pub(crate) fn read_json<T: for<'de> serde::Deserialize<'de>>(
    body: &[u8],
) -> Result<T, crate::ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        crate::ApiError::problems(vec![domain::Problem::new(
            "",
            format!("is not a valid request: {e}"),
        )])
    })
}

/// A case's crime reference (required) and, optionally, one of its victims, from a query
/// string; every problem with them at once.
pub(crate) fn case_and_victim(
    crime_reference: Option<&str>,
    victim: Option<&str>,
) -> Result<(domain::CrimeReference, Option<domain::victim::VictimRef>), crate::ApiError> {
    use domain::Problem;
    let mut problems = Vec::new();
    let reference = match crime_reference {
        None => {
            problems.push(Problem::new("crime_reference", "is required"));
            None
        }
        Some(raw) => domain::CrimeReference::parse(raw)
            .map_err(|p| problems.push(Problem::new("crime_reference", p)))
            .ok(),
    };
    let victim = match victim {
        None => None,
        Some(raw) => domain::victim::VictimRef::parse(raw)
            .map_err(|p| problems.push(Problem::new("victim", p)))
            .ok(),
    };
    match reference {
        Some(reference) if problems.is_empty() => Ok((reference, victim)),
        _ => Err(crate::ApiError::problems(problems)),
    }
}
