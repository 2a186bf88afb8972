//! "How we contact you": which of the ways we hold are safe, how often to hear from us, times
//! not to be contacted, and the language to be written to in. What only narrows contact
//! applies at once; what widens it waits for a person to check with the victim over a way
//! already safe (someone else holding their session must not be able to open a way in).

use super::{LangQuery, honoured, live_session, same_origin, visit};
use crate::AppState;
use crate::i18n::{Lang, Texts};
use crate::leaflet::Chrome;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveTime, Utc};
use domain::victim::{Channel, QuietHours, UpdateFrequency, VictimRecord};
use serde::Deserialize;

pub struct Choice {
    pub value: String,
    pub label: String,
    pub chosen: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/contact.html")]
struct ContactPage {
    chrome: Chrome,
    ways: Vec<Choice>,
    frequencies: Vec<Choice>,
    quiet_from: Vec<Choice>,
    quiet_to: Vec<Choice>,
    languages: Vec<Choice>,
    quiet_error: Option<String>,
}

/// The form as the victim's record stands (or, after a mistake, as they filled it in).
fn contact_page(
    t: Texts,
    record: &VictimRecord,
    restricted: &[String],
    quiet: Option<QuietHours>,
) -> ContactPage {
    let agreement = honoured(record, restricted);
    let hours = |chosen: Option<NaiveTime>| {
        let chosen = chosen.map(|c| c.format("%H:%M").to_string());
        let mut values: Vec<String> = (0..24).map(|h| format!("{h:02}:00")).collect();
        // A time agreed with staff need not be on the hour: it is offered as it is, so that
        // saving the form leaves it alone.
        if let Some(c) = &chosen
            && !values.contains(c)
        {
            values.push(c.clone());
            values.sort();
        }
        values
            .into_iter()
            .map(|value| Choice {
                chosen: chosen.as_ref() == Some(&value),
                label: value.clone(),
                value,
            })
            .collect::<Vec<_>>()
    };
    let mine = Lang::parse(record.language.as_str());
    ContactPage {
        chrome: Chrome {
            private: true,
            ..Chrome::new(t, "/my-case/contact", "portal-contact-form-title")
        },
        // Only the ways we hold details for can be chosen here.
        ways: agreement
            .channels
            .iter()
            .map(|c| Choice {
                value: c.as_str().into(),
                label: t.get(&format!("channel-{}", c.as_str())),
                chosen: agreement.safe_channels.contains(c),
            })
            .collect(),
        frequencies: UpdateFrequency::ALL
            .into_iter()
            .map(|f| Choice {
                value: f.as_str().into(),
                label: t.get(&format!("frequency-{}", f.as_str())),
                chosen: agreement.frequency == f,
            })
            .collect(),
        quiet_from: hours(quiet.map(|q| q.from)),
        quiet_to: hours(quiet.map(|q| q.to)),
        languages: Lang::ALL
            .into_iter()
            .map(|l| Choice {
                value: l.code().into(),
                label: l.native_name().into(),
                chosen: mine == Some(l),
            })
            .collect(),
        quiet_error: None,
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
    let quiet = honoured(&v.record, &v.restricted).quiet_hours;
    let page = contact_page(Texts::new(v.lang), &v.record, &v.restricted, quiet);
    crate::leaflet::page(page, v.remember)
}

/// The contact form: a box per way (`email=on`, …), the frequency, the quiet hours (both
/// empty for none) and the language.
#[derive(Deserialize)]
pub(super) struct ContactForm {
    email: Option<String>,
    sms: Option<String>,
    letter: Option<String>,
    phone_call: Option<String>,
    voicemail: Option<String>,
    frequency: Option<String>,
    quiet_from: Option<String>,
    quiet_to: Option<String>,
    language: Option<String>,
}

/// Quiet hours from the two boxes: none when both are empty.
fn quiet_hours(form: &ContactForm) -> Result<Option<QuietHours>, &'static str> {
    let time = |v: &Option<String>| -> Result<Option<NaiveTime>, &'static str> {
        match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => NaiveTime::parse_from_str(v, "%H:%M")
                .map(Some)
                .map_err(|_| "portal-quiet-invalid"),
        }
    };
    match (time(&form.quiet_from)?, time(&form.quiet_to)?) {
        (None, None) => Ok(None),
        (Some(from), Some(to)) if from != to => Ok(Some(QuietHours { from, to })),
        (Some(_), Some(_)) => Err("portal-quiet-same"),
        _ => Err("portal-quiet-both"),
    }
}

