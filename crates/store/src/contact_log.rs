//! The helpline's contact log: what staff told a victim, how, and what happens next. An entry
//! that told the victim owed news records a contact, which meets those obligations. Entries
//! are never changed; a correction is a new entry that names the one it corrects.

use crate::portal::TASK_CALLBACK;
use crate::{Db, StoreError, with_pool, with_writer};
use chrono::{DateTime, Utc};
use domain::Problem;
use domain::contact::{ContactChannel, ContactOutcome, ContactReport};
use serde::Serialize;

/// Task kind: staff promised the victim a call back.
pub const TASK_CALLBACK_PROMISED: &str = "callback_promised";

/// Who staff dealt with.
pub const WHO: [&str; 3] = ["victim", "nominated_person", "someone_else"];
pub const DIRECTIONS: [&str; 2] = ["inbound", "outbound"];

/// A new entry, checked by the caller's form.
#[derive(Debug, Clone)]
pub struct NewLogEntry {
    /// Makes a resent form a no-op: the contact it records is keyed by it.
    pub form_id: String,
    pub case_id: i64,
    pub victim_id: i64,
    pub crime_reference: domain::CrimeReference,
    pub victim_ref: domain::victim::VictimRef,
    pub call_id: Option<i64>,
    pub user_id: i64,
    pub username: String,
    pub channel: ContactChannel,
    pub direction: &'static str,
    pub who: &'static str,
    pub outcome: ContactOutcome,
    /// Owed news the victim was given (obligation ids).
    pub told: Vec<i64>,
    pub note: String,
    /// A call back promised for this time, with the victim's preferred time in their words.
    pub callback: Option<(DateTime<Utc>, Option<String>)>,
    pub corrects: Option<i64>,
}

/// What logging did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Logged {
    pub entry_id: i64,
    /// Obligations met (or closed as not wanted) by it.
    pub met: Vec<i64>,
    pub task_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LogView {
    pub entry_id: i64,
    pub at: DateTime<Utc>,
    pub by: String,
    pub channel: String,
    pub direction: String,
    pub who: String,
    pub outcome: String,
    pub told: String,
    pub note: String,
    pub follow_up: Option<String>,
    pub corrects: Option<i64>,
}

