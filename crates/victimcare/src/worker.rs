//! The notification worker: claims due messages from the outbox, decides for each from the
//! victim's contact agreement as it stands now, writes it in their language, sends it, and
//! records what happened. A sent message records a contact that meets the obligations it
//! carried. Runs as `victimcare worker` and inside `serve`; any number may run at once.

use chrono::{DateTime, TimeDelta, Utc};
use domain::delivery::{Decision, Recipient, decide};
use domain::victim::Channel;
use futures::StreamExt as _;
use notify::{Email, NotifyClient, Outgoing, SendError, SmtpMailer};
use store::{Db, DueMessage, MessageOutcome};

/// Messages claimed at a time.
const BATCH: i64 = 500;
/// Tries before a message that keeps failing becomes a person's task.
const MAX_ATTEMPTS: i32 = 8;

/// What the worker needs besides the database.
#[derive(Clone)]
pub struct Worker {
    pub db: Db,
    /// Email, when an SMTP server is configured.
    pub mailer: Option<SmtpMailer>,
    /// Text messages (and email, without an SMTP server) through a Notify-compatible API.
    pub notify: Option<NotifyClient>,
    pub helpline: String,
    pub public_url: String,
    /// A claimed message is anyone's to send again after this long: longer than a send can
    /// take, short enough that a worker's crash delays its messages only this much.
    pub lease: TimeDelta,
    /// The circuit breaker: more than `limit` messages of one kind queued within `window`
    /// are held for a supervisor.
    pub burst: Burst,
    /// Sends in flight at once. A provider answering in 50 ms needs 100 in flight to carry
    /// 2,000 messages a second, more with our own time per message (256 by default).
    pub concurrency: usize,
}

/// The circuit breaker's settings.
#[derive(Debug, Clone, Copy)]
pub struct Burst {
    pub limit: i64,
    pub window: TimeDelta,
}

impl Default for Burst {
    fn default() -> Self {
        Self {
            limit: 1000,
            window: TimeDelta::minutes(15),
        }
    }
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub waiting: usize,
    pub retrying: usize,
    pub to_person: usize,
    /// Held by the circuit breaker for a supervisor.
    pub held: u64,
    /// Periodic updates not sent because someone was in touch already.
    pub not_needed: usize,
}

enum Done {
    Sent,
    NotNeeded,
    Waiting,
    Retrying,
    ToPerson,
}

impl Worker {
    /// The channels that can go without a person.
    fn automatic(&self) -> Vec<Channel> {
        let mut channels = Vec::new();
        if self.mailer.is_some() || self.notify.is_some() {
            channels.push(Channel::Email);
        }
        if let Some(notify) = &self.notify {
            channels.push(Channel::Sms);
            if notify.sends_letters() {
                channels.push(Channel::Letter);
            }
        }
        channels
    }

    /// Claims and handles due messages until none are left; returns what it did.
    /// `start` is the time the pass begins (tests move it); the clock runs on from there, so
    /// a long pass neither claims under leases already spent nor sends into quiet hours.
    pub async fn drain(&self, start: DateTime<Utc>) -> anyhow::Result<Pass> {
        let began = std::time::Instant::now();
        let clock = || start + TimeDelta::from_std(began.elapsed()).unwrap_or_default();
        let mut pass = Pass::default();
        // Administrators' wordings, read once a pass: a change applies from the next one.
        let (texts, version) = self.db.message_texts().await?;
        let wordings = web::messages::Wordings::new(
            texts.into_iter().map(|t| (t.lang, t.key, t.text)),
            version,
        );
        loop {
            let now = clock();
            let claimed = self.db.claim_messages(now, BATCH, self.lease).await?;
            if claimed.is_empty() {
                return Ok(pass);
            }
            let (held, count) = self.hold_bursts(&claimed, now).await?;
            pass.held += count;
            let claimed: Vec<DueMessage> = claimed
                .into_iter()
                .filter(|m| !held.contains(&m.kind))
                .collect();
            let mut recipients = self.db.message_recipients(&claimed).await?;
            let results: Vec<anyhow::Result<Done>> = futures::stream::iter(claimed)
                .map(|m| {
                    let recipient = recipients.remove(&m.message_id);
                    self.handle(m, recipient, &wordings, clock())
                })
                .buffer_unordered(self.concurrency.max(1))
                .collect()
                .await;
            for result in results {
                match result? {
                    Done::Sent => pass.sent += 1,
                    Done::NotNeeded => pass.not_needed += 1,
                    Done::Waiting => pass.waiting += 1,
                    Done::Retrying => pass.retrying += 1,
                    Done::ToPerson => pass.to_person += 1,
                }
            }
        }
    }

