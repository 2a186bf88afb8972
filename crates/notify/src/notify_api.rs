//! A client for GOV.UK Notify's API (and any service that speaks it): text messages and email,
//! authenticated with a short-lived JWT signed by the API key's secret. The words are ours:
//! each Notify template holds only `((subject))` and `((body))` placeholders, so a victim
//! reads exactly what the portal and the email say, in their language.

use crate::SendError;
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A configured Notify service.
#[derive(Clone)]
pub struct NotifyClient {
    http: reqwest::Client,
    base_url: String,
    service_id: String,
    secret: String,
    sms_template: String,
    email_template: String,
    letter_template: Option<String>,
}

/// Why the client could not be made from its settings.
#[derive(Debug, thiserror::Error)]
pub enum NotifyConfigError {
    #[error("api_key: must be a Notify API key (name, service id and secret, joined by dashes)")]
    ApiKey,
    #[error("base_url: {0}")]
    Http(String),
}

/// A text message or email to hand over.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    /// A phone number for a text, an address for an email.
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// Our message id: Notify's `reference`, so a retry after a timeout can be recognised.
    pub reference: &'a str,
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    iat: u64,
}

#[derive(Serialize)]
struct Personalisation<'a> {
    subject: &'a str,
    body: &'a str,
}

#[derive(Deserialize)]
struct Created {
    id: String,
}

impl NotifyClient {
    /// `api_key` as Notify issues it: `{name}-{service id}-{secret}`, both ids UUIDs.
    pub fn new(
        base_url: &str,
        api_key: &str,
        sms_template: &str,
        email_template: &str,
    ) -> Result<Self, NotifyConfigError> {
        // The last 73 characters are the service id, a dash and the secret (36 each).
        let tail = api_key
            .len()
            .checked_sub(73)
            .and_then(|start| api_key.get(start..))
            .ok_or(NotifyConfigError::ApiKey)?;
        let (service_id, secret) = (&tail[..36], &tail[37..]);
        if tail.as_bytes()[36] != b'-' {
            return Err(NotifyConfigError::ApiKey);
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| NotifyConfigError::Http(e.to_string()))?;
        Ok(Self {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            service_id: service_id.to_owned(),
            secret: secret.to_owned(),
            sms_template: sms_template.to_owned(),
            email_template: email_template.to_owned(),
            letter_template: None,
        })
    }

    /// A token for one request: Notify refuses ones more than 30 seconds old.
    fn token(&self) -> Result<String, SendError> {
        let iat = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|e| SendError::Transient(e.to_string()))?
            .as_secs();
        let key = jsonwebtoken::EncodingKey::from_secret(self.secret.as_bytes())
            .map_err(|e| SendError::Permanent(e.to_string()))?;
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
            &Claims {
                iss: &self.service_id,
                iat,
            },
            &key,
        )
        .map_err(|e| SendError::Permanent(e.to_string()))
    }

    /// Sends a text message; returns Notify's id for it.
    pub async fn send_sms(&self, message: &Outgoing<'_>) -> Result<String, SendError> {
        let body = serde_json::json!({
            "phone_number": message.to,
            "template_id": self.sms_template,
            "personalisation": Personalisation { subject: message.subject, body: message.body },
            "reference": message.reference,
        });
        self.post("/v2/notifications/sms", &body).await
    }

    /// Letters too, through this Notify template (it holds `((subject))` and `((body))`; Notify
    /// prints the address block itself).
    pub fn with_letters(mut self, letter_template: &str) -> Self {
        self.letter_template = Some(letter_template.to_owned()).filter(|t| !t.is_empty());
        self
    }

    /// Whether letters can be sent.
    pub fn sends_letters(&self) -> bool {
        self.letter_template.is_some()
    }

    /// Sends a letter; `message.to` is the address, a line each, the name first and the
    /// postcode last (Notify takes up to seven lines).
    pub async fn send_letter(&self, message: &Outgoing<'_>) -> Result<String, SendError> {
        let Some(template) = &self.letter_template else {
            return Err(SendError::Permanent("no letter template".into()));
        };
        let lines: Vec<&str> = message
            .to
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect();
        if lines.len() < 3 || lines.len() > 7 {
            return Err(SendError::AddressRefused(
                "an address needs 3 to 7 lines".into(),
            ));
        }
        let mut personalisation = serde_json::json!({
            "subject": message.subject, "body": message.body,
        });
        for (i, line) in lines.iter().enumerate() {
            personalisation[format!("address_line_{}", i + 1)] = serde_json::json!(line);
        }
        let body = serde_json::json!({
            "template_id": template,
            "personalisation": personalisation,
            "reference": message.reference,
        });
        self.post("/v2/notifications/letter", &body).await
    }

    /// Sends an email; returns Notify's id for it.
    pub async fn send_email(&self, message: &Outgoing<'_>) -> Result<String, SendError> {
        let body = serde_json::json!({
            "email_address": message.to,
            "template_id": self.email_template,
            "personalisation": Personalisation { subject: message.subject, body: message.body },
            "reference": message.reference,
        });
        self.post("/v2/notifications/email", &body).await
    }

    async fn post(&self, path: &str, body: &serde_json::Value) -> Result<String, SendError> {
        let response = self
            .http
            .post(format!("{}{path}", self.base_url))
            .bearer_auth(self.token()?)
            .json(body)
            .send()
            .await
            // Not answered (down, or too slow): it may have arrived, so the retry carries the
            // same reference.
            .map_err(|e| SendError::Transient(e.without_url().to_string()))?;
        let status = response.status();
        if status.is_success() {
            return response
                .json::<Created>()
                .await
                .map(|c| c.id)
                .map_err(|e| SendError::Transient(e.without_url().to_string()));
        }
        // Too many requests, or the service's own trouble: later. Anything else we sent is
        // wrong (a bad number, a bad key) and sending it again will not help.
        let said = format!("Notify answered {status}");
        // Notify names the field it refused; only the number or address is the victim's.
        let text = response.text().await.unwrap_or_default();
        let about_address = text.contains("phone_number")
            || text.contains("email_address")
            || text.contains("address_line")
            || text.contains("postcode");
        match status.as_u16() {
            // A refused key or a rate limit is ours, not the victim's number.
            401 | 403 | 429 => Err(SendError::Blocked(said)),
            _ if status.is_server_error() => Err(SendError::Transient(said)),
            400 if about_address => Err(SendError::AddressRefused(said)),
            _ => Err(SendError::Permanent(said)),
        }
    }
}

