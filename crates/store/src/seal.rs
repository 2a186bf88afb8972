//! Field encryption: what the database holds about a victim (their details, the events that
//! carry them, the projection of each case, free text written about them) is sealed with
//! AES-256-GCM under a key that lives outside the database, so a dump or a stolen backup alone
//! reveals no one.
//!
//! A sealed value is text, `vc1:<key id>:<base64 of nonce ‖ ciphertext ‖ tag>`, so each value
//! names the key that sealed it and keys can be rotated while the service runs: a value under
//! a key this process has not seen makes it read its key file again. In JSON columns the text
//! is stored as a JSON string, which keeps the column's type on both databases. The column's
//! name is bound into each value (as associated data), so a value copied into another column
//! does not open.

use crate::StoreError;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

const PREFIX: &str = "vc1:";
const NONCE_LEN: usize = 12;

/// A column whose values are sealed, named as `table.column`: the name is bound into every
/// value, and [`SEALED_COLUMNS`] lets `keys rotate` and subject access find them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealedColumn {
    pub table: &'static str,
    /// The row's key, for resealing row by row.
    pub id: &'static str,
    pub column: &'static str,
    /// JSON columns hold the sealed text as a JSON string; text columns hold it as it is.
    pub json: bool,
    /// `table.column`, bound into every value.
    label: &'static str,
}

/// A sealed column, its label written out once at compile time.
macro_rules! sealed_column {
    ($json:expr, $table:literal, $id:literal, $column:literal) => {
        SealedColumn {
            table: $table,
            id: $id,
            column: $column,
            json: $json,
            label: concat!($table, ".", $column),
        }
    };
}

impl SealedColumn {
    /// `table.column`.
    pub fn label(&self) -> &'static str {
        self.label
    }
}

pub const VICTIM_DETAILS: SealedColumn = sealed_column!(true, "victim", "victim_id", "details");
pub const EVENT_PAYLOAD: SealedColumn = sealed_column!(true, "case_event", "event_id", "payload");
pub const CASE_STATE: SealedColumn = sealed_column!(true, "crime_case", "case_id", "state");
pub const FEEDBACK_COMMENT: SealedColumn =
    sealed_column!(false, "feedback", "feedback_id", "comment");
pub const TASK_PREFERRED_TIME: SealedColumn =
    sealed_column!(false, "task", "task_id", "preferred_time");
pub const REFERRAL_DECLINE_REASON: SealedColumn =
    sealed_column!(false, "referral", "referral_id", "decline_reason");
pub const REFERRAL_OUTCOME_NOTE: SealedColumn =
    sealed_column!(false, "referral", "referral_id", "outcome_note");
pub const CONTACT_LOG_FOLLOW_UP: SealedColumn =
    sealed_column!(false, "contact_log", "entry_id", "follow_up");
pub const TASK_OUTCOME: SealedColumn = sealed_column!(false, "task", "task_id", "outcome");
pub const PANEL_ACCESSIBILITY: SealedColumn =
    sealed_column!(false, "panel_member", "victim_id", "accessibility");
pub const PANEL_GENDER: SealedColumn = sealed_column!(false, "panel_member", "victim_id", "gender");
pub const PANEL_ETHNICITY: SealedColumn =
    sealed_column!(false, "panel_member", "victim_id", "ethnicity");
/// A needs assessment's answers: JSON, kept in a text column on both databases.
pub const ASSESSMENT_ANSWERS: SealedColumn =
    sealed_column!(false, "needs_assessment", "assessment_id", "answers");
pub const CONTACT_LOG_NOTE: SealedColumn = sealed_column!(false, "contact_log", "entry_id", "note");
/// A survey's free-text comment: kept even when the answers are anonymous, and a comment can
/// name the victim or someone else.
pub const SURVEY_COMMENT: SealedColumn =
    sealed_column!(false, "survey_response", "response_id", "comment");
