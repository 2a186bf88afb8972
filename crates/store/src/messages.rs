//! The outbox of messages to victims. A message is queued in the same transaction as the event
//! and the obligations it tells of; a worker claims due messages under a lease, sends them and
//! records what happened. A worker that dies mid-send leaves its messages to be claimed again
//! when the lease runs out.

use crate::{Db, StoreError};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use std::collections::HashMap;

/// The columns of a [`MessageView`].
macro_rules! message_view_select {
    () => {
        "SELECT m.message_id, v.victim_ref AS victim, m.kind, m.status, m.channel, m.attempts, \
         m.created_at, m.next_attempt_at, m.sent_at, m.delivered_at, m.template, m.language, \
         m.last_error FROM message m JOIN victim v ON v.victim_id = m.victim_id"
    };
}

/// Task kind: a message could not go by itself; `task.reason` says why.
pub const TASK_MESSAGE: &str = "message_needs_person";

/// Code right 4 is a referral to support services: met by making the referral, not by telling
/// the victim, so no message carries it.
const RIGHT_REFERRAL: u8 = 4;

/// A message claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DueMessage {
    pub message_id: i64,
    pub case_id: i64,
    pub victim_id: i64,
    pub source: String,
    pub source_event_id: String,
    /// The event type it tells of: the template.
    pub kind: String,
    /// Tries so far, this one included.
    pub attempts: i32,
}

/// A message as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct MessageView {
    pub message_id: i64,
    /// The victim's reference.
    pub victim: String,
    pub kind: String,
    pub status: String,
    pub channel: Option<String>,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub template: Option<String>,
    pub language: Option<String>,
    pub last_error: Option<String>,
}

/// One step in a message's story.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct MessageStep {
    pub at: DateTime<Utc>,
    pub status: String,
    /// Why, in our own words, when something went wrong.
    pub detail: Option<String>,
}

