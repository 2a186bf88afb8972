//! Email over SMTP with lettre.

use crate::SendError;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// A plain-text email, written and addressed.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// Our message id: the email's Message-ID, so that a resend can be recognised.
    pub reference: String,
}

/// Sends through one SMTP server, keeping a small pool of connections.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// Why a mailer could not be made from its settings.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("smtp_url: {0}")]
    Url(String),
    #[error("from: {0}")]
    From(String),
}

impl SmtpMailer {
    /// `url` as lettre reads it: `smtp://host:port` (plain, for a relay on the same network),
    /// `smtp://host:587?tls=required` (STARTTLS) or `smtps://host:465`, with
    /// `user:password@` if the server wants it. `from` is a mailbox such as
    /// `Victim Care <updates@force.example>`.
    pub fn new(url: &str, from: &str) -> Result<Self, ConfigError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| ConfigError::Url(e.to_string()))?
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| ConfigError::From(e.to_string()))?;
        Ok(Self { transport, from })
    }

    /// Hands the email to the server; the server's reply code is the provider reference.
    pub async fn send(&self, email: &Email) -> Result<String, SendError> {
        let to = email
            .to
            .parse::<Mailbox>()
            .map_err(|_| SendError::AddressRefused("the address is not valid".into()))?;
        let host = self.from.email.domain().to_owned();
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .message_id(Some(format!("<{}@{host}>", email.reference)))
            .header(ContentType::TEXT_PLAIN)
            .body(email.body.clone())
            .map_err(|e| SendError::Permanent(e.to_string()))?;
        match self.transport.send(message).await {
            Ok(response) => Ok(response.code().to_string()),
            // 550, 551 and 553 are about the mailbox; other refusals are about us.
            Err(e)
                if e.status()
                    .is_some_and(|c| matches!(c.to_string().as_str(), "550" | "551" | "553")) =>
            {
                Err(SendError::AddressRefused(e.to_string()))
            }
            Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Err(e) => Err(SendError::Transient(e.to_string())),
        }
    }
}