/// A staff account's authenticator secret: with a copy of the database and the secret, anyone
/// could make that account's sign-in codes.
pub const STAFF_TOTP_SECRET: SealedColumn =
    sealed_column!(false, "staff_user", "user_id", "totp_secret");

/// Every sealed column. A new column holding personal data belongs here, and in the dump test.
pub const SEALED_COLUMNS: &[SealedColumn] = &[
    VICTIM_DETAILS,
    EVENT_PAYLOAD,
    CASE_STATE,
    CONTACT_LOG_NOTE,
    FEEDBACK_COMMENT,
    SURVEY_COMMENT,
    STAFF_TOTP_SECRET,
    TASK_PREFERRED_TIME,
    REFERRAL_DECLINE_REASON,
    REFERRAL_OUTCOME_NOTE,
    CONTACT_LOG_FOLLOW_UP,
    TASK_OUTCOME,
    PANEL_ACCESSIBILITY,
    PANEL_GENDER,
    PANEL_ETHNICITY,
    ASSESSMENT_ANSWERS,
];

/// One key and the id that names it: the first 8 hexadecimal characters of a SHA-256 of the
/// key, which reveals nothing about it and is the same on every instance given the same key.
#[derive(Clone)]
struct FieldKey {
    id: String,
    bytes: [u8; 32],
    cipher: Aes256Gcm,
}

impl FieldKey {
    fn new(bytes: [u8; 32]) -> Self {
        let mut id = Sha256::new();
        id.update(b"victimcare field key id\0");
        id.update(bytes);
        Self {
            id: hex::encode(&id.finalize()[..4]),
            cipher: Aes256Gcm::new(&bytes.into()),
            bytes,
        }
    }
}

/// The keys one instance holds: the last seals, every one opens.
#[derive(Clone)]
pub struct FieldKeys {
    keys: Vec<FieldKey>,
}

impl fmt::Debug for FieldKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the keys themselves: they would turn up in logs.
        f.debug_struct("FieldKeys")
            .field("ids", &self.ids())
            .finish()
    }
}

impl FieldKeys {
    /// Keys written as 64 hexadecimal characters each, one per line or separated by commas;
    /// blank lines and `#` comments are ignored. The last key is the one that seals.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut keys = Vec::new();
        for (n, item) in text
            .lines()
            .map(|l| l.split('#').next().unwrap_or(""))
            .flat_map(|l| l.split(','))
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .enumerate()
        {
            let bytes =
                hex::decode(item).map_err(|_| format!("key {} is not hexadecimal", n + 1))?;
            let bytes: [u8; 32] = bytes.try_into().map_err(|_| {
                format!("key {} must be 32 bytes (64 hexadecimal characters)", n + 1)
            })?;
            keys.push(FieldKey::new(bytes));
        }
        if keys.is_empty() {
            return Err("holds no key".into());
        }
        Ok(Self { keys })
    }

    /// One new random key.
    pub fn generate() -> Self {
        Self {
            keys: vec![FieldKey::new(random_key())],
        }
    }

    /// These keys with a new random key added last, which then seals.
    pub fn with_new_key(&self) -> Self {
        let mut keys = self.keys.clone();
        keys.push(FieldKey::new(random_key()));
        Self { keys }
    }

    /// The keys as the key file holds them, oldest first.
    pub fn to_text(&self) -> String {
        let mut text = String::from(
            "# victimcare field encryption keys, oldest first; the last one seals.\n\
             # Keep a copy apart from the database's backups: without it they cannot be read.\n",
        );
        for key in &self.keys {
            text.push_str(&hex::encode(key.bytes));
            text.push('\n');
        }
        text
    }

    pub fn active_id(&self) -> &str {
        &self.active().id
    }

    pub fn ids(&self) -> Vec<&str> {
        self.keys.iter().map(|k| k.id.as_str()).collect()
    }

    /// These keys without the one named `id`; refused for the key that seals.
    pub fn without(&self, id: &str) -> Result<Self, String> {
        if self.active_id() == id {
            return Err(format!("key {id} is the one that seals; rotate first"));
        }
        if !self.keys.iter().any(|k| k.id == id) {
            return Err(format!("there is no key {id}"));
        }
        Ok(Self {
            keys: self.keys.iter().filter(|k| k.id != id).cloned().collect(),
        })
    }

    fn active(&self) -> &FieldKey {
        // `parse` and `generate` never make an empty list.
        self.keys
            .last()
            .unwrap_or_else(|| unreachable!("a key list is never empty"))
    }

    fn find(&self, id: &str) -> Option<&FieldKey> {
        self.keys.iter().find(|k| k.id == id)
    }
}

