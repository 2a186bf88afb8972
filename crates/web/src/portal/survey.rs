//! The satisfaction survey on the victim's page, when they were invited to it: the five
//! national questions on the 7-point scale, their own words, and the choice to answer
//! anonymously (then nothing kept links the answers to them).

use super::{LangQuery, same_origin, visit};
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
use domain::survey::{Dimension, MAX_COMMENT, SurveyResponse};

pub struct Question {
    pub key: &'static str,
    pub label: String,
    pub chosen: Option<String>,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/survey.html")]
struct SurveyPage {
    chrome: Chrome,
    /// None: no survey is waiting for them.
    questions: Option<Vec<Question>>,
    scale: Vec<(u8, String)>,
    comment: String,
    comment_error: Option<String>,
    anonymous: bool,
    max_comment: usize,
}

impl SurveyPage {
    fn has_errors(&self) -> bool {
        self.comment_error.is_some() || self.questions.iter().flatten().any(|q| q.error.is_some())
    }

    fn is_chosen(&self, q: &Question, n: &u8) -> bool {
        q.chosen.as_deref() == Some(n.to_string().as_str())
    }
}

fn page(t: Texts, open: bool, fields: Option<&crate::console::Fields>) -> SurveyPage {
    let get = |name: &str| fields.and_then(|f| f.get(name)).map(str::to_owned);
    SurveyPage {
        chrome: Chrome {
            private: true,
            ..Chrome::new(t, "/my-case/survey", "portal-survey-title")
        },
        questions: open.then(|| {
            Dimension::ALL
                .into_iter()
                .map(|d| Question {
                    key: d.as_str(),
                    label: t.get(&format!("survey-{}", d.as_str().replace('_', "-"))),
                    chosen: get(d.as_str()),
                    error: None,
                })
                .collect()
        }),
        scale: (1..=7u8)
            .rev()
            .map(|n| (n, t.get(&format!("survey-scale-{n}"))))
            .collect(),
        comment: get("comment").unwrap_or_default(),
        comment_error: None,
        anonymous: get("anonymous").is_some_and(|v| v == "yes"),
        max_comment: MAX_COMMENT,
    }
}

pub(super) async fn form(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let v = match visit(&state, &headers, q.lang.as_deref()).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let open = match state
        .db
        .open_invitation(v.session.case_id, v.session.victim_id)
        .await
    {
        Ok(o) => o.is_some(),
        Err(e) => {
            tracing::error!(error = %e, "reading survey invitation failed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    crate::leaflet::page(page(Texts::new(v.lang), open, None), v.remember)
}

pub(super) async fn send(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !same_origin(&headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let (session, lang) = match visit(&state, &headers, None).await {
        Ok(v) => (v.session, v.lang),
        Err(response) => return response,
    };
    let t = Texts::new(lang);
    let f = crate::console::Fields::parse(&body);
    let invitation = match state
        .db
        .open_invitation(session.case_id, session.victim_id)
        .await
    {
        Ok(Some(i)) => i,
        // Answered already (perhaps in another tab), or never asked: the page says so.
        Ok(None) => return crate::leaflet::page(page(t, false, None), None),
        Err(e) => {
            tracing::error!(error = %e, "reading survey invitation failed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let response = match SurveyResponse::parse(|n| f.raw(n).map(str::to_owned)) {
        Ok(r) => r,
        Err(problems) => {
            let mut p = page(t, true, Some(&f));
            for problem in problems {
                if problem.field == "comment" {
                    p.comment_error = Some(t.get("portal-feedback-too-long"));
                } else if let Some(q) = p
                    .questions
                    .iter_mut()
                    .flatten()
                    .find(|q| q.key == problem.field)
                {
                    q.error = Some(t.get(if problem.problem.contains("at least one") {
                        "survey-none-answered"
                    } else {
                        "survey-bad-answer"
                    }));
                }
            }
            return (StatusCode::UNPROCESSABLE_ENTITY, p).into_response();
        }
    };
    match state
        .db
        .answer_survey(
            session.case_id,
            session.victim_id,
            &invitation,
            &response,
            Utc::now(),
        )
        .await
    {
        Ok(()) | Err(store::StoreError::Refused(_)) => {
            Redirect::to("/my-case/feedback/thanks").into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "saving a survey response failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
