//! Administrators' wording of the messages to victims. The translation files hold the
//! defaults; a change made here wins until it is reset, and every change is kept.

use crate::{Db, StoreError};
use chrono::{DateTime, Utc};

/// The wording in force for one text, when an administrator changed it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct MessageText {
    pub text_id: i64,
    pub lang: String,
    pub key: String,
    pub text: String,
    pub set_at: DateTime<Utc>,
    pub set_by: String,
}

impl Db {
    /// Records a new wording (`Some`) or puts the file's back (`None`); returns the change's
    /// id, which is part of every later message's template version.
    pub async fn set_message_text(
        &self,
        lang: &str,
        key: &str,
        text: Option<&str>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        Ok(crate::with_writer!(self, |p| sqlx::query_scalar(
            "INSERT INTO message_text (lang, key, text, set_at, set_by) \
             VALUES ($1, $2, $3, $4, $5) RETURNING text_id"
        )
        .bind(lang)
        .bind(key)
        .bind(text)
        .bind(now)
        .bind(by)
        .fetch_one(p)
        .await)?)
    }

    /// The administrators' wordings now in force (the latest change of each text, unless it
    /// put the file's wording back), and the id of the latest change of any (0 if none).
    pub async fn message_texts(&self) -> Result<(Vec<MessageText>, i64), StoreError> {
        type Row = (i64, String, String, Option<String>, DateTime<Utc>, String);
        let latest: Vec<Row> = crate::with_pool!(self, |p| sqlx::query_as(
            "SELECT t.text_id, t.lang, t.key, t.text, t.set_at, t.set_by FROM message_text t \
                 WHERE t.text_id = (SELECT MAX(u.text_id) FROM message_text u \
                 WHERE u.lang = t.lang AND u.key = t.key) ORDER BY t.lang, t.key"
        )
        .fetch_all(p)
        .await)?;
        let version = latest.iter().map(|r| r.0).max().unwrap_or(0);
        let texts = latest
            .into_iter()
            .filter_map(|(text_id, lang, key, text, set_at, set_by)| {
                text.map(|text| MessageText {
                    text_id,
                    lang,
                    key,
                    text,
                    set_at,
                    set_by,
                })
            })
            .collect();
        Ok((texts, version))
    }
}