fn random_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    key
}

/// Seals and opens values. Shared by every connection of a [`crate::Db`]; when the keys came
/// from a file it looks at the file again (at most every few seconds) so that a key added by
/// `victimcare keys rotate` is taken up by running instances without a restart.
pub struct Sealer {
    keys: RwLock<Arc<FieldKeys>>,
    file: Option<KeyFile>,
}

struct KeyFile {
    path: PathBuf,
    every: Duration,
    /// When the file was last looked at, and its modification time then.
    seen: Mutex<(Instant, Option<SystemTime>)>,
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealer")
            .field("keys", &self.keys())
            .field("file", &self.file.as_ref().map(|f| &f.path))
            .finish()
    }
}

/// How often an instance looks at its key file for a new key.
pub const KEY_FILE_CHECK: Duration = Duration::from_secs(5);

impl Sealer {
    /// Keys given once (from the settings or the environment): fixed for the process's life.
    pub fn new(keys: FieldKeys) -> Self {
        Self {
            keys: RwLock::new(Arc::new(keys)),
            file: None,
        }
    }

    /// Keys read from `path`, which is read again when it changes.
    pub fn from_file(path: &Path, every: Duration) -> Result<Self, String> {
        let (keys, modified) = read_key_file(path)?;
        Ok(Self {
            keys: RwLock::new(Arc::new(keys)),
            file: Some(KeyFile {
                path: path.to_owned(),
                every,
                seen: Mutex::new((Instant::now(), modified)),
            }),
        })
    }

