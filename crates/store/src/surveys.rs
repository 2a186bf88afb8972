//! The satisfaction survey: invitations at chosen moments of a case, sent through the outbox
//! (so only by the victim's safe ways, in their language, outside their quiet hours), and the
//! responses. An anonymous response keeps no case, no victim, no member of staff and no time
//! finer than the month: nothing can link it back.

use crate::{Db, FigureFilter, StoreError, with_pool};
use chrono::{DateTime, TimeDelta, Utc};
use domain::survey::{Dimension, SurveyResponse, Tally};
use serde::Serialize;
use std::collections::BTreeMap;

/// The message kind of an invitation.
pub const INVITATION_KIND: &str = "survey_invitation";

/// When a victim is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyMoment {
    /// Six weeks after the crime was reported (as the national survey does).
    SixWeeks,
    /// A week after a charge decision (charged, not charged, or dealt with out of court).
    ChargeDecision,
    /// A week after the case was closed.
    CaseEnded,
}

impl SurveyMoment {
    pub const ALL: [Self; 3] = [Self::SixWeeks, Self::ChargeDecision, Self::CaseEnded];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SixWeeks => "six_weeks",
            Self::ChargeDecision => "charge_decision",
            Self::CaseEnded => "case_ended",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == raw.trim())
    }
}

/// A victim is asked at most once in this long, whatever happens in their cases.
const QUIET_PERIOD: TimeDelta = TimeDelta::days(28);
/// Invitations made in one pass at most; the next pass makes the rest.
const PASS_LIMIT: i64 = 5000;

/// The survey a victim is invited to on their page, if any is waiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInvitation {
    pub invitation_id: i64,
    pub moment: SurveyMoment,
}

/// How a response came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyChannel<'a> {
    Portal,
    /// Taken by a member of staff on the phone (their name is kept unless it is anonymous).
    Phone {
        recorded_by: &'a str,
    },
}

/// Who answered, to what, and how.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Respondent<'a> {
    case_id: i64,
    victim_id: i64,
    /// The invitation answered, if any (a phone survey may have none).
    invitation: Option<i64>,
    moment: &'a str,
    channel: SurveyChannel<'a>,
}

/// Satisfaction on one dimension, for the dashboards.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionFigure {
    pub dimension: Dimension,
    pub answered: u64,
    pub satisfied: u64,
    pub percent: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// Satisfaction figures: by dimension over the whole period, and "whole experience" by month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SatisfactionFigures {
    pub responses: u64,
    pub by_dimension: Vec<DimensionFigure>,
    pub by_month: Vec<(String, DimensionFigure)>,
}

fn figure(dimension: Dimension, t: Tally) -> DimensionFigure {
    let p = t.percent_satisfied();
    DimensionFigure {
        dimension,
        answered: t.answered,
        satisfied: t.satisfied,
        percent: p.map(|p| p.percent),
        low: p.map(|p| p.low),
        high: p.map(|p| p.high),
    }
}

