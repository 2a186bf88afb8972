//! "Tell us how we are doing": a rating and, if the victim wants, their own words. What
//! victims say here feeds the service's reports (see the issue on the victim's voice).

use super::{LangQuery, same_origin, visit};
use crate::AppState;
use crate::i18n::Texts;
use crate::leaflet::Chrome;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use domain::feedback::{Feedback, MAX_COMMENT, Rating};
use serde::Deserialize;

pub struct RatingChoice {
    pub value: u8,
    pub label: String,
    pub checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/feedback.html")]
struct FeedbackPage {
    chrome: Chrome,
    ratings: Vec<RatingChoice>,
    comment: String,
    max_comment: usize,
    rating_error: Option<String>,
    comment_error: Option<String>,
}

fn feedback_page(t: Texts, chosen: Option<u8>, comment: String) -> FeedbackPage {
    FeedbackPage {
        chrome: Chrome {
            private: true,
            ..Chrome::new(t, "/my-case/feedback", "portal-feedback-title")
        },
        ratings: Rating::ALL
            .into_iter()
            .map(|r| RatingChoice {
                value: r.value(),
                label: t.get(&format!("portal-rating-{}", r.value())),
                checked: chosen == Some(r.value()),
            })
            .collect(),
        comment,
        max_comment: MAX_COMMENT,
        rating_error: None,
        comment_error: None,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/feedback_thanks.html")]
struct ThanksPage {
    chrome: Chrome,
}

pub(super) async fn form(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    match visit(&state, &headers, q.lang.as_deref()).await {
        Ok(v) => crate::leaflet::page(
            feedback_page(Texts::new(v.lang), None, String::new()),
            v.remember,
        ),
        Err(response) => response,
    }
}

pub(super) async fn thanks(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    match visit(&state, &headers, q.lang.as_deref()).await {
        Ok(v) => {
            let (lang, remember) = (v.lang, v.remember);
            let page = ThanksPage {
                chrome: Chrome {
                    private: true,
                    ..Chrome::new(
                        Texts::new(lang),
                        "/my-case/feedback/thanks",
                        "portal-feedback-thanks-title",
                    )
                },
            };
            crate::leaflet::page(page, remember)
        }
        Err(response) => response,
    }
}

#[derive(Deserialize)]
pub(super) struct FeedbackForm {
    rating: Option<String>,
    comment: Option<String>,
}

pub(super) async fn send(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<FeedbackForm>,
) -> Response {
    if !same_origin(&headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let (session, lang) = match visit(&state, &headers, None).await {
        Ok(v) => (v.session, v.lang),
        Err(response) => return response,
    };
    let feedback = match Feedback::parse(form.rating.as_deref(), form.comment.as_deref()) {
        Ok(feedback) => feedback,
        Err(problems) => {
            // What they wrote is kept in the box, so a mistake in the rating costs nothing.
            let t = Texts::new(lang);
            let chosen = form.rating.as_deref().and_then(|r| r.trim().parse().ok());
            let mut page = feedback_page(t, chosen, form.comment.unwrap_or_default());
            for problem in problems {
                let text = Some(t.get(problem.text_key()));
                match problem.field() {
                    "rating" => page.rating_error = text,
                    _ => page.comment_error = text,
                }
            }
            return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
        }
    };
    match state
        .db
        .record_feedback(
            session.case_id,
            session.victim_id,
            &feedback,
            "portal",
            Utc::now(),
        )
        .await
    {
        Ok(()) => Redirect::to("/my-case/feedback/thanks").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "saving feedback failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