    /// The keys held now.
    pub fn keys(&self) -> Arc<FieldKeys> {
        self.keys
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Where the keys came from, when it is a file.
    pub fn key_file(&self) -> Option<&Path> {
        self.file.as_ref().map(|f| f.path.as_path())
    }

    /// Reads the key file again if it changed; `force` skips the wait between looks.
    fn refresh(&self, force: bool) {
        let Some(file) = &self.file else { return };
        let mut seen = file.seen.lock().unwrap_or_else(|p| p.into_inner());
        if !force && seen.0.elapsed() < file.every {
            return;
        }
        seen.0 = Instant::now();
        let modified = std::fs::metadata(&file.path)
            .and_then(|m| m.modified())
            .ok();
        if !force && modified == seen.1 {
            return;
        }
        match read_key_file(&file.path) {
            Ok((keys, modified)) => {
                seen.1 = modified;
                let current = self.keys();
                // A key the file no longer lists is kept until the process restarts: values
                // sealed under it may still be in flight, and unreadable data helps no one.
                let kept: Vec<FieldKey> = current
                    .keys
                    .iter()
                    .filter(|k| keys.find(&k.id).is_none())
                    .cloned()
                    .collect();
                if !kept.is_empty() {
                    tracing::warn!(
                        keys = kept.len(),
                        "the key file no longer lists keys held; they are kept until restart"
                    );
                }
                if keys.active_id() != current.active_id() {
                    tracing::info!(key = keys.active_id(), "field encryption key changed");
                }
                let mut merged = kept;
                merged.extend(keys.keys);
                *self.keys.write().unwrap_or_else(|p| p.into_inner()) =
                    Arc::new(FieldKeys { keys: merged });
            }
            Err(problem) => {
                tracing::error!(path = %file.path.display(), problem, "the key file cannot be read; the keys held are kept");
            }
        }
    }

    /// The id of the key that seals now.
    pub fn active_id(&self) -> String {
        self.refresh(false);
        self.keys().active_id().to_owned()
    }

    /// Seals `plain` for `column`: `vc1:<key id>:<base64>`.
    pub fn seal(&self, column: SealedColumn, plain: &[u8]) -> String {
        self.refresh(false);
        let keys = self.keys();
        let key = keys.active();
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let label = column.label();
        let sealed = key
            .cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plain,
                    aad: label.as_bytes(),
                },
            )
            // AES-GCM fails only for messages over 64 GiB.
            .unwrap_or_else(|_| unreachable!("a field is far below AES-GCM's limit"));
        let mut bytes = Vec::with_capacity(NONCE_LEN + sealed.len());
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&sealed);
        let mut out = String::with_capacity(PREFIX.len() + 9 + bytes.len() * 4 / 3 + 4);
        out.push_str(PREFIX);
        out.push_str(&key.id);
        out.push(':');
        URL_SAFE_NO_PAD.encode_string(&bytes, &mut out);
        out
    }

    /// The sealed form of a text column's value.
    pub fn seal_text(&self, column: SealedColumn, plain: &str) -> String {
        self.seal(column, plain.as_bytes())
    }

    /// The value of a JSON column, ready to bind: `value` serialised and sealed, as a JSON
    /// string (JSONB on PostgreSQL, text on SQLite).
    pub fn seal_json<T: Serialize + ?Sized>(&self, column: SealedColumn, value: &T) -> StoredJson {
        let text = self.seal_json_text(column, value);
        sqlx::types::Json(
            serde_json::value::RawValue::from_string(text)
                .unwrap_or_else(|_| unreachable!("a quoted base64 string is JSON")),
        )
    }

    /// The same as JSON text, for bulk paths that send text (PostgreSQL's COPY and arrays).
    pub fn seal_json_text<T: Serialize + ?Sized>(&self, column: SealedColumn, value: &T) -> String {
        let plain = serde_json::to_vec(value)
            .unwrap_or_else(|_| unreachable!("our types always serialise"));
        self.seal_stored(column, &plain)
    }

    /// `plain` sealed as `column` stores it: as it is in a text column, as a JSON string in a
    /// JSON column (base64 and the prefix need no escaping).
    pub fn seal_stored(&self, column: SealedColumn, plain: &[u8]) -> String {
        let sealed = self.seal(column, plain);
        if !column.json {
            return sealed;
        }
        let mut out = String::with_capacity(sealed.len() + 2);
        out.push('"');
        out.push_str(&sealed);
        out.push('"');
        out
    }

    /// Opens a sealed value; `stored` without the prefix was written before sealing began and
    /// is returned as it is.
    pub fn open(&self, column: SealedColumn, stored: &str) -> Result<Vec<u8>, SealError> {
        let Some(rest) = stored.strip_prefix(PREFIX) else {
            return Ok(stored.as_bytes().to_vec());
        };
        let (id, body) = rest.split_once(':').ok_or(SealError::Damaged)?;
        // Only an id as we make them is ever named in an error: anything else in that place
        // could be stored text.
        if id.len() != 8 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(SealError::Damaged);
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| SealError::Damaged)?;
        if bytes.len() < NONCE_LEN + 16 {
            return Err(SealError::Damaged);
        }
        let mut keys = self.keys();
        if keys.find(id).is_none() {
            self.refresh(true);
            keys = self.keys();
        }
        let key = keys
            .find(id)
            .ok_or_else(|| SealError::UnknownKey(id.to_owned()))?;
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| SealError::Damaged)?;
        let label = column.label();
        key.cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: label.as_bytes(),
                },
            )
            .map_err(|_| SealError::Damaged)
    }

    /// Opens a text column's value.
    pub fn open_text(&self, column: SealedColumn, stored: &str) -> Result<String, SealError> {
        String::from_utf8(self.open(column, stored)?).map_err(|_| SealError::Damaged)
    }

    /// Opens a JSON column's value (a sealed JSON string, or JSON written before sealing) and
    /// returns the JSON text inside.
    pub fn open_json_text(&self, column: SealedColumn, stored: &str) -> Result<String, SealError> {
        let trimmed = stored.trim_start();
        if trimmed.starts_with("\"vc1:") {
            let inner: String = serde_json::from_str(trimmed).map_err(|_| SealError::Damaged)?;
            self.open_text(column, &inner)
        } else {
            Ok(stored.to_owned())
        }
    }

    /// Opens a JSON column's value and reads it as `T`.
    pub fn open_json<T: DeserializeOwned>(
        &self,
        column: SealedColumn,
        stored: &str,
    ) -> Result<T, SealError> {
        let text = self.open_json_text(column, stored)?;
        serde_json::from_str(&text).map_err(|e| SealError::unreadable(&e))
    }
}