crate::for_each_backend! {
    /// Makes the invitations due at `now` for `moments` and queues their messages.
    pub(crate) async fn invite(
        pool: &sqlx::Pool<DB>,
        moments: &[SurveyMoment],
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut made = 0;
        for moment in moments {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            // Who reached this moment lately: a window, so that importing old cases asks
            // nobody about something long past.
            let (from, to) = match moment {
                SurveyMoment::SixWeeks => (now - TimeDelta::days(56), now - TimeDelta::days(42)),
                _ => (now - TimeDelta::days(21), now - TimeDelta::days(7)),
            };
            let reached = match moment {
                SurveyMoment::SixWeeks => {
                    "SELECT c.case_id FROM crime_case c WHERE c.reported_at > $1 \
                     AND c.reported_at <= $2"
                }
                SurveyMoment::ChargeDecision => {
                    "SELECT DISTINCT e.case_id FROM case_event e WHERE e.event_type IN \
                     ('charged', 'police_no_charge', 'cps_no_charge', 'out_of_court_disposal') \
                     AND e.occurred_at > $1 AND e.occurred_at <= $2"
                }
                SurveyMoment::CaseEnded => {
                    "SELECT c.case_id FROM crime_case c WHERE c.phase = 'closed' \
                     AND c.phase_since > $1 AND c.phase_since <= $2"
                }
            };
            // Bereaved families are not sent a satisfaction survey: specialist services
            // support them, and a questionnaire about "the service" would be an insult.
            let sql = format!(
                "SELECT cv.case_id, cv.victim_id FROM case_victim cv \
                 JOIN crime_case c ON c.case_id = cv.case_id \
                 JOIN victim v ON v.victim_id = cv.victim_id \
                 WHERE cv.case_id IN ({reached}) \
                 AND v.kind <> 'bereaved_relative' \
                 AND (c.offence IS NULL OR c.offence NOT IN ('homicide', 'causing_death_by_driving')) \
                 AND NOT EXISTS (SELECT 1 FROM survey_invitation i WHERE i.case_id = cv.case_id \
                     AND i.victim_id = cv.victim_id AND i.moment = $3) \
                 AND NOT EXISTS (SELECT 1 FROM survey_invitation i WHERE i.victim_id = cv.victim_id \
                     AND i.invited_at > $4) \
                 ORDER BY cv.case_id, cv.victim_id LIMIT {PASS_LIMIT}"
            );
            let due: Vec<(i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(from)
                .bind(to)
                .bind(moment.as_str())
                .bind(now - QUIET_PERIOD)
                .fetch_all(&mut *tx)
                .await?;
            let mut invited = std::collections::HashSet::new();
            for (case_id, victim_id) in due {
                // One invitation per victim per pass, even with several cases at this moment.
                if !invited.insert(victim_id) {
                    continue;
                }
                // Another instance's pass may have asked them a moment ago.
                let new = sqlx::query(
                    "INSERT INTO survey_invitation (case_id, victim_id, moment, invited_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (case_id, victim_id, moment) DO NOTHING",
                )
                .bind(case_id)
                .bind(victim_id)
                .bind(moment.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if new.rows_affected() != 1 {
                    continue;
                }
                sqlx::query(
                    "INSERT INTO message (case_id, victim_id, source, source_event_id, kind, \
                     status, next_attempt_at, created_at) \
                     VALUES ($1, $2, 'survey', $3, $4, 'queued', $5, $5) \
                     ON CONFLICT (case_id, victim_id, source, source_event_id) DO NOTHING",
                )
                .bind(case_id)
                .bind(victim_id)
                .bind(moment.as_str())
                .bind(INVITATION_KIND)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                made += 1;
            }
            tx.commit().await?;
        }
        Ok(made)
    }

    pub(crate) async fn respond(
        pool: &sqlx::Pool<DB>,
        who: &Respondent<'_>,
        response: &SurveyResponse,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let Respondent { case_id, victim_id, invitation, moment, channel } = *who;
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        if let Some(invitation_id) = invitation {
            // Conditional: the same invitation answered twice at once counts once.
            let done = sqlx::query(
                "UPDATE survey_invitation SET answered = TRUE WHERE invitation_id = $1 \
                 AND case_id = $2 AND victim_id = $3 AND answered = FALSE",
            )
            .bind(invitation_id)
            .bind(case_id)
            .bind(victim_id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                tx.rollback().await?;
                return Err(StoreError::Refused(vec![domain::Problem::new(
                    "survey",
                    "this survey has already been answered",
                )]));
            }
        }
        let (borough, offence): (Option<String>, Option<String>) =
            sqlx::query_as("SELECT borough, offence FROM crime_case WHERE case_id = $1")
                .bind(case_id)
                .fetch_one(&mut *tx)
                .await?;
        let linked = (!response.anonymous).then_some((case_id, victim_id));
        let (channel, recorded_by) = match channel {
            SurveyChannel::Portal => ("portal", None),
            SurveyChannel::Phone { recorded_by } => ("phone", Some(recorded_by)),
        };
        let answer = |d: Dimension| response.answers.get(&d).map(|s| i32::from(s.value()));
        sqlx::query(
            "INSERT INTO survey_response (case_id, victim_id, moment, channel, month, borough, \
             offence, ease_of_contact, actions_taken, kept_informed, treatment, \
             whole_experience, comment, recorded_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(linked.map(|l| l.0))
        .bind(linked.map(|l| l.1))
        .bind(moment)
        .bind(channel)
        .bind(domain::calendar::london_date(now).format("%Y-%m").to_string())
        .bind(borough)
        .bind(offence)
        .bind(answer(Dimension::EaseOfContact))
        .bind(answer(Dimension::ActionsTaken))
        .bind(answer(Dimension::KeptInformed))
        .bind(answer(Dimension::Treatment))
        .bind(answer(Dimension::WholeExperience))
        .bind(response.comment.as_deref())
        .bind(if response.anonymous { None } else { recorded_by })
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Db {
    /// Makes the survey invitations due now; returns how many.
    pub async fn invite_to_surveys(
        &self,
        moments: &[SurveyMoment],
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        crate::dispatch!(self, surveys::invite(moments, now))
    }

    /// The invitation waiting on this victim's page in this case, newest first.
    pub async fn open_invitation(
        &self,
        case_id: i64,
        victim_id: i64,
    ) -> Result<Option<OpenInvitation>, StoreError> {
        let row: Option<(i64, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT invitation_id, moment FROM survey_invitation WHERE case_id = $1 \
             AND victim_id = $2 AND answered = FALSE ORDER BY invitation_id DESC LIMIT 1"
        )
        .bind(case_id)
        .bind(victim_id)
        .fetch_optional(p)
        .await)?;
        Ok(row.and_then(|(invitation_id, moment)| {
            Some(OpenInvitation {
                invitation_id,
                moment: SurveyMoment::parse(&moment)?,
            })
        }))
    }

    /// Records a response to an invitation on the victim's page.
    pub async fn answer_survey(
        &self,
        case_id: i64,
        victim_id: i64,
        invitation: &OpenInvitation,
        response: &SurveyResponse,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let who = Respondent {
            case_id,
            victim_id,
            invitation: Some(invitation.invitation_id),
            moment: invitation.moment.as_str(),
            channel: SurveyChannel::Portal,
        };
        let response = &self.sealed(response);
        crate::dispatch!(self, surveys::respond(&who, response, now))
    }

    /// Records a survey taken by phone by `recorded_by`; it answers the victim's open
    /// invitation in this case, if there is one.
    pub async fn record_phone_survey(
        &self,
        case_id: i64,
        victim_id: i64,
        recorded_by: &str,
        response: &SurveyResponse,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let open = self.open_invitation(case_id, victim_id).await?;
        let who = Respondent {
            case_id,
            victim_id,
            invitation: open.as_ref().map(|o| o.invitation_id),
            moment: open.as_ref().map_or("phone", |o| o.moment.as_str()),
            channel: SurveyChannel::Phone { recorded_by },
        };
        let response = &self.sealed(response);
        crate::dispatch!(self, surveys::respond(&who, response, now))
    }

    /// Satisfaction by dimension (and "whole experience" by month) for responses in the
    /// filter's months.
    pub async fn satisfaction(
        &self,
        filter: &FigureFilter,
    ) -> Result<SatisfactionFigures, StoreError> {
        type Row = (
            String,
            Option<i32>,
            Option<i32>,
            Option<i32>,
            Option<i32>,
            Option<i32>,
        );
        let rows: Vec<Row> = with_pool!(self, |p| sqlx::query_as(
            "SELECT month, ease_of_contact, actions_taken, kept_informed, treatment, \
             whole_experience FROM survey_response WHERE month >= $1 AND month <= $2 \
             AND ($3 IS NULL OR borough = $3) AND ($4 IS NULL OR offence = $4)"
        )
        .bind(filter.from.format("%Y-%m").to_string())
        .bind(filter.to.format("%Y-%m").to_string())
        .bind(filter.borough.as_deref())
        .bind(filter.offence.as_deref())
        .fetch_all(p)
        .await)?;
        let mut all: BTreeMap<Dimension, Tally> = Dimension::ALL
            .into_iter()
            .map(|d| (d, Tally::default()))
            .collect();
        let mut months: BTreeMap<String, Tally> = BTreeMap::new();
        for (month, a, b, c, d, e) in &rows {
            for (dimension, value) in Dimension::ALL.into_iter().zip([a, b, c, d, e]) {
                if let Some(s) = value
                    .and_then(|v| u8::try_from(v).ok())
                    .and_then(|v| domain::survey::Satisfaction::parse(&v.to_string()))
                {
                    all.entry(dimension).or_default().add(s);
                    if dimension == Dimension::WholeExperience {
                        months.entry(month.clone()).or_default().add(s);
                    }
                }
            }
        }
        Ok(SatisfactionFigures {
            responses: rows.len() as u64,
            by_dimension: all.into_iter().map(|(d, t)| figure(d, t)).collect(),
            by_month: months
                .into_iter()
                .map(|(m, t)| (m, figure(Dimension::WholeExperience, t)))
                .collect(),
        })
    }

    /// The response as stored: its comment sealed.
    fn sealed(&self, response: &SurveyResponse) -> SurveyResponse {
        let mut stored = response.clone();
        stored.comment = stored
            .comment
            .map(|c| self.sealer().seal_text(crate::seal::SURVEY_COMMENT, &c));
        stored
    }

    /// The free-text comments of surveys and feedback in the filter's period, for themes.
    pub async fn comments(&self, filter: &FigureFilter) -> Result<Vec<String>, StoreError> {
        let surveys: Vec<(i64, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT response_id, comment FROM survey_response WHERE comment IS NOT NULL \
             AND month >= $1 AND month <= $2 \
             AND ($3 IS NULL OR borough = $3) AND ($4 IS NULL OR offence = $4)"
        )
        .bind(filter.from.format("%Y-%m").to_string())
        .bind(filter.to.format("%Y-%m").to_string())
        .bind(filter.borough.as_deref())
        .bind(filter.offence.as_deref())
        .fetch_all(p)
        .await)?;
        let mut out = Vec::with_capacity(surveys.len());
        for (id, comment) in surveys {
            out.push(
                self.sealer()
                    .open_text(crate::seal::SURVEY_COMMENT, &comment)
                    .map_err(|e| e.at("survey response", id))?,
            );
        }
        let feedback: Vec<(i64, String)> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT f.feedback_id, f.comment FROM feedback f JOIN crime_case c ON c.case_id = f.case_id \
             WHERE f.comment IS NOT NULL AND f.given_at >= $1 AND f.given_at < $2 \
             AND ($3 IS NULL OR c.borough = $3) AND ($4 IS NULL OR c.offence = $4)"
        )
        .bind(filter.start())
        .bind(filter.end())
        .bind(filter.borough.as_deref())
        .bind(filter.offence.as_deref())
        .fetch_all(p)
        .await
        })?;
        for (id, comment) in feedback {
            out.push(
                self.sealer()
                    .open_text(crate::seal::FEEDBACK_COMMENT, &comment)
                    .map_err(|e| e.at("feedback", id))?,
            );
        }
        Ok(out)
    }

    /// Every response a staff screen or export may show, newest first: the victim only for
    /// those who gave their name (anonymous ones have none to show).
    pub async fn survey_responses(
        &self,
        filter: &FigureFilter,
    ) -> Result<Vec<StoredResponse>, StoreError> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT r.response_id, r.month, r.moment, r.channel, r.borough, r.offence, \
             r.ease_of_contact, r.actions_taken, r.kept_informed, r.treatment, \
             r.whole_experience, v.victim_ref AS victim FROM survey_response r \
             LEFT JOIN victim v ON v.victim_id = r.victim_id \
             WHERE r.month >= $1 AND r.month <= $2 \
             AND ($3 IS NULL OR r.borough = $3) AND ($4 IS NULL OR r.offence = $4) \
             ORDER BY r.response_id DESC"
        )
        .bind(filter.from.format("%Y-%m").to_string())
        .bind(filter.to.format("%Y-%m").to_string())
        .bind(filter.borough.as_deref())
        .bind(filter.offence.as_deref())
        .fetch_all(p)
        .await)?)
    }
}

/// A response as staff screens and exports show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StoredResponse {
    pub response_id: i64,
    pub month: String,
    pub moment: String,
    pub channel: String,
    pub borough: Option<String>,
    pub offence: Option<String>,
    pub ease_of_contact: Option<i32>,
    pub actions_taken: Option<i32>,
    pub kept_informed: Option<i32>,
    pub treatment: Option<i32>,
    pub whole_experience: Option<i32>,
    /// None for an anonymous response.
    pub victim: Option<String>,
}