/// What a message's sending came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<'a> {
    /// The provider took it.
    Sent {
        channel: &'a str,
        provider_ref: Option<&'a str>,
        template: &'a str,
        language: &'a str,
    },
    /// Quiet time: not an attempt; try again then.
    Wait { until: DateTime<Utc> },
    /// Went wrong for now: try again then.
    Retry { error: &'a str, at: DateTime<Utc> },
    /// Cannot go by itself (no safe way, or given up): a person must do it.
    Person { reason: &'a str },
    /// Someone was in touch already: what it would have said has been said.
    NotNeeded,
}

crate::for_each_backend! {
    /// Queues a message for each victim and event whose new obligations are met by telling
    /// them, unless queued before. Only for what is still due: importing last year's events
    /// must not tell anyone about last year's arrest.
    pub(crate) async fn enqueue(
        tx: &mut sqlx::Transaction<'_, DB>,
        owed: &[crate::ingest::Owed],
        new_events: &[(i64, &domain::Event)],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let today: NaiveDate = domain::calendar::london_date(now);
        let told: Vec<&crate::ingest::Owed> = owed
            .iter()
            .filter(|o| o.obligation.right != RIGHT_REFERRAL && o.obligation.due >= today)
            .collect();
        if told.is_empty() {
            // An import of history owes nobody a message: no need to index its events.
            return Ok(());
        }
        let kinds: HashMap<(&str, &str), &'static str> = new_events
            .iter()
            .map(|(_, e)| ((e.source.as_str(), e.id.as_str()), e.event_type().as_str()))
            .collect();
        let mut rows: Vec<(i64, i64, &str, &str, &'static str)> = told
            .into_iter()
            .filter_map(|o| {
                let source = o.obligation.source.as_deref()?;
                let event = o.obligation.event.as_str();
                let kind = kinds.get(&(source, event))?;
                Some((o.case_id, o.victim_id, source, event, *kind))
            })
            .collect();
        rows.sort_unstable();
        rows.dedup();
        for chunk in rows.chunks(ROWS_PER_STATEMENT / 8) {
            let mut qb = sqlx::QueryBuilder::<DB>::new(
                "INSERT INTO message (case_id, victim_id, source, source_event_id, kind, \
                 status, next_attempt_at, created_at) ",
            );
            qb.push_values(chunk, |mut row, (case_id, victim_id, source, event, kind)| {
                row.push_bind(*case_id)
                    .push_bind(*victim_id)
                    .push_bind(*source)
                    .push_bind(*event)
                    .push_bind(*kind)
                    .push_bind("queued")
                    .push_bind(now)
                    .push_bind(now);
            });
            qb.push(" ON CONFLICT (case_id, victim_id, source, source_event_id) DO NOTHING");
            qb.build().execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Queues the periodic update for each victim just owed one, for the morning of the day
    /// before it is due, so that it goes in time but only if nobody has been in touch by then.
    pub(crate) async fn periodic(
        conn: &mut <DB as sqlx::Database>::Connection,
        rule: &str,
        owed: &[crate::ingest::Owed],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        for chunk in owed.chunks(ROWS_PER_STATEMENT / 4) {
            // The obligations just made, by case and victim, with their ids.
            let mut qb = sqlx::QueryBuilder::<DB>::new(
                "SELECT obligation_id, case_id, victim_id, due_on FROM obligation \
                 WHERE status = 'open' AND rule_id = ",
            );
            qb.push_bind(rule).push(" AND case_id IN (");
            let mut ids = qb.separated(", ");
            for o in chunk {
                ids.push_bind(o.case_id);
            }
            qb.push(")");
            let made: Vec<(i64, i64, i64, NaiveDate)> =
                qb.build_query_as().fetch_all(&mut *conn).await?;
            let wanted: std::collections::HashSet<(i64, i64)> =
                chunk.iter().map(|o| (o.case_id, o.victim_id)).collect();
            let rows: Vec<(i64, i64, i64, DateTime<Utc>)> = made
                .into_iter()
                .filter(|(_, c, v, _)| wanted.contains(&(*c, *v)))
                .map(|(id, c, v, due)| {
                    let day_before = due.pred_opt().unwrap_or(due);
                    let at = domain::delivery::morning_of(day_before).max(now);
                    (id, c, v, at)
                })
                .collect();
            if rows.is_empty() {
                continue;
            }
            let mut qb = sqlx::QueryBuilder::<DB>::new(
                "INSERT INTO message (case_id, victim_id, source, source_event_id, kind, status, \
                 next_attempt_at, created_at, obligation_id) ",
            );
            qb.push_values(&rows, |mut row, (id, case_id, victim_id, at)| {
                row.push_bind(*case_id)
                    .push_bind(*victim_id)
                    .push_bind("periodic")
                    .push_bind(id.to_string())
                    .push_bind("periodic_update")
                    .push_bind("queued")
                    .push_bind(*at)
                    .push_bind(now)
                    .push_bind(*id);
            });
            qb.push(" ON CONFLICT (case_id, victim_id, source, source_event_id) DO NOTHING");
            qb.build().execute(&mut *conn).await?;
        }
        Ok(())
    }

    pub(crate) async fn settle(
        pool: &sqlx::Pool<DB>,
        message_id: i64,
        outcome: &Outcome<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        // One statement, so no transaction of its own, except a hand-over (message and task).
        match outcome {
            Outcome::Sent { channel, provider_ref, template, language } => {
                // A receipt that came first has said more: its status stands.
                sqlx::query(
                    "UPDATE message SET status = CASE WHEN status = 'sending' THEN 'sent' \
                     ELSE status END, channel = $2, provider_ref = $3, template = $4, \
                     language = $5, sent_at = $6, lease_until = NULL WHERE message_id = $1",
                )
                .bind(message_id)
                .bind(*channel)
                .bind(*provider_ref)
                .bind(*template)
                .bind(*language)
                .bind(now)
                .execute(pool)
                .await?;
            }
            Outcome::Wait { until } => {
                // Waiting for the morning is not a failed try.
                sqlx::query(
                    "UPDATE message SET status = 'queued', attempts = attempts - 1, \
                     next_attempt_at = $2, lease_until = NULL \
                     WHERE message_id = $1 AND status = 'sending'",
                )
                .bind(message_id)
                .bind(*until)
                .execute(pool)
                .await?;
            }
            Outcome::Retry { error, at } => {
                sqlx::query(
                    "UPDATE message SET status = 'queued', last_error = $2, \
                     next_attempt_at = $3, lease_until = NULL \
                     WHERE message_id = $1 AND status IN ('sending', 'sent')",
                )
                .bind(message_id)
                .bind(*error)
                .bind(*at)
                .execute(pool)
                .await?;
            }
            Outcome::NotNeeded => {
                sqlx::query(
                    "UPDATE message SET status = 'not_needed', lease_until = NULL \
                     WHERE message_id = $1 AND status = 'sending'",
                )
                .bind(message_id)
                .execute(pool)
                .await?;
            }
            Outcome::Person { reason } => {
                let mut tx = pool.begin_with(BEGIN_WRITE).await?;
                // Only a message still in someone's hands: never one a receipt or a hold has
                // moved on since.
                let moved = sqlx::query(
                    "UPDATE message SET status = 'person', last_error = $2, lease_until = NULL \
                     WHERE message_id = $1 AND status IN ('sending', 'sent')",
                )
                .bind(message_id)
                .bind(*reason)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if moved == 0 {
                    tx.rollback().await?;
                    return Ok(());
                }
                sqlx::query(
                    "INSERT INTO task (kind, case_id, victim_id, message_id, reason, due_at, \
                     opened_at) SELECT $1, case_id, victim_id, message_id, $2, $3, $4 \
                     FROM message WHERE message_id = $5",
                )
                .bind(TASK_MESSAGE)
                .bind(*reason)
                .bind(now + TimeDelta::days(1))
                .bind(now)
                .bind(message_id)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
            }
        }
        Ok(())
    }

    /// Rows of `select` (which ends in `victim_id IN (`) for these victims.
    async fn of_victims<T>(
        pool: &sqlx::Pool<DB>,
        select: &'static str,
        victims: &[i64],
    ) -> Result<Vec<T>, StoreError>
    where
        T: for<'r> sqlx::FromRow<'r, <DB as sqlx::Database>::Row> + Send + Unpin,
    {
        if victims.is_empty() {
            return Ok(Vec::new());
        }
        let mut qb = sqlx::QueryBuilder::<DB>::new(select);
        let mut list = qb.separated(", ");
        for v in victims {
            list.push_bind(*v);
        }
        qb.push(")");
        Ok(qb.build_query_as().fetch_all(pool).await?)
    }

    pub(crate) async fn recipients(
        pool: &sqlx::Pool<DB>,
        messages: &[DueMessage],
        sealer: &crate::Sealer,
    ) -> Result<HashMap<i64, MessageRecipient>, StoreError> {
        let mut found = HashMap::with_capacity(messages.len());
        for chunk in messages.chunks(ROWS_PER_STATEMENT / 2) {
            let mut qb = sqlx::QueryBuilder::<DB>::new(
                "SELECT m.message_id, m.victim_id, c.crime_reference, v.details FROM message m \
                 JOIN crime_case c ON c.case_id = m.case_id \
                 JOIN victim v ON v.victim_id = m.victim_id WHERE m.message_id IN (",
            );
            let mut ids = qb.separated(", ");
            for m in chunk {
                ids.push_bind(m.message_id);
            }
            qb.push(")");
            let raw: Vec<(i64, i64, String, sqlx::types::Json<Box<serde_json::value::RawValue>>)> =
                qb.build_query_as().fetch_all(pool).await?;
            // One record that cannot be read must not stop the batch: its message is left
            // out here, and the worker hands it to a person.
            let rows: Vec<(i64, i64, String, domain::victim::VictimRecord)> = raw
                .into_iter()
                .filter_map(|(m, v, r, details)| {
                    sealer.victim(v, &details).ok().map(|d| (m, v, r, d))
                })
                .collect();
            let victims: Vec<i64> = rows.iter().map(|(_, v, _, _)| *v).collect();
            let mut restricted: HashMap<i64, Vec<String>> = HashMap::new();
            let stopped: Vec<(i64, String)> = of_victims(
                pool,
                "SELECT victim_id, channel FROM victim_restriction WHERE lifted_at IS NULL \
                 AND victim_id IN (",
                &victims,
            )
            .await?;
            for (victim_id, channel) in stopped {
                restricted.entry(victim_id).or_default().push(channel);
            }
            let mut failing: HashMap<i64, Vec<(String, String)>> = HashMap::new();
            let failed: Vec<(i64, String, String)> = of_victims(
                pool,
                "SELECT victim_id, channel, detail_hash FROM channel_failure \
                 WHERE cleared_at IS NULL AND victim_id IN (",
                &victims,
            )
            .await?;
            for (victim_id, channel, hash) in failed {
                failing.entry(victim_id).or_default().push((channel, hash));
            }
            for (message_id, victim_id, crime_reference, record) in rows {
                found.insert(
                    message_id,
                    MessageRecipient {
                        crime_reference,
                        record,
                        restricted: restricted.get(&victim_id).cloned().unwrap_or_default(),
                        failing: failing.get(&victim_id).cloned().unwrap_or_default(),
                    },
                );
            }
        }
        Ok(found)
    }
}

/// How a failed address or number is remembered: its SHA-256, so the record of a failure
/// holds nothing personal and a new address is not blocked by the old one's failure.
pub fn detail_hash(address: &str) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(address.trim().as_bytes()))
}

/// Who a claimed message is for, read for a whole batch at once.
#[derive(Debug, Clone)]
pub struct MessageRecipient {
    pub crime_reference: String,
    pub record: domain::victim::VictimRecord,
    /// The ways the victim stopped on their own page.
    pub restricted: Vec<String>,
    /// The ways a provider said do not work, with the hash of the address that failed
    /// ([`detail_hash`]): a way counts as failing only while it still has that address.
    pub failing: Vec<(String, String)>,
}

/// Claims up to `limit` due messages, SQLite: the one writer makes the claim atomic.
const CLAIM_SQLITE: &str = "UPDATE message SET status = 'sending', attempts = attempts + 1, \
     lease_until = $2 WHERE message_id IN (SELECT message_id FROM message \
     WHERE status IN ('queued', 'sending') AND next_attempt_at <= $1 \
     AND (lease_until IS NULL OR lease_until <= $1) ORDER BY next_attempt_at LIMIT $3) \
     RETURNING message_id, case_id, victim_id, source, source_event_id, kind, attempts";

/// The same on PostgreSQL, where many workers claim at once: each skips rows another holds.
const CLAIM_POSTGRES: &str = "UPDATE message SET status = 'sending', attempts = attempts + 1, \
     lease_until = $2 WHERE message_id IN (SELECT message_id FROM message \
     WHERE status IN ('queued', 'sending') AND next_attempt_at <= $1 \
     AND (lease_until IS NULL OR lease_until <= $1) ORDER BY next_attempt_at LIMIT $3 \
     FOR UPDATE SKIP LOCKED) \
     RETURNING message_id, case_id, victim_id, source, source_event_id, kind, attempts";

/// What a provider's delivery receipt said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    Delivered,
    /// Will not arrive (a number that does not exist, a mailbox that refuses).
    Failed,
    /// Did not arrive this time (the phone was off for days): worth another try.
    TryAgain,
}

impl Db {
    /// Records a provider's receipt for a message, by our message id. Returns whether the
    /// message exists and was waiting for one. A delivered message records the contact that
    /// meets its obligations (see [`Db::record_message_contact`]).
    pub async fn message_receipt(
        &self,
        message_id: i64,
        provider_ref: &str,
        receipt: Receipt,
        channel: domain::contact::ContactChannel,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        // A receipt can overtake the worker's own record of the send ("sending" still, with
        // no provider id yet); otherwise it must be for the send the message records, not an
        // earlier one (a late receipt for a text after the email that replaced it).
        let waiting: Option<String> = crate::with_pool!(self, |p| sqlx::query_scalar(
            "SELECT status FROM message WHERE message_id = $1 AND (status = 'sending' \
             OR (status = 'sent' AND provider_ref = $2))"
        )
        .bind(message_id)
        .bind(provider_ref)
        .fetch_optional(p)
        .await)?;
        if waiting.is_none() {
            return Ok(false);
        }
        match receipt {
            Receipt::Delivered => {
                crate::with_writer!(self, |p| sqlx::query(
                    "UPDATE message SET status = 'delivered', delivered_at = $2, \
                     lease_until = NULL WHERE message_id = $1 AND status IN ('sending', 'sent')"
                )
                .bind(message_id)
                .bind(now)
                .execute(p)
                .await
                .map(|_| ()))?;
                self.record_message_contact(message_id, channel, now)
                    .await?;
            }
            Receipt::Failed => {
                // That way does not work: the next safe one is tried, or a person told.
                let address = self.message_address(message_id, channel.as_str()).await?;
                self.channel_failed(message_id, channel.as_str(), &address, now)
                    .await?;
            }
            Receipt::TryAgain => {
                let outcome = Outcome::Retry {
                    error: "the provider could not deliver the message this time",
                    at: now + TimeDelta::minutes(30),
                };
                self.settle_message(message_id, &outcome, now).await?;
            }
        }
        Ok(true)
    }

    /// A message that reached the victim is a contact with them: it meets the obligations it
    /// carried. Recorded once: the contact's id is the message's.
    pub async fn record_message_contact(
        &self,
        message_id: i64,
        channel: domain::contact::ContactChannel,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.message_contact(
            message_id,
            channel,
            domain::contact::ContactOutcome::Informed,
            now,
        )
        .await
    }

    /// The victim said they do not want this kind of update: the message is not sent, and the
    /// duties it carried are recorded as not wanted, on their word (a contact, as if they had
    /// said so on the phone).
    pub async fn message_not_wanted(
        &self,
        message_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        crate::with_writer!(self, |p| sqlx::query(
            "UPDATE message SET status = 'not_wanted', lease_until = NULL \
             WHERE message_id = $1 AND status = 'sending'"
        )
        .bind(message_id)
        .execute(p)
        .await
        .map(|_| ()))?;
        self.message_contact(
            message_id,
            domain::contact::ContactChannel::Portal,
            domain::contact::ContactOutcome::Declined,
            now,
        )
        .await
    }

    async fn message_contact(
        &self,
        message_id: i64,
        channel: domain::contact::ContactChannel,
        outcome: domain::contact::ContactOutcome,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        type Row = (i64, i64, String, String, String, String, String, i32);
        let found: Option<Row> = crate::with_pool!(self, |p| sqlx::query_as(
            "SELECT m.case_id, m.victim_id, m.source, m.source_event_id, m.kind, \
             c.crime_reference, v.victim_ref, m.attempts FROM message m \
             JOIN crime_case c ON c.case_id = m.case_id \
             JOIN victim v ON v.victim_id = m.victim_id WHERE m.message_id = $1"
        )
        .bind(message_id)
        .fetch_optional(p)
        .await)?;
        let Some((case_id, victim_id, source, source_event_id, kind, reference, victim, attempts)) =
            found
        else {
            return Err(StoreError::NotFound { what: "message" });
        };
        let message = DueMessage {
            message_id,
            case_id,
            victim_id,
            source,
            source_event_id,
            kind,
            attempts,
        };
        let obligations = self.message_obligations(&message).await?;
        if obligations.is_empty() {
            return Ok(());
        }
        let corrupt = |problem: String| StoreError::Corrupt {
            what: "message",
            id: message_id,
            problem,
        };
        let contact = domain::contact::ContactReport {
            source: domain::event::SourceName::parse("victimcare").map_err(corrupt)?,
            id: domain::event::SourceEventId::parse(&format!("message-{message_id}"))
                .map_err(corrupt)?,
            crime_reference: domain::CrimeReference::parse(&reference).map_err(corrupt)?,
            victim: domain::victim::VictimRef::parse(&victim).map_err(corrupt)?,
            occurred_at: now,
            channel,
            outcome,
            obligations,
        };
        self.record_contact(&contact, "notification worker", now)
            .await?;
        Ok(())
    }

    /// Claims due messages for `lease`: nobody else sends them until it runs out.
    pub async fn claim_messages(
        &self,
        now: DateTime<Utc>,
        limit: i64,
        lease: TimeDelta,
    ) -> Result<Vec<DueMessage>, StoreError> {
        let mut claimed: Vec<DueMessage> = match self {
            Db::Sqlite(s) => {
                sqlx::query_as(CLAIM_SQLITE)
                    .bind(now)
                    .bind(now + lease)
                    .bind(limit)
                    .fetch_all(&s.writer)
                    .await?
            }
            Db::Postgres(p) => {
                sqlx::query_as(CLAIM_POSTGRES)
                    .bind(now)
                    .bind(now + lease)
                    .bind(limit)
                    .fetch_all(&p.pool)
                    .await?
            }
        };
        claimed.sort_unstable_by_key(|m| m.message_id);
        Ok(claimed)
    }

    /// The victim's record, restrictions, failing ways and crime reference for each claimed
    /// message, in three queries for the whole batch.
    pub async fn message_recipients(
        &self,
        messages: &[DueMessage],
    ) -> Result<HashMap<i64, MessageRecipient>, StoreError> {
        match self {
            Db::Sqlite(s) => sqlite::recipients(&s.reader, messages, self.sealer()).await,
            Db::Postgres(p) => postgres::recipients(&p.pool, messages, self.sealer()).await,
        }
    }

    /// Records that `channel` does not work for the message's victim: later messages use their
    /// next safe way, and this one is tried again at once to find it.
    pub async fn channel_failed(
        &self,
        message_id: i64,
        channel: &str,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        crate::with_writer!(self, |p| sqlx::query(
            "INSERT INTO channel_failure (victim_id, channel, detail_hash, failed_at) \
             SELECT victim_id, $2, $3, $4 FROM message WHERE message_id = $1"
        )
        .bind(message_id)
        .bind(channel)
        .bind(detail_hash(address))
        .bind(now)
        .execute(p)
        .await
        .map(|_| ()))?;
        let outcome = Outcome::Retry {
            error: "the provider refused this way of reaching the victim",
            at: now,
        };
        self.settle_message(message_id, &outcome, now).await
    }

    /// The address `channel` has for the message's victim now (what a receipt's failure is
    /// about): the nominated person's when they have one, else the victim's.
    async fn message_address(&self, message_id: i64, channel: &str) -> Result<String, StoreError> {
        let row: Option<(i64, crate::seal::StoredJson)> =
            crate::with_pool!(self, |p| sqlx::query_as(
                "SELECT v.victim_id, v.details FROM message m \
                 JOIN victim v ON v.victim_id = m.victim_id WHERE m.message_id = $1"
            )
            .bind(message_id)
            .fetch_optional(p)
            .await)?;
        let details = match row {
            Some((victim_id, stored)) => Some(self.sealer().victim(victim_id, &stored)?),
            None => None,
        };
        let channel = domain::victim::Channel::parse(channel);
        Ok(details
            .zip(channel)
            .and_then(|(d, channel)| domain::delivery::address_for(&d, channel))
            .map(|(a, _)| a)
            .unwrap_or_default())
    }

    /// Records what became of a claimed message.
    pub async fn settle_message(
        &self,
        message_id: i64,
        outcome: &Outcome<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        crate::dispatch!(self, messages::settle(message_id, outcome, now))
    }

    /// The obligations a message carries that are still to be met: those of its event for its
    /// victim, but for a referral.
    pub async fn message_obligations(&self, message: &DueMessage) -> Result<Vec<i64>, StoreError> {
        if message.source == "periodic" {
            // A periodic update carries its one obligation, while it is still to be met.
            return Ok(crate::with_pool!(self, |p| sqlx::query_scalar(
                "SELECT o.obligation_id FROM obligation o JOIN message m \
                 ON m.obligation_id = o.obligation_id WHERE m.message_id = $1 \
                 AND o.status IN ('open', 'breached')"
            )
            .bind(message.message_id)
            .fetch_all(p)
            .await)?);
        }
        Ok(crate::with_pool!(self, |p| sqlx::query_scalar(
            "SELECT obligation_id FROM obligation WHERE case_id = $1 AND victim_id = $2 \
             AND source = $3 AND source_event_id = $4 AND code_right <> $5 \
             AND status IN ('open', 'breached') ORDER BY obligation_id"
        )
        .bind(message.case_id)
        .bind(message.victim_id)
        .bind(&message.source)
        .bind(&message.source_event_id)
        .bind(i16::from(RIGHT_REFERRAL))
        .fetch_all(p)
        .await)?)
    }

    /// A victim's messages in a case, oldest first.
    pub async fn messages_of_victim(
        &self,
        case_id: i64,
        victim_id: i64,
    ) -> Result<Vec<MessageView>, StoreError> {
        Ok(crate::with_pool!(self, |p| sqlx::query_as(concat!(
            message_view_select!(),
            " WHERE m.case_id = $1 AND m.victim_id = $2 ORDER BY m.message_id"
        ))
        .bind(case_id)
        .bind(victim_id)
        .fetch_all(p)
        .await)?)
    }

    /// Every message of a case (or of one victim in it), oldest first; `None` if there is no
    /// such case.
    pub async fn messages_by_reference(
        &self,
        reference: &domain::CrimeReference,
        victim: Option<&domain::victim::VictimRef>,
    ) -> Result<Option<Vec<MessageView>>, StoreError> {
        let case: Option<i64> = crate::with_pool!(self, |p| sqlx::query_scalar(
            "SELECT case_id FROM crime_case WHERE crime_reference = $1"
        )
        .bind(reference.as_str())
        .fetch_optional(p)
        .await)?;
        let Some(case_id) = case else {
            return Ok(None);
        };
        let all: Vec<MessageView> = crate::with_pool!(self, |p| sqlx::query_as(concat!(
            message_view_select!(),
            " WHERE m.case_id = $1 ORDER BY m.message_id"
        ))
        .bind(case_id)
        .fetch_all(p)
        .await)?;
        Ok(Some(
            all.into_iter()
                .filter(|m| victim.is_none_or(|v| v.as_str() == m.victim))
                .collect(),
        ))
    }

    /// Every status a message took, oldest first.
    pub async fn message_history(&self, message_id: i64) -> Result<Vec<MessageStep>, StoreError> {
        Ok(crate::with_pool!(self, |p| sqlx::query_as(
            "SELECT at, status, detail FROM message_event WHERE message_id = $1 ORDER BY event_id"
        )
        .bind(message_id)
        .fetch_all(p)
        .await)?)
    }

    /// How many messages each channel has in each status (a message not yet sent has no
    /// channel: "none").
    pub async fn message_counts(&self) -> Result<Vec<(String, String, i64)>, StoreError> {
        Ok(crate::with_pool!(self, |p| sqlx::query_as(
            "SELECT COALESCE(channel, 'none'), status, COUNT(*) FROM message \
             GROUP BY COALESCE(channel, 'none'), status ORDER BY 1, 2"
        )
        .fetch_all(p)
        .await)?)
    }

    /// Messages waiting to go (queued or being sent) and the oldest one's due time.
    pub async fn message_queue(&self) -> Result<(i64, Option<DateTime<Utc>>), StoreError> {
        Ok(crate::with_pool!(self, |p| sqlx::query_as(
            "SELECT COUNT(*), MIN(next_attempt_at) FROM message \
             WHERE status IN ('queued', 'sending')"
        )
        .fetch_one(p)
        .await)?)
    }
}