/// A victim's change to their contact agreement becomes an event of their case, from the
/// portal, through the same ingest as every other fact: their details, the projection and the
/// audit trail stay one story.
pub(super) async fn change(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<ContactForm>,
) -> Response {
    if !same_origin(&headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let session = match live_session(&state, &headers, None).await {
        Ok(s) => s,
        Err(response) => return response,
    };
    let wanted_quiet = match quiet_hours(&form) {
        Ok(quiet) => quiet,
        Err(key) => {
            let v = match visit(&state, &headers, None).await {
                Ok(v) => v,
                Err(response) => return response,
            };
            let t = Texts::new(v.lang);
            let kept = honoured(&v.record, &v.restricted).quiet_hours;
            let mut page = contact_page(t, &v.record, &v.restricted, kept);
            page.quiet_error = Some(t.get(key));
            return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
        }
    };
    let now = Utc::now();
    let result: Result<(), store::StoreError> = async {
        let Some(case) = state.db.case_by_id(session.case_id).await? else {
            return Ok(());
        };
        let Some(record) = case
            .victims
            .iter()
            .find(|v| v.victim_id == session.victim_id)
            .map(|v| v.record.clone())
        else {
            return Ok(());
        };
        let ticked = [
            (Channel::Email, &form.email),
            (Channel::Sms, &form.sms),
            (Channel::Letter, &form.letter),
            (Channel::PhoneCall, &form.phone_call),
            (Channel::Voicemail, &form.voicemail),
        ];
        let safe: Vec<Channel> = ticked
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(c, _)| *c)
            .collect();
        let frequency = form
            .frequency
            .as_deref()
            .and_then(UpdateFrequency::parse)
            .unwrap_or(record.contact_agreement.frequency);
        // Read afresh: a change is decided on what the database holds now.
        let restricted = state.db.restricted_channels(session.victim_id).await?;
        let current = honoured(&record, &restricted);
        let (mut applied, to_check) = current.changed_by_victim(&safe, frequency);
        let (quiet, quiet_to_check) = current.quiet_hours_changed_by_victim(wanted_quiet);
        applied.quiet_hours = quiet;
        // A way they stop is theirs to stop: kept apart from the feed's details, so that the
        // next update from the crime recording system cannot make it safe again.
        let stopped: Vec<&str> = current
            .safe_channels
            .iter()
            .filter(|c| !applied.safe_channels.contains(c))
            .map(|c| c.as_str())
            .collect();
        if !stopped.is_empty() {
            state
                .db
                .restrict_channels(session.victim_id, &stopped, "victim", now)
                .await?;
        }
        // The language we write in changes at once: it opens no new way in.
        let language = form
            .language
            .as_deref()
            .and_then(Lang::parse)
            .filter(|chosen| Lang::parse(record.language.as_str()) != Some(*chosen))
            .and_then(|chosen| domain::victim::Language::parse(chosen.code()).ok());
        if applied != current || language.is_some() {
            let mut changed = record;
            changed.contact_agreement = applied;
            if let Some(language) = language {
                changed.language = language;
            }
            let event = domain::Event {
                source: domain::event::SourceName::parse("portal").expect("a valid name"),
                id: domain::event::SourceEventId::parse(&format!(
                    "contact-{}-{}",
                    session.victim_id,
                    now.timestamp_micros()
                ))
                .expect("a valid id"),
                crime_reference: case.state.crime_reference.clone(),
                occurred_at: now,
                received_at: now,
                body: domain::EventBody::VictimDetailsChanged(
                    domain::event::VictimDetailsChanged {
                        victim: Box::new(changed),
                    },
                ),
            };
            state.db.ingest(&[event], now).await?;
        }
        if !to_check.is_empty() || quiet_to_check {
            state
                .db
                .request_contact_check(session.case_id, session.victim_id, now)
                .await?;
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/my-case").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "changing a contact agreement failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