    /// The kinds among `claimed` that have come in a burst nobody has released, now held
    /// (with every waiting message of the kind in the window).
    async fn hold_bursts(
        &self,
        claimed: &[DueMessage],
        now: DateTime<Utc>,
    ) -> anyhow::Result<(std::collections::BTreeSet<String>, u64)> {
        let mut kinds: Vec<String> = claimed.iter().map(|m| m.kind.clone()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let since = now - self.burst.window;
        let mut held = std::collections::BTreeSet::new();
        let mut total = 0;
        for (kind, queued) in self.db.messages_queued_since(&kinds, since).await? {
            if queued > self.burst.limit && !self.db.burst_released(&kind, since).await? {
                let own: Vec<i64> = claimed
                    .iter()
                    .filter(|m| m.kind == kind)
                    .map(|m| m.message_id)
                    .collect();
                let count = self.db.hold_burst(&kind, since, &own, now).await?;
                tracing::warn!(kind = %kind, queued, held = count, "a burst of messages is held for a supervisor");
                held.insert(kind);
                total += count;
            }
        }
        Ok((held, total))
    }

    async fn handle(
        &self,
        message: DueMessage,
        recipient: Option<store::MessageRecipient>,
        wordings: &web::messages::Wordings,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Done> {
        let id = message.message_id;
        let Some(store::MessageRecipient {
            crime_reference,
            record,
            restricted,
            failing,
        }) = recipient
        else {
            // Its victim's record cannot be read (or is gone): a person looks, rather than the
            // message going round for ever.
            let outcome = MessageOutcome::Person {
                reason: "the victim's details could not be read",
            };
            self.db.settle_message(id, &outcome, now).await?;
            return Ok(Done::ToPerson);
        };
        let record = &record;
        // A periodic update is only needed if nobody has been in touch since it was planned.
        if message.source == "periodic" && self.db.message_obligations(&message).await?.is_empty() {
            self.db
                .settle_message(id, &MessageOutcome::NotNeeded, now)
                .await?;
            return Ok(Done::NotNeeded);
        }
        // An update the victim said they do not want is not sent, whatever the channel.
        if record
            .contact_agreement
            .declined_updates
            .contains(&message.kind)
        {
            self.db.message_not_wanted(id, now).await?;
            return Ok(Done::NotNeeded);
        }
        // A way that is broken is as unusable as one the victim stopped, while it still has
        // the address that failed.
        let failing: Vec<String> = failing
            .into_iter()
            .filter(|(channel, hash)| {
                // A channel we no longer know stays unusable: the safe side.
                Channel::parse(channel).is_none_or(|channel| {
                    domain::delivery::address_for(record, channel)
                        .is_some_and(|(address, _)| store::detail_hash(&address) == *hash)
                })
            })
            .map(|(channel, _)| channel)
            .collect();
        let mut unusable = restricted;
        unusable.extend(failing.iter().cloned());
        let (channel, address, recipient) = match decide(record, &unusable, &self.automatic(), now)
        {
            Decision::Send {
                channel,
                address,
                recipient,
            } => (channel, address, recipient),
            Decision::Wait { until } => {
                let outcome = MessageOutcome::Wait { until };
                self.db.settle_message(id, &outcome, now).await?;
                return Ok(Done::Waiting);
            }
            Decision::Person(reason) => {
                let reason = if failing.is_empty() {
                    reason.as_str()
                } else {
                    "the victim's safe ways of contact did not work: check them with the victim"
                };
                let outcome = MessageOutcome::Person { reason };
                self.db.settle_message(id, &outcome, now).await?;
                return Ok(Done::ToPerson);
            }
        };
        let lang = web::i18n::Lang::parse(record.language.as_str()).unwrap_or_default();
        let leaflet_url = format!("{}/leaflet", self.public_url.trim_end_matches('/'));
        let write = if channel == Channel::Sms {
            web::messages::write_sms
        } else {
            web::messages::write
        };
        let written = write(
            lang,
            &web::messages::MessageFacts {
                kind: &message.kind,
                crime_reference: &crime_reference,
                helpline: &self.helpline,
                leaflet_url: &leaflet_url,
                to_nominated: recipient == Recipient::Nominated,
                discreet: record
                    .contact_agreement
                    .discreet_channels
                    .contains(&channel),
            },
            wordings,
        );
        let reference = format!("victimcare-message-{id}");
        let outgoing = Outgoing {
            to: &address,
            subject: &written.subject,
            body: &written.body,
            reference: &reference,
        };
        // SMTP says only that the server took it; Notify later says whether it arrived.
        let (sent, receipt_follows) = match (channel, &self.mailer, &self.notify) {
            (Channel::Email, Some(mailer), _) => {
                let email = Email {
                    to: address.clone(),
                    subject: written.subject.clone(),
                    body: written.body.clone(),
                    reference: reference.clone(),
                };
                (mailer.send(&email).await, false)
            }
            (Channel::Email, None, Some(notify)) => (
                send_once(notify, &message, &outgoing, Channel::Email).await,
                true,
            ),
            (Channel::Sms, _, Some(notify)) => (
                send_once(notify, &message, &outgoing, Channel::Sms).await,
                true,
            ),
            // A letter takes days to arrive and Notify reports little on the way: it counts as
            // told once Notify has it to print.
            (Channel::Letter, _, Some(notify)) => (
                send_once(notify, &message, &outgoing, Channel::Letter).await,
                false,
            ),
            // `decide` only offers the channels we can send on.
            _ => (
                Err(SendError::Permanent("no sender for this channel".into())),
                false,
            ),
        };
        match sent {
            Ok(provider_ref) => {
                let template = format!(
                    "{}@{}.{}",
                    message.kind,
                    web::messages::template_version(),
                    wordings.version
                );
                let outcome = MessageOutcome::Sent {
                    channel: channel.as_str(),
                    provider_ref: Some(&provider_ref),
                    template: &template,
                    language: lang.code(),
                };
                self.db.settle_message(id, &outcome, now).await?;
                if !receipt_follows {
                    let contact = match channel {
                        Channel::Letter => domain::contact::ContactChannel::Letter,
                        _ => domain::contact::ContactChannel::Email,
                    };
                    self.db.record_message_contact(id, contact, now).await?;
                }
                Ok(Done::Sent)
            }
            Err(e) => {
                // The provider's words may quote the address: only our own go in the log.
                tracing::warn!(
                    message_id = id,
                    attempt = message.attempts,
                    failure = e.kind(),
                    "sending a message failed"
                );
                let outcome = match e {
                    // Our key or our rate: the victim's message waits, without using up tries.
                    SendError::Blocked(_) => MessageOutcome::Wait {
                        until: now + TimeDelta::minutes(5),
                    },
                    SendError::AddressRefused(_) => {
                        // The address or number does not work: try the next safe way now.
                        self.db
                            .channel_failed(id, channel.as_str(), &address, now)
                            .await?;
                        return Ok(Done::Retrying);
                    }
                    SendError::Transient(_) if message.attempts < MAX_ATTEMPTS => {
                        MessageOutcome::Retry {
                            error: e.kind(),
                            at: now + backoff(message.attempts),
                        }
                    }
                    SendError::Transient(_) => MessageOutcome::Person {
                        reason: "the message could not be sent after many tries",
                    },
                    SendError::Permanent(_) => MessageOutcome::Person {
                        reason: "the provider would not take the message: check the service's settings",
                    },
                };
                let done = match outcome {
                    MessageOutcome::Retry { .. } => Done::Retrying,
                    MessageOutcome::Wait { .. } => Done::Waiting,
                    _ => Done::ToPerson,
                };
                self.db.settle_message(id, &outcome, now).await?;
                Ok(done)
            }
        }
    }

    /// Runs passes every `every` until the task is stopped.
    pub async fn run(self, every: std::time::Duration) {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match self.drain(Utc::now()).await {
                Ok(pass) if pass != Pass::default() => tracing::info!(
                    sent = pass.sent,
                    held = pass.held,
                    waiting = pass.waiting,
                    retrying = pass.retrying,
                    to_person = pass.to_person,
                    "notification pass"
                ),
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, "notification pass failed; retrying next time")
                }
            }
        }
    }
}