/// A JSON column as read: sealed or (written before sealing) plain.
pub type StoredJson = sqlx::types::Json<Box<serde_json::value::RawValue>>;

impl Sealer {
    /// A victim's details as stored in `victim.details`.
    pub(crate) fn victim(
        &self,
        victim_id: i64,
        stored: &StoredJson,
    ) -> Result<domain::victim::VictimRecord, StoreError> {
        self.open_json(VICTIM_DETAILS, stored.0.get())
            .map_err(|e| e.at("victim", victim_id))
    }

    /// A case's projection as stored in `crime_case.state`.
    pub(crate) fn state(
        &self,
        case_id: i64,
        stored: &StoredJson,
    ) -> Result<domain::CaseState, StoreError> {
        self.open_json(CASE_STATE, stored.0.get())
            .map_err(|e| e.at("case", case_id))
    }
}

/// The key id of a stored value (`None` for a value written before sealing).
pub fn key_id_of(stored: &str) -> Option<&str> {
    let s = stored.trim_start().trim_start_matches('"');
    let rest = s.strip_prefix(PREFIX)?;
    rest.split_once(':').map(|(id, _)| id)
}

fn read_key_file(path: &Path) -> Result<(FieldKeys, Option<SystemTime>), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let keys = FieldKeys::parse(&text).map_err(|e| format!("{} {e}", path.display()))?;
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    Ok((keys, modified))
}

/// Why a sealed value would not open. Never carries the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("sealed under key {0}, which this instance does not hold")]
    UnknownKey(String),
    #[error("damaged, or sealed for another column")]
    Damaged,
    #[error("opened, but not readable: {0}")]
    Unreadable(String),
}

impl SealError {
    /// A value that opened but does not read as what it should be: where, never serde's own
    /// message, which quotes the text it could not read.
    pub fn unreadable(e: &serde_json::Error) -> Self {
        Self::Unreadable(format!(
            "{:?} at line {} column {}",
            e.classify(),
            e.line(),
            e.column()
        ))
    }

