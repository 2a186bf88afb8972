//! The victims' panel: joining, withdrawing (which takes the person off every list, and stops
//! invitations not yet sent, in one transaction), the volunteers as the list builder sees them,
//! and a session whose invitations go through the outbox and its safe-contact rules.

use crate::seal::{PANEL_ACCESSIBILITY, PANEL_ETHNICITY, PANEL_GENDER};
use crate::{Db, StoreError, with_pool};
use chrono::{DateTime, NaiveDate, Utc};
use domain::Phase;
use domain::panel::{Activity, BalanceBy, Criteria, Volunteer};
use domain::victim::Channel;
use std::collections::HashMap;

/// The message kind of a panel invitation.
pub const PANEL_INVITATION_KIND: &str = "panel_invitation";

/// What a victim says when they volunteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelVolunteer {
    pub activities: Vec<Activity>,
    pub contact_by: Channel,
    pub accessibility: Option<String>,
    pub gender: Option<String>,
    pub ethnicity: Option<String>,
}

/// A session and how many were invited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelSession {
    pub session_id: i64,
    pub title: String,
    pub activity: String,
    pub held_on: NaiveDate,
    pub places: i32,
    pub invited: i64,
    pub created_by: String,
}

/// A new session and the list made for it.
pub struct NewPanelSession<'a> {
    pub title: &'a str,
    pub activity: Activity,
    pub held_on: NaiveDate,
    pub places: i32,
    pub criteria: &'a Criteria,
    pub balance_by: BalanceBy,
    pub invited: &'a [(i64, String)],
    pub created_by: &'a str,
}