#[derive(Deserialize)]
struct Found {
    notifications: Vec<Created>,
}

impl NotifyClient {
    /// Notify's id for a message we sent before under `reference`, if it has one: asked
    /// before sending again after a crash or a timeout, because Notify does not refuse a
    /// second message with the same reference.
    pub async fn sent_before(&self, reference: &str) -> Result<Option<String>, SendError> {
        let response = self
            .http
            .get({
                let mut url = reqwest::Url::parse(&format!("{}/v2/notifications", self.base_url))
                    .map_err(|e| SendError::Permanent(e.to_string()))?;
                url.query_pairs_mut().append_pair("reference", reference);
                url
            })
            .bearer_auth(self.token()?)
            .send()
            .await
            .map_err(|e| SendError::Transient(e.without_url().to_string()))?;
        let status = response.status();
        if !status.is_success() {
            return Err(match status.as_u16() {
                401 | 403 | 429 => SendError::Blocked(format!("Notify answered {status}")),
                _ => SendError::Transient(format!("Notify answered {status}")),
            });
        }
        let found: Found = response
            .json()
            .await
            .map_err(|e| SendError::Transient(e.without_url().to_string()))?;
        Ok(found.notifications.into_iter().next().map(|n| n.id))
    }
}

/// A delivery receipt Notify posts to our callback address.
#[derive(Debug, Clone, Deserialize)]
pub struct DeliveryReceipt {
    /// Notify's id.
    pub id: String,
    /// Ours, as sent.
    pub reference: Option<String>,
    /// `delivered`, `permanent-failure`, `temporary-failure` or `technical-failure`.
    pub status: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "victimcare_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";

    #[test]
    fn reads_the_service_and_secret_from_the_key() {
        let c = NotifyClient::new("https://api.example/", KEY, "t-sms", "t-email").unwrap();
        assert_eq!(c.service_id, "26785a09-ab16-4eb0-8407-a37497a57506");
        assert_eq!(c.secret, "3d844edf-8d35-48ac-975b-e847b4f122b0");
        assert_eq!(c.base_url, "https://api.example");
        assert!(NotifyClient::new("https://api.example", "too-short", "a", "b").is_err());
    }

    #[test]
    fn signs_a_token_for_the_service() {
        let c = NotifyClient::new("https://api.example", KEY, "t-sms", "t-email").unwrap();
        let token = c.token().unwrap();
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        let claims = jsonwebtoken::decode::<serde_json::Value>(
            &token,
            &jsonwebtoken::DecodingKey::from_secret(b"3d844edf-8d35-48ac-975b-e847b4f122b0")
                .unwrap(),
            &validation,
        )
        .unwrap()
        .claims;
        assert_eq!(claims["iss"], "26785a09-ab16-4eb0-8407-a37497a57506");
    }
}
