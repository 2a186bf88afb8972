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
    /// Our side is wrong (a refused key, too many requests): it waits, without counting as a
    /// try against the victim's message, until someone fixes it or the limit passes.
    #[error("refused our service: {0}")]
    Blocked(String),
    /// The victim's address or number does not work (no such mailbox, not a valid number).
    #[error("the address was refused: {0}")]
    AddressRefused(String),
    /// Trying again will not help, and it is not the address (a bad template, a message the
    /// provider will not take): a person must look.
    #[error("permanent failure: {0}")]
    Permanent(String),
}

impl SendError {
    /// Our own words for the failure, fit to store: never the provider's text, which may quote
    /// the address.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Transient(_) => "temporary failure at the provider",
            Self::Blocked(_) => "the provider refused our service (key or rate limit)",
            Self::AddressRefused(_) => "the provider refused the address or number",
            Self::Permanent(_) => "refused by the provider",
        }
    }
}
