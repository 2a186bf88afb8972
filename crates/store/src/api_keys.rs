//! API keys for the systems that call us. A key is shown once, when made; we keep its hash.

use crate::{Db, StoreError, with_pool, with_writer};
use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

const PREFIX: &str = "vck_";

/// A key just made: `secret` is shown to the operator once and never again.
#[derive(Debug)]
pub struct NewApiKey {
    pub api_key_id: i64,
    pub secret: String,
}

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiScope {
    /// The crime recording system: events, contacts, obligations, messages, reports.
    Feed,
    /// The telephony platform: incoming calls (screen-pop) and how they ended.
    Telephony,
    /// A support agency: its own referrals, nothing else.
    Agency,
}

impl ApiScope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Feed => "feed",
            Self::Telephony => "telephony",
            Self::Agency => "agency",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Feed, Self::Telephony, Self::Agency]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// Who called, once a key checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub api_key_id: i64,
    pub name: String,
    pub scope: ApiScope,
    /// For an `agency` key: the agency's id in the support directory.
    pub agency: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyInfo {
    pub api_key_id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

type KeyRow = (i64, String, DateTime<Utc>, Option<DateTime<Utc>>);

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

impl Db {
    /// A key for the crime recording system (`feed`).
    pub async fn create_api_key(
        &self,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<NewApiKey, StoreError> {
        self.create_scoped_api_key(name, ApiScope::Feed, now).await
    }

    pub async fn create_scoped_api_key(
        &self,
        name: &str,
        scope: ApiScope,
        now: DateTime<Utc>,
    ) -> Result<NewApiKey, StoreError> {
        self.create_key(name, scope, None, now).await
    }

    /// A key for one support agency (its id in the support directory).
    pub async fn create_agency_api_key(
        &self,
        name: &str,
        agency: &str,
        now: DateTime<Utc>,
    ) -> Result<NewApiKey, StoreError> {
        self.create_key(name, ApiScope::Agency, Some(agency), now)
            .await
    }

    async fn create_key(
        &self,
        name: &str,
        scope: ApiScope,
        agency: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<NewApiKey, StoreError> {
        let mut bytes = [0_u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let secret = format!("{PREFIX}{}", hex::encode(bytes));
        let api_key_id: i64 = with_writer!(self, |p| {
            sqlx::query_scalar(
                "INSERT INTO api_key (name, key_hash, created_at, scope, agency) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING api_key_id",
            )
            .bind(name)
            .bind(hash(&secret))
            .bind(now)
            .bind(scope.as_str())
            .bind(agency)
            .fetch_one(p)
            .await
        })?;
        Ok(NewApiKey { api_key_id, secret })
    }

    /// The key's owner if the key exists and is not revoked.
    pub async fn check_api_key(&self, secret: &str) -> Result<Option<ApiKey>, StoreError> {
        if !secret.starts_with(PREFIX) {
            return Ok(None);
        }
        let row: Option<(i64, String, String, Option<String>)> = with_pool!(self, |p| {
            sqlx::query_as(
                "SELECT api_key_id, name, scope, agency FROM api_key WHERE key_hash = $1 \
                 AND revoked_at IS NULL",
            )
            .bind(hash(secret))
            .fetch_optional(p)
            .await
        })?;
        // A scope we do not know (a newer version's) grants nothing here.
        Ok(row.and_then(|(api_key_id, name, scope, agency)| {
            ApiScope::parse(&scope).map(|scope| ApiKey {
                api_key_id,
                name,
                scope,
                agency,
            })
        }))
    }

    /// Revokes a key; answers whether there was a live key of that id.
    pub async fn revoke_api_key(
        &self,
        api_key_id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = with_writer!(self, |p| sqlx::query(
            "UPDATE api_key SET revoked_at = $1 WHERE api_key_id = $2 AND revoked_at IS NULL"
        )
        .bind(now)
        .bind(api_key_id)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    pub async fn list_api_keys(&self) -> Result<Vec<ApiKeyInfo>, StoreError> {
        let rows: Vec<KeyRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT api_key_id, name, created_at, revoked_at FROM api_key ORDER BY api_key_id"
        )
        .fetch_all(p)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(api_key_id, name, created_at, revoked_at)| ApiKeyInfo {
                api_key_id,
                name,
                created_at,
                revoked_at,
            })
            .collect())
    }
}