    /// A short name of the failure, for logs (never the value).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::UnknownKey(_) => "unknown key",
            Self::Damaged => "damaged",
            Self::Unreadable(_) => "unreadable",
        }
    }

    /// As a store error naming the row.
    pub(crate) fn at(self, what: &'static str, id: i64) -> StoreError {
        StoreError::Corrupt {
            what,
            id,
            problem: self.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_and_names_its_key() {
        let keys = FieldKeys::generate();
        let id = keys.active_id().to_owned();
        let sealer = Sealer::new(keys);
        let sealed = sealer.seal_text(CONTACT_LOG_NOTE, "Jane rang about her bail");
        assert!(sealed.starts_with(&format!("vc1:{id}:")), "{sealed}");
        assert!(!sealed.contains("Jane"));
        assert_eq!(key_id_of(&sealed), Some(id.as_str()));
        assert_eq!(
            sealer.open_text(CONTACT_LOG_NOTE, &sealed).unwrap(),
            "Jane rang about her bail"
        );
        // The same words sealed twice differ: a dump does not show which notes are alike.
        assert_ne!(
            sealed,
            sealer.seal_text(CONTACT_LOG_NOTE, "Jane rang about her bail")
        );
    }

    #[test]
    fn a_value_moved_to_another_column_or_altered_does_not_open() {
        let sealer = Sealer::new(FieldKeys::generate());
        let sealed = sealer.seal_json_text(VICTIM_DETAILS, &serde_json::json!({"name": "Jane"}));
        assert_eq!(
            sealer.open_json_text(EVENT_PAYLOAD, &sealed),
            Err(SealError::Damaged)
        );
        let mut altered = sealed.clone().into_bytes();
        let at = altered.len() - 5;
        altered[at] = if altered[at] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap();
        assert_eq!(
            sealer.open_json_text(VICTIM_DETAILS, &altered),
            Err(SealError::Damaged)
        );
        let opened: serde_json::Value = sealer.open_json(VICTIM_DETAILS, &sealed).unwrap();
        assert_eq!(opened["name"], "Jane");
    }

    #[test]
    fn values_from_before_sealing_read_as_they_are() {
        let sealer = Sealer::new(FieldKeys::generate());
        let v: serde_json::Value = sealer.open_json(VICTIM_DETAILS, r#"{"a":1}"#).unwrap();
        assert_eq!(v["a"], 1);
        assert_eq!(
            sealer.open_text(CONTACT_LOG_NOTE, "plain").unwrap(),
            "plain"
        );
    }

    #[test]
    fn an_old_key_still_opens_and_an_unknown_one_is_named() {
        let old = FieldKeys::generate();
        let sealed = Sealer::new(old.clone()).seal_text(CONTACT_LOG_NOTE, "x");
        let rotated = old.with_new_key();
        assert_ne!(rotated.active_id(), old.active_id());
        let sealer = Sealer::new(rotated.clone());
        assert_eq!(sealer.open_text(CONTACT_LOG_NOTE, &sealed).unwrap(), "x");
        assert_eq!(
            key_id_of(&sealer.seal_text(CONTACT_LOG_NOTE, "x")),
            Some(rotated.active_id())
        );
        let stranger = Sealer::new(FieldKeys::generate());
        assert_eq!(
            stranger.open_text(CONTACT_LOG_NOTE, &sealed),
            Err(SealError::UnknownKey(old.active_id().to_owned()))
        );
    }

    #[test]
    fn a_key_added_to_the_file_is_taken_up() {
        let dir = tempfile_dir();
        let path = dir.join("field.keys");
        let first = FieldKeys::generate();
        std::fs::write(&path, first.to_text()).unwrap();
        let running = Sealer::from_file(&path, Duration::ZERO).unwrap();
        let rotated = first.with_new_key();
        std::fs::write(&path, rotated.to_text()).unwrap();
        // Another instance seals under the new key; this one opens it and then seals with it.
        let other = Sealer::new(rotated.clone());
        let sealed = other.seal_text(CONTACT_LOG_NOTE, "y");
        assert_eq!(running.open_text(CONTACT_LOG_NOTE, &sealed).unwrap(), "y");
        assert_eq!(running.active_id(), rotated.active_id());
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn key_lists_are_checked() {
        assert!(FieldKeys::parse("").is_err());
        assert!(FieldKeys::parse("zz").unwrap_err().contains("hexadecimal"));
        assert!(FieldKeys::parse("abcd").unwrap_err().contains("32 bytes"));
        let two = format!("# c\n{}\n{}\n", "11".repeat(32), "22".repeat(32));
        let keys = FieldKeys::parse(&two).unwrap();
        assert_eq!(keys.ids().len(), 2);
        assert_eq!(FieldKeys::parse(&keys.to_text()).unwrap().ids(), keys.ids());
        assert!(keys.without(keys.active_id()).is_err());
        let first = keys.ids()[0].to_owned();
        assert_eq!(keys.without(&first).unwrap().ids().len(), 1);
        assert!(!format!("{keys:?}").contains(&"11".repeat(32)));
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("vc-seal-{:016x}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
