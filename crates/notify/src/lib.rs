//! victimcare's channels to victims. Each channel is a real adapter with one job: hand a
//! message that is already decided and written to the provider, and say how that went in
//! terms the worker can act on (sent, try again later, or never). Deciding whether a message
//! may go, and its words, happens before (see `domain::delivery`).

pub mod notify_api;
pub mod smtp;

pub use notify_api::{DeliveryReceipt, NotifyClient, Outgoing};
pub use smtp::{Email, SmtpMailer};

/// Why a message was not handed over.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later (the server is down, busy, or said "try later").
    #[error("temporary failure: {0}")]
    Transient(String),
    /// Trying again will not help (the address was refused, the message is malformed).
    #[error("permanent failure: {0}")]
    Permanent(String),
}

impl SendError {
    /// Our own words for the failure, fit to store: never the provider's text, which may quote
    /// the address.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Transient(_) => "temporary failure at the provider",
            Self::Permanent(_) => "refused by the provider",
        }
    }
}