/// Sends through Notify, unless an earlier try already reached it: Notify does not refuse a
/// second message with the same reference, so after a crash or a timeout we ask first.
async fn send_once(
    notify: &NotifyClient,
    message: &DueMessage,
    outgoing: &Outgoing<'_>,
    channel: Channel,
) -> Result<String, SendError> {
    if message.attempts > 1
        && let Some(id) = notify.sent_before(outgoing.reference).await?
    {
        return Ok(id);
    }
    match channel {
        Channel::Sms => notify.send_sms(outgoing).await,
        Channel::Letter => notify.send_letter(outgoing).await,
        _ => notify.send_email(outgoing).await,
    }
}

/// 1, 2, 4 … minutes after each failed try, at most an hour.
fn backoff(attempts: i32) -> TimeDelta {
    let doubling = u32::try_from(attempts.clamp(1, 7) - 1).unwrap_or(0);
    TimeDelta::minutes(1_i64 << doubling).min(TimeDelta::hours(1))
}

#[cfg(test)]
mod tests {
    use super::backoff;
    use chrono::TimeDelta;

    #[test]
    fn waits_longer_after_each_failure_up_to_an_hour() {
        let waits: Vec<i64> = (1..=9).map(|a| backoff(a).num_minutes()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(backoff(0), TimeDelta::minutes(1));
    }
}
