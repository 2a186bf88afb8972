//! Victims' feedback on how we kept them informed.

use crate::{Db, StoreError};
use chrono::{DateTime, Utc};
use domain::feedback::Feedback;

/// One piece of feedback as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFeedback {
    pub given_at: DateTime<Utc>,
    pub channel: String,
    pub rating: i32,
    pub comment: Option<String>,
}

impl Db {
    /// Keeps a victim's feedback; `channel` is where it was given ("portal").
    pub async fn record_feedback(
        &self,
        case_id: i64,
        victim_id: i64,
        feedback: &Feedback,
        channel: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        crate::with_writer!(self, |p| sqlx::query(
            "INSERT INTO feedback (case_id, victim_id, given_at, channel, rating, comment) \
             VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(case_id)
        .bind(victim_id)
        .bind(now)
        .bind(channel)
        .bind(i32::from(feedback.rating.value()))
        .bind(
            feedback
                .comment
                .as_deref()
                .map(|c| self.sealer().seal_text(crate::seal::FEEDBACK_COMMENT, c)),
        )
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// A victim's feedback in one case, oldest first.
    pub async fn feedback_of_victim(
        &self,
        case_id: i64,
        victim_id: i64,
    ) -> Result<Vec<StoredFeedback>, StoreError> {
        type Row = (i64, DateTime<Utc>, String, i32, Option<String>);
        let rows: Vec<Row> = crate::with_pool!(self, |p| sqlx::query_as(
            "SELECT feedback_id, given_at, channel, rating, comment FROM feedback \
             WHERE case_id = $1 AND victim_id = $2 ORDER BY feedback_id"
        )
        .bind(case_id)
        .bind(victim_id)
        .fetch_all(p)
        .await)?;
        rows.into_iter()
            .map(|(id, given_at, channel, rating, comment)| {
                let comment = match comment {
                    Some(c) => Some(
                        self.sealer()
                            .open_text(crate::seal::FEEDBACK_COMMENT, &c)
                            .map_err(|e| e.at("feedback", id))?,
                    ),
                    None => None,
                };
                Ok(StoredFeedback {
                    given_at,
                    channel,
                    rating,
                    comment,
                })
            })
            .collect()
    }
}