impl Db {
    pub async fn log_contact(
        &self,
        e: &NewLogEntry,
        now: DateTime<Utc>,
    ) -> Result<Logged, StoreError> {
        // The same form sent again (a double click, a retry): what it recorded the first time.
        let sent: Option<i64> = with_pool!(self, |p| {
            sqlx::query_scalar(
            "SELECT l.entry_id FROM contact_log l JOIN contact c ON c.contact_id = l.contact_id \
             WHERE c.source = 'helpline' AND c.source_contact_id = $1 AND l.case_id = $2 \
             AND l.victim_id = $3"
        )
        .bind(&e.form_id)
        .bind(e.case_id)
        .bind(e.victim_id)
        .fetch_optional(p)
        .await
        })?;
        if let Some(entry_id) = sent {
            return Ok(Logged {
                entry_id,
                met: Vec::new(),
                task_id: None,
            });
        }
        if let Some(corrected) = e.corrects {
            let same: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
                "SELECT entry_id FROM contact_log WHERE entry_id = $1 AND case_id = $2 \
                 AND victim_id = $3"
            )
            .bind(corrected)
            .bind(e.case_id)
            .bind(e.victim_id)
            .fetch_optional(p)
            .await)?;
            if same.is_none() {
                return Err(StoreError::Refused(vec![Problem::new(
                    "corrects",
                    "is not an entry of this victim's log",
                )]));
            }
        }
        // The Code's record first (a resent form finds it already there), then the log entry.
        let report = ContactReport {
            source: domain::event::SourceName::parse("helpline")
                .map_err(|problem| StoreError::Refused(vec![Problem::new("source", problem)]))?,
            id: domain::event::SourceEventId::parse(&e.form_id).map_err(|_| {
                StoreError::Refused(vec![Problem::new("form_id", "is not a form of ours")])
            })?,
            crime_reference: e.crime_reference.clone(),
            victim: e.victim_ref.clone(),
            occurred_at: now,
            channel: e.channel,
            outcome: e.outcome,
            obligations: if e.outcome == ContactOutcome::Attempted {
                Vec::new()
            } else {
                e.told.clone()
            },
        };
        let recorded = self.record_contact(&report, &e.username, now).await?;
        let mut met = recorded.met.clone();
        met.extend(&recorded.not_wanted);
        if recorded.duplicate {
            let entry_id: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
                "SELECT entry_id FROM contact_log WHERE contact_id = $1"
            )
            .bind(recorded.contact_id)
            .fetch_optional(p)
            .await)?;
            if let Some(entry_id) = entry_id {
                return Ok(Logged {
                    entry_id,
                    met,
                    task_id: None,
                });
            }
        }
        let follow_up = e.callback.as_ref().map(|(at, preferred)| match preferred {
            Some(p) => format!("call back by {} ({p})", at.to_rfc3339()),
            None => format!("call back by {}", at.to_rfc3339()),
        });
        let told = serde_json::to_string(&e.told).unwrap_or_else(|_| "[]".into());
        let entry_id: i64 = with_writer!(self, |p| sqlx::query_scalar(
            "INSERT INTO contact_log (case_id, victim_id, call_id, contact_id, user_id, at, \
             channel, direction, who, outcome, told, note, follow_up, corrects) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
             RETURNING entry_id"
        )
        .bind(e.case_id)
        .bind(e.victim_id)
        .bind(e.call_id)
        .bind(recorded.contact_id)
        .bind(e.user_id)
        .bind(now)
        .bind(e.channel.as_str())
        .bind(e.direction)
        .bind(e.who)
        .bind(e.outcome.as_str())
        .bind(&told)
        .bind(
            self.sealer()
                .seal_text(crate::seal::CONTACT_LOG_NOTE, &e.note)
        )
        .bind(follow_up.as_deref().map(|f| {
            self.sealer()
                .seal_text(crate::seal::CONTACT_LOG_FOLLOW_UP, f)
        }),)
        .bind(e.corrects)
        .fetch_one(p)
        .await)?;
        let task_id = match &e.callback {
            Some((due, preferred)) => Some(
                self.open_callback(
                    TASK_CALLBACK_PROMISED,
                    e.case_id,
                    e.victim_id,
                    *due,
                    preferred.as_deref(),
                    now,
                )
                .await?,
            ),
            None => None,
        };
        Ok(Logged {
            entry_id,
            met,
            task_id,
        })
    }

    /// A victim's log, newest first.
    pub async fn contact_log(
        &self,
        case_id: i64,
        victim_id: i64,
    ) -> Result<Vec<LogView>, StoreError> {
        let mut rows: Vec<LogView> = with_pool!(self, |p| sqlx::query_as(
            "SELECT l.entry_id, l.at, u.display_name AS by, l.channel, l.direction, l.who, \
             l.outcome, l.told, l.note, l.follow_up, l.corrects FROM contact_log l \
             JOIN staff_user u ON u.user_id = l.user_id \
             WHERE l.case_id = $1 AND l.victim_id = $2 ORDER BY l.entry_id DESC LIMIT 200"
        )
        .bind(case_id)
        .bind(victim_id)
        .fetch_all(p)
        .await)?;
        for row in &mut rows {
            row.note = self
                .sealer()
                .open_text(crate::seal::CONTACT_LOG_NOTE, &row.note)
                .map_err(|e| e.at("contact log entry", row.entry_id))?;
            if let Some(sealed) = &row.follow_up {
                row.follow_up = Some(
                    self.sealer()
                        .open_text(crate::seal::CONTACT_LOG_FOLLOW_UP, sealed)
                        .map_err(|e| e.at("contact log entry", row.entry_id))?,
                );
            }
        }
        Ok(rows)
    }

    /// Opens a call-back task due at `due`, with the victim's preferred time. The portal's
    /// request (`callback_requested`) opens one only if none is waiting; a promise made on the
    /// phone always opens its own.
    pub async fn open_callback(
        &self,
        kind: &str,
        case_id: i64,
        victim_id: i64,
        due: DateTime<Utc>,
        preferred: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        debug_assert!(kind == TASK_CALLBACK_PROMISED || kind == TASK_CALLBACK);
        let id = with_writer!(self, |p| sqlx::query_scalar(
            "INSERT INTO task (kind, case_id, victim_id, due_at, opened_at, preferred_time) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING task_id"
        )
        .bind(kind)
        .bind(case_id)
        .bind(victim_id)
        .bind(due)
        .bind(now)
        .bind(preferred.map(|p| self.sealer().seal_text(crate::seal::TASK_PREFERRED_TIME, p)))
        .fetch_one(p)
        .await)?;
        Ok(id)
    }
}
