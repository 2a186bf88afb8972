//! The victim's own, shorter needs assessment: the help they want, an interpreter, and
//! formats they can read. It is kept as a new version; what only staff assess (enhanced
//! rights, risk, court measures) is carried over from the version before, untouched.

use super::{same_origin, visit};
use crate::AppState;
use crate::i18n::Texts;
use crate::leaflet::Chrome;
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use domain::support::{AccessibleFormat, AssessedBy, NeedsAssessment, SupportNeed};

pub struct Tick {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/support.html")]
struct SupportPage {
    chrome: Chrome,
    needs: Vec<Tick>,
    formats: Vec<Tick>,
    interpreter: String,
    notes: String,
    error: Option<String>,
    saved: bool,
}

fn page(t: Texts, a: &NeedsAssessment, error: Option<String>, saved: bool) -> SupportPage {
    SupportPage {
        chrome: Chrome {
            private: true,
            ..Chrome::new(t, "/my-case/support", "portal-support-title")
        },
        needs: SupportNeed::ALL
            .iter()
            .map(|n| Tick {
                value: n.as_str(),
                label: t.get(&format!("support-need-{}", n.as_str())),
                checked: a.needs.contains(n),
            })
            .collect(),
        formats: AccessibleFormat::ALL
            .iter()
            .map(|f| Tick {
                value: f.as_str(),
                label: t.get(&format!("support-format-{}", f.as_str().replace('_', "-"))),
                checked: a.formats.contains(f),
            })
            .collect(),
        interpreter: a.interpreter.clone().unwrap_or_default(),
        notes: a.notes.clone().unwrap_or_default(),
        error,
        saved,
    }
}

async fn latest(
    state: &AppState,
    case_id: i64,
    victim_id: i64,
) -> Result<NeedsAssessment, Response> {
    state
        .db
        .assessments(case_id, victim_id)
        .await
        .map(|v| v.into_iter().next().map(|v| v.answers).unwrap_or_default())
        .map_err(|e| {
            tracing::error!(error = %e, "reading needs assessments failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        })
}

#[derive(serde::Deserialize)]
pub(super) struct SupportQuery {
    lang: Option<String>,
    saved: Option<String>,
}

pub(super) async fn form(
    State(state): State<AppState>,
    Query(q): Query<SupportQuery>,
    headers: HeaderMap,
) -> Response {
    let v = match visit(&state, &headers, q.lang.as_deref()).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let a = match latest(&state, v.session.case_id, v.session.victim_id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    crate::leaflet::page(
        page(Texts::new(v.lang), &a, None, q.saved.is_some()),
        v.remember,
    )
}

pub(super) async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !same_origin(&headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let v = match visit(&state, &headers, None).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let t = Texts::new(v.lang);
    let f = crate::console::Fields::parse(&body);
    let theirs = NeedsAssessment::parse(
        AssessedBy::Victim,
        |n| f.raw(n).map(str::to_owned),
        |n| f.all(n).map(str::to_owned).collect(),
    );
    let theirs = match theirs {
        Ok(a) => a,
        Err(problems) => {
            let shown = NeedsAssessment {
                interpreter: f.get("interpreter").map(str::to_owned),
                notes: f.get("notes").map(str::to_owned),
                ..NeedsAssessment::default()
            };
            let key = if problems.iter().any(|p| p.problem.contains("characters")) {
                "portal-feedback-too-long"
            } else {
                "survey-bad-answer"
            };
            let p = page(t, &shown, Some(t.get(key)), false);
            return (StatusCode::UNPROCESSABLE_ENTITY, p).into_response();
        }
    };
    let before = match latest(&state, v.session.case_id, v.session.victim_id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let merged = NeedsAssessment {
        needs: theirs.needs,
        formats: theirs.formats,
        interpreter: theirs.interpreter,
        notes: theirs.notes,
        ..before
    };
    match state
        .db
        .save_assessment(
            v.session.case_id,
            v.session.victim_id,
            AssessedBy::Victim,
            "victim",
            &merged,
            Utc::now(),
        )
        .await
    {
        Ok(_) => Redirect::to("/my-case/support?saved=1").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "saving a needs assessment failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