crate::for_each_backend! {
    pub(crate) async fn withdraw(
        pool: &sqlx::Pool<DB>,
        victim_id: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        sqlx::query("DELETE FROM panel_invitation WHERE victim_id = $1")
            .bind(victim_id)
            .execute(&mut *tx)
            .await?;
        // An invitation still waiting to go is not sent.
        sqlx::query(
            "UPDATE message SET status = 'not_wanted', lease_until = NULL WHERE victim_id = $1 \
             AND source = 'panel' AND status = 'queued'",
        )
        .bind(victim_id)
        .execute(&mut *tx)
        .await?;
        let gone = sqlx::query("DELETE FROM panel_member WHERE victim_id = $1")
            .bind(victim_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(gone.rows_affected() == 1)
    }

    pub(crate) async fn create_session(
        pool: &sqlx::Pool<DB>,
        s: &NewPanelSession<'_>,
        now: DateTime<Utc>,
    ) -> Result<(i64, u64), StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let session_id: i64 = sqlx::query_scalar(
            "INSERT INTO panel_session (title, activity, held_on, places, criteria, balance_by, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             RETURNING session_id",
        )
        .bind(s.title)
        .bind(s.activity.as_str())
        .bind(s.held_on)
        .bind(s.places)
        .bind(serde_json::to_string(s.criteria).expect("plain data"))
        .bind(s.balance_by.as_str())
        .bind(s.created_by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let event = format!("session-{session_id}");
        let mut invited = 0;
        for (victim_id, group) in s.invited {
            // Only someone still on the panel: a withdrawal a moment ago wins.
            let added = sqlx::query(
                "INSERT INTO panel_invitation (session_id, victim_id, grp) \
                 SELECT $1, victim_id, $2 FROM panel_member WHERE victim_id = $3",
            )
            .bind(session_id)
            .bind(group)
            .bind(victim_id)
            .execute(&mut *tx)
            .await?;
            if added.rows_affected() == 0 {
                continue;
            }
            invited += 1;
            sqlx::query(
                "INSERT INTO message (case_id, victim_id, source, source_event_id, kind, status, \
                 next_attempt_at, created_at) \
                 SELECT case_id, victim_id, 'panel', $1, $2, 'queued', $3, $3 \
                 FROM panel_member WHERE victim_id = $4 \
                 ON CONFLICT (case_id, victim_id, source, source_event_id) DO NOTHING",
            )
            .bind(&event)
            .bind(PANEL_INVITATION_KIND)
            .bind(now)
            .bind(victim_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok((session_id, invited))
    }
}

impl Db {
    /// Joins the panel (or changes what they said before).
    pub async fn join_panel(
        &self,
        case_id: i64,
        victim_id: i64,
        v: &PanelVolunteer,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let activities: Vec<&str> = v.activities.iter().map(|a| a.as_str()).collect();
        crate::with_writer!(self, |p| sqlx::query(
            "INSERT INTO panel_member (victim_id, case_id, joined_at, activities, contact_by, \
             accessibility, gender, ethnicity) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (victim_id) DO UPDATE SET activities = excluded.activities, \
             contact_by = excluded.contact_by, accessibility = excluded.accessibility, \
             gender = excluded.gender, ethnicity = excluded.ethnicity"
        )
        .bind(victim_id)
        .bind(case_id)
        .bind(now)
        .bind(serde_json::to_string(&activities).expect("plain data"))
        .bind(v.contact_by.as_str())
        // Their own words about themselves: special-category data, sealed.
        .bind(
            v.accessibility
                .as_deref()
                .map(|t| self.sealer().seal_text(PANEL_ACCESSIBILITY, t))
        )
        .bind(
            v.gender
                .as_deref()
                .map(|t| self.sealer().seal_text(PANEL_GENDER, t))
        )
        .bind(
            v.ethnicity
                .as_deref()
                .map(|t| self.sealer().seal_text(PANEL_ETHNICITY, t))
        )
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// What the victim said when they joined, if they are on the panel.
    pub async fn panel_membership(
        &self,
        victim_id: i64,
    ) -> Result<Option<PanelVolunteer>, StoreError> {
        type Row = (
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let row: Option<Row> = with_pool!(self, |p| sqlx::query_as(
            "SELECT activities, contact_by, accessibility, gender, ethnicity FROM panel_member \
             WHERE victim_id = $1"
        )
        .bind(victim_id)
        .fetch_optional(p)
        .await)?;
        let Some((activities, contact_by, accessibility, gender, ethnicity)) = row else {
            return Ok(None);
        };
        let open = |column, value: Option<String>| -> Result<Option<String>, StoreError> {
            value
                .map(|v| {
                    self.sealer()
                        .open_text(column, &v)
                        .map_err(|e| e.at("panel member", victim_id))
                })
                .transpose()
        };
        let names: Vec<String> = serde_json::from_str(&activities).unwrap_or_default();
        Ok(Some(PanelVolunteer {
            activities: names.iter().filter_map(|a| Activity::parse(a)).collect(),
            contact_by: Channel::parse(&contact_by).unwrap_or(Channel::Letter),
            accessibility: open(PANEL_ACCESSIBILITY, accessibility)?,
            gender: open(PANEL_GENDER, gender)?,
            ethnicity: open(PANEL_ETHNICITY, ethnicity)?,
        }))
    }

    /// Takes the victim off the panel and off every invitation list at once; true if they
    /// were on it.
    pub async fn withdraw_from_panel(&self, victim_id: i64) -> Result<bool, StoreError> {
        crate::dispatch!(self, panel::withdraw(victim_id))
    }

    /// Every volunteer as the list builder needs them, ages on `on`. The phase is the one that
    /// matters most for contact: a case of theirs at court, else the case they joined from.
    pub async fn panel_volunteers(&self, on: NaiveDate) -> Result<Vec<Volunteer>, StoreError> {
        type Row = (
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            String,
            sqlx::types::Json<Box<serde_json::value::RawValue>>,
        );
        let rows: Vec<Row> = with_pool!(self, |p| sqlx::query_as(
            "SELECT m.victim_id, m.activities, m.contact_by, c.offence, c.borough, c.phase, \
             v.details FROM panel_member m JOIN crime_case c ON c.case_id = m.case_id \
             JOIN victim v ON v.victim_id = m.victim_id ORDER BY m.victim_id"
        )
        .fetch_all(p)
        .await)?;
        let others: Vec<(i64, String, bool)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT cv.victim_id, c.phase, c.domestic_abuse FROM case_victim cv \
             JOIN crime_case c ON c.case_id = cv.case_id \
             WHERE cv.victim_id IN (SELECT victim_id FROM panel_member)"
        )
        .fetch_all(p)
        .await)?;
        let restricted: Vec<(i64, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT victim_id, channel FROM victim_restriction WHERE lifted_at IS NULL \
             AND victim_id IN (SELECT victim_id FROM panel_member)"
        )
        .fetch_all(p)
        .await)?;
        let at_court = |p: Phase| matches!(p, Phase::PreTrial | Phase::Trial | Phase::Sentencing);
        let mut court: HashMap<i64, Phase> = HashMap::new();
        let mut abuse: HashMap<i64, bool> = HashMap::new();
        for (victim_id, phase, da) in others {
            if let Some(p) = Phase::parse(&phase).filter(|p| at_court(*p)) {
                court.insert(victim_id, p);
            }
            *abuse.entry(victim_id).or_default() |= da;
        }
        let mut out = Vec::with_capacity(rows.len());
        for (victim_id, activities, contact_by, offence, borough, phase, details) in rows {
            let Ok(record) = self.sealer().victim(victim_id, &details) else {
                // Unreadable details: not invited (the safe side), and said in the log.
                tracing::warn!(victim_id, "panel volunteer's details cannot be read");
                continue;
            };
            let names: Vec<String> = serde_json::from_str(&activities).unwrap_or_default();
            let contact_by = Channel::parse(&contact_by).unwrap_or(Channel::Letter);
            let stopped = restricted
                .iter()
                .any(|(v, c)| *v == victim_id && c == contact_by.as_str());
            let safe = record.contact_agreement.safe_channels.contains(&contact_by) && !stopped;
            out.push(Volunteer {
                victim_id,
                activities: names.iter().filter_map(|a| Activity::parse(a)).collect(),
                offence,
                borough,
                phase: court
                    .get(&victim_id)
                    .copied()
                    .or_else(|| Phase::parse(&phase))
                    .unwrap_or(Phase::Reported),
                age_band: record
                    .date_of_birth
                    .map(|d| domain::panel::age_band(d.date(), on)),
                language: record.language.to_string(),
                contact_by,
                contact_safe: safe,
                domestic_abuse: abuse.get(&victim_id).copied().unwrap_or(false),
            });
        }
        Ok(out)
    }

    /// Saves a session and queues an invitation for each person on its list who is still on
    /// the panel; returns the session id and how many were invited.
    pub async fn create_panel_session(
        &self,
        s: &NewPanelSession<'_>,
        now: DateTime<Utc>,
    ) -> Result<(i64, u64), StoreError> {
        crate::dispatch!(self, panel::create_session(s, now))
    }

    /// Sessions, newest first.
    pub async fn panel_sessions(&self) -> Result<Vec<PanelSession>, StoreError> {
        type Row = (i64, String, String, NaiveDate, i32, i64, String);
        let rows: Vec<Row> = with_pool!(self, |p| sqlx::query_as(
            "SELECT s.session_id, s.title, s.activity, s.held_on, s.places, \
             (SELECT COUNT(*) FROM panel_invitation i WHERE i.session_id = s.session_id), \
             s.created_by FROM panel_session s ORDER BY s.session_id DESC LIMIT 100"
        )
        .fetch_all(p)
        .await)?;
        Ok(rows
            .into_iter()
            .map(
                |(session_id, title, activity, held_on, places, invited, created_by)| {
                    PanelSession {
                        session_id,
                        title,
                        activity,
                        held_on,
                        places,
                        invited,
                        created_by,
                    }
                },
            )
            .collect())
    }

    /// Who is on a session's list: (victim id, group).
    pub async fn panel_invitations(
        &self,
        session_id: i64,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT victim_id, grp FROM panel_invitation WHERE session_id = $1 \
             ORDER BY victim_id"
        )
        .bind(session_id)
        .fetch_all(p)
        .await)?)
    }
}
