//! Configuration: built-in defaults, then an optional TOML file, then `VICTIMCARE_…`
//! environment variables (nested keys joined by `__`), then command-line flags.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::Path;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/victimcare.db";
pub const DEFAULT_CONFIG_FILE: &str = "victimcare.toml";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Settings {
    /// `sqlite://PATH` or `postgres://…`.
    pub database_url: String,
    pub server: ServerSettings,
    pub log: LogSettings,
    pub web: WebSettings,
    pub scheduler: SchedulerSettings,
    #[serde(default)]
    pub notify: NotifySettings,
    #[serde(default)]
    pub security: SecuritySettings,
    #[serde(default)]
    pub telephony: TelephonySettings,
    /// Staff single sign-on (OpenID Connect); off unless `issuer_url` is set.
    #[serde(default)]
    pub sso: SsoSettings,
    #[serde(default)]
    pub support: SupportSettings,
    #[serde(default)]
    pub surveys: SurveySettings,
    /// The helpline's service standard and staffing plans; burglary attendance chases.
    #[serde(default)]
    pub capacity: store::CapacityPolicy,
    #[serde(default)]
    pub retention: RetentionSettings,
}

/// How long personal data is kept.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionSettings {
    /// A victim's personal data is erased this many years after the last of their cases
    /// closed (unless a legal hold is on one of them). Cases, obligations and anonymous
    /// answers stay for the statistics.
    pub personal_data_years: i64,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        Self {
            personal_data_years: 6,
        }
    }
}

/// Referrals to support agencies.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct SupportSettings {
    /// Crime types (as in events: `burglary_residential`, `theft`, ...) referred to support
    /// unless the victim objects. Empty by default: every referral needs the victim's consent,
    /// the safe choice until a force decides otherwise. Never applies to domestic abuse.
    pub opt_out_offences: Vec<String>,
    /// A referral an agency has not answered in this many hours becomes a task.
    pub chase_after_hours: i64,
}

impl Default for SupportSettings {
    fn default() -> Self {
        Self {
            opt_out_offences: Vec::new(),
            chase_after_hours: 48,
        }
    }
}

/// The satisfaction survey.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct SurveySettings {
    /// When victims are invited: `six_weeks` (after the report), `charge_decision`,
    /// `case_ended`. Empty turns invitations off.
    pub moments: Vec<String>,
}

impl Default for SurveySettings {
    fn default() -> Self {
        Self {
            moments: store::SurveyMoment::ALL
                .iter()
                .map(|m| m.as_str().to_owned())
                .collect(),
        }
    }
}

impl SupportSettings {
    pub fn opt_out_offences(&self) -> anyhow::Result<Vec<domain::OffenceCategory>> {
        self.opt_out_offences
            .iter()
            .map(|o| {
                domain::OffenceCategory::parse(o).ok_or_else(|| {
                    anyhow::anyhow!("support.opt_out_offences: `{o}` is not a crime type we know")
                })
            })
            .collect()
    }
}

impl SurveySettings {
    pub fn moments(&self) -> anyhow::Result<Vec<store::SurveyMoment>> {
        self.moments
            .iter()
            .map(|m| {
                store::SurveyMoment::parse(m).ok_or_else(|| {
                    anyhow::anyhow!(
                        "surveys.moments: `{m}` is not a moment (six_weeks, charge_decision, case_ended)"
                    )
                })
            })
            .collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SsoSettings {
    /// The provider's issuer, e.g. `https://login.microsoftonline.com/TENANT/v2.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer_url: Option<String>,
    #[serde(default)]
    pub client_id: String,
    /// Keep it out of the file: `VICTIMCARE_SSO__CLIENT_SECRET`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// `preferred_username` or `email`: the claim matched to staff sign-in names.
    pub username_claim: String,
    /// The force's own domain: names under it match the part before `@`; names under any
    /// other domain match nobody. Unset: the whole claim is the sign-in name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Refuse sign-ins whose token does not say multi-factor authentication was used.
    pub require_mfa: bool,
}

impl Default for SsoSettings {
    fn default() -> Self {
        Self {
            issuer_url: None,
            client_id: String::new(),
            client_secret: None,
            username_claim: "preferred_username".into(),
            domain: None,
            require_mfa: true,
        }
    }
}

/// Keys and sessions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SecuritySettings {
    /// The key of the search digests (phone, email, date of birth), as 64 hexadecimal
    /// characters. Keep it out of the file: `VICTIMCARE_SECURITY__LOOKUP_KEY`. Every instance
    /// on one database needs the same key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup_key: Option<String>,
    /// Without `lookup_key`, the key is read from this file, which is made (readable by its
    /// owner only) on first use.
    pub lookup_key_file: std::path::PathBuf,
    /// The keys that seal victims' personal data in the database (AES-256-GCM), 64
    /// hexadecimal characters each, separated by commas, the last one sealing. Keep them out of
    /// the file: `VICTIMCARE_SECURITY__FIELD_KEYS`. Every instance on one database needs them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_keys: Option<String>,
    /// Without `field_keys`, the keys are read from this file, made (readable by its owner
    /// only, with one new key) on first use. `victimcare keys rotate` adds a key to it, and
    /// running instances take it up within seconds.
    pub field_keys_file: std::path::PathBuf,
    /// Minutes a staff session may go unused before it ends.
    pub staff_idle_minutes: i64,
}

impl Default for SecuritySettings {
    fn default() -> Self {
        Self {
            lookup_key: None,
            lookup_key_file: "data/lookup.key".into(),
            field_keys: None,
            field_keys_file: "data/field.keys".into(),
            staff_idle_minutes: 30,
        }
    }
}

/// The telephony platform (phone menu webhooks).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct TelephonySettings {
    /// The platform's auth token, which signs its webhooks: `VICTIMCARE_TELEPHONY__AUTH_TOKEN`.
    /// Without it the phone menu is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_token: Option<String>,
    /// Once the caller is known, the menu speaks their language if the platform has a voice
    /// for it: language code (as in the translation files) to the platform's voice language,
    /// e.g. `cy = "cy-GB"`, `pl = "pl-PL"`. Unlisted languages are spoken in English.
    #[serde(default)]
    pub voices: std::collections::HashMap<String, String>,
}

/// Messages to victims.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NotifySettings {
    /// The SMTP server email goes through (`smtp://host:port`, `smtp://host:587?tls=required`,
    /// `smtps://user:password@host`). Without it nothing is sent: messages wait in the outbox.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_url: Option<String>,
    /// The sender of emails.
    pub from: String,
    /// Seconds between passes of the worker inside `serve`; 0 turns it off in this instance.
    pub interval_seconds: u64,
    /// Seconds a worker holds the messages it claimed; after that, if it died, another sends
    /// them (with the same reference, so a provider that honours it sends each once).
    #[serde(default = "default_lease")]
    pub lease_seconds: u64,
    /// The circuit breaker: more than `burst_limit` messages of one kind queued within
    /// `burst_window_minutes` are held until a supervisor releases or discards them
    /// (`victimcare outbox holds|release|discard`).
    #[serde(default = "default_burst_limit")]
    pub burst_limit: i64,
    #[serde(default = "default_burst_window")]
    pub burst_window_minutes: i64,
    /// Sends in flight at once, per worker.
    #[serde(default = "default_concurrency")]
    pub concurrency: usize,
    /// A GOV.UK Notify (or compatible) API key: text messages, and email when there is no
    /// SMTP server. Keep it out of the file: `VICTIMCARE_NOTIFY__API_KEY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    pub api_url: String,
    /// The Notify templates that carry our words: each holds only `((subject))` and `((body))`.
    #[serde(default)]
    pub sms_template: String,
    #[serde(default)]
    pub email_template: String,
    /// Letters go only when this is set.
    #[serde(default)]
    pub letter_template: String,
    /// The bearer token Notify sends with delivery receipts (set the same in Notify's
    /// callback settings). Without it, receipts are refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_token: Option<String>,
}

impl Default for NotifySettings {
    fn default() -> Self {
        Self {
            smtp_url: None,
            from: "Victim Care <updates@victimcare.invalid>".into(),
            interval_seconds: 5,
            lease_seconds: default_lease(),
            burst_limit: default_burst_limit(),
            burst_window_minutes: default_burst_window(),
            concurrency: default_concurrency(),
            api_key: None,
            api_url: "https://api.notifications.service.gov.uk".into(),
            sms_template: String::new(),
            email_template: String::new(),
            letter_template: String::new(),
            callback_token: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SchedulerSettings {
    /// Seconds between scheduler passes inside `serve` (breaches, tasks, periodic updates);
    /// 0 turns the scheduler off in this instance. Any number of instances may run it.
    pub interval_seconds: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ServerSettings {
    pub bind: SocketAddr,
    /// The reverse proxies (addresses or networks, `10.0.0.5`, `10.1.0.0/16`) whose
    /// `X-Forwarded-For` header names the client, for the per-address limits on guessing.
    /// Empty: every request's client is the address it came from.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LogSettings {
    pub format: LogFormat,
    /// A tracing filter, such as `info` or `victimcare=debug,info`. `RUST_LOG` wins over it.
    pub level: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WebSettings {
    /// Serve the demonstration case list at `/cases` (no personal data, but not for production).
    pub public_case_list: bool,
    /// Largest ingest request body, in bytes.
    pub max_ingest_body: usize,
    /// The address victims reach this service at, for the links and QR codes we hand out.
    pub public_url: String,
    /// The helpline's phone number, printed on victims' cards.
    #[serde(default = "default_helpline")]
    pub helpline: String,
    /// The leaflet's support directory (TOML); the built-in London one when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_directory: Option<std::path::PathBuf>,
}

fn default_lease() -> u64 {
    300
}

fn default_burst_limit() -> i64 {
    1000
}

fn default_burst_window() -> i64 {
    15
}

fn default_concurrency() -> usize {
    256
}

/// Police non-emergency, which reaches every force in England and Wales: right until a force
/// sets its own victims' helpline.
fn default_helpline() -> String {
    "101".into()
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: DEFAULT_DATABASE_URL.into(),
            server: ServerSettings {
                bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
                trusted_proxies: Vec::new(),
            },
            log: LogSettings {
                format: LogFormat::Human,
                level: "info".into(),
            },
            web: WebSettings {
                public_case_list: false,
                max_ingest_body: web::WebConfig::default().max_ingest_body,
                public_url: "http://127.0.0.1:8080".into(),
                helpline: default_helpline(),
                support_directory: None,
            },
            scheduler: SchedulerSettings {
                interval_seconds: 60,
            },
            notify: NotifySettings::default(),
            security: SecuritySettings::default(),
            telephony: TelephonySettings::default(),
            sso: SsoSettings::default(),
            support: SupportSettings::default(),
            surveys: SurveySettings::default(),
            capacity: store::CapacityPolicy::default(),
            retention: RetentionSettings::default(),
        }
    }
}

/// The settings the environment may set: `VICTIMCARE_` and the path, `.` written `__`
/// (`security.field_keys` is `VICTIMCARE_SECURITY__FIELD_KEYS`). The rest only the file sets.
const FROM_ENV: &[&str] = &[
    "database_url",
    "server.bind",
    "server.trusted_proxies",
    "log.format",
    "log.level",
    "web.public_case_list",
    "web.max_ingest_body",
    // The address in victims' links and QR codes: set per deployment.
    "web.public_url",
    "web.helpline",
    "web.support_directory",
    "retention.personal_data_years",
    "notify.smtp_url",
    "notify.api_key",
    "notify.api_url",
    "notify.callback_token",
    "notify.sms_template",
    "notify.email_template",
    "notify.letter_template",
    "notify.interval_seconds",
    "scheduler.interval_seconds",
    "notify.lease_seconds",
    "notify.burst_limit",
    "security.lookup_key",
    "security.lookup_key_file",
    "security.field_keys",
    "security.field_keys_file",
    "security.staff_idle_minutes",
    "telephony.auth_token",
    "sso.issuer_url",
    "sso.client_id",
    "sso.client_secret",
    "sso.require_mfa",
    "sso.domain",
];

/// The `VICTIMCARE_…__…` variables that are set but set nothing: a misspelling, or a setting
/// only the file holds. Named at start-up so that a key an operator believes is in use is not
/// silently missing. Names only: the values may be secrets.
pub fn ignored_env() -> Vec<String> {
    std::env::vars_os()
        .filter_map(|(name, _)| name.into_string().ok())
        .filter(|name| {
            name.strip_prefix("VICTIMCARE_").is_some_and(|path| {
                path.contains("__")
                    && !FROM_ENV.contains(&path.to_lowercase().replace("__", ".").as_str())
            })
        })
        .collect()
}

impl Settings {
    /// Reads the settings. `file` is the TOML file to read; without one, `victimcare.toml` in
    /// the working directory is read if it exists. A file named explicitly must exist.
    pub fn load(file: Option<&Path>) -> Result<Self, Box<figment::Error>> {
        let mut figment = Figment::from(Serialized::defaults(Self::default()));
        match file {
            Some(path) => {
                if !path.exists() {
                    return Err(Box::new(figment::Error::from(format!(
                        "the configuration file {} does not exist",
                        path.display()
                    ))));
                }
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file(DEFAULT_CONFIG_FILE)),
        }
        figment
            .merge(Env::prefixed("VICTIMCARE_").split("__").only(FROM_ENV))
            .extract()
            .map_err(Box::new)
    }

    /// The notification worker, if this instance has a channel to send on.
    pub fn worker(&self, db: store::Db) -> anyhow::Result<Option<crate::worker::Worker>> {
        let n = &self.notify;
        let mailer = n
            .smtp_url
            .as_deref()
            .map(|url| notify::SmtpMailer::new(url, &n.from))
            .transpose()
            .map_err(|e| anyhow::anyhow!("[notify] {e}"))?;
        let api = n
            .api_key
            .as_deref()
            .map(|key| {
                notify::NotifyClient::new(&n.api_url, key, &n.sms_template, &n.email_template)
            })
            .transpose()
            .map_err(|e| anyhow::anyhow!("[notify] {e}"))?;
        if mailer.is_none() && api.is_none() {
            return Ok(None);
        }
        Ok(Some(crate::worker::Worker {
            db,
            mailer,
            notify: api,
            helpline: self.web.helpline.clone(),
            public_url: self.web.public_url.clone(),
            lease: chrono::TimeDelta::seconds(i64::try_from(n.lease_seconds.max(1)).unwrap_or(300)),
            burst: crate::worker::Burst {
                limit: n.burst_limit.max(1),
                window: chrono::TimeDelta::minutes(n.burst_window_minutes.max(1)),
            },
            concurrency: n.concurrency.max(1),
        }))
    }

    /// The web layer's settings, reading the support directory file if one is named.
    pub fn web_config(&self) -> anyhow::Result<web::WebConfig> {
        let support_directory = match &self.web.support_directory {
            None => web::leaflet::support::SupportDirectory::builtin(),
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    anyhow::anyhow!("cannot read the support directory {}: {e}", path.display())
                })?;
                web::leaflet::support::SupportDirectory::parse(&text).map_err(|e| {
                    anyhow::anyhow!("the support directory {} is not valid: {e}", path.display())
                })?
            }
        };
        Ok(web::WebConfig {
            public_case_list: self.web.public_case_list,
            max_ingest_body: self.web.max_ingest_body,
            support_directory: std::sync::Arc::new(support_directory),
            notify_callback_token: self.notify.callback_token.clone(),
            staff_idle: chrono::TimeDelta::minutes(
                self.security.staff_idle_minutes.clamp(1, 24 * 60),
            ),
            ivr_auth_token: self.telephony.auth_token.clone(),
            ivr_voices: self.telephony.voices.clone(),
            public_url: self.web.public_url.trim_end_matches('/').to_owned(),
            sso: self.sso.issuer_url.as_ref().map(|issuer| {
                std::sync::Arc::new(web::console::sso::SsoConfig {
                    issuer_url: issuer.clone(),
                    client_id: self.sso.client_id.clone(),
                    client_secret: self.sso.client_secret.clone(),
                    username_claim: self.sso.username_claim.clone(),
                    domain: self.sso.domain.clone(),
                    require_mfa: self.sso.require_mfa,
                })
            }),
            opt_out_offences: self.support.opt_out_offences()?,
            capacity: {
                self.capacity
                    .check()
                    .map_err(|p| anyhow::anyhow!("{}: {}", p.field, p.problem))?;
                std::sync::Arc::new(self.capacity.clone())
            },
            trusted_proxies: self
                .server
                .trusted_proxies
                .iter()
                .map(|p| {
                    web::client_address::parse_proxy(p).ok_or_else(|| {
                        anyhow::anyhow!(
                            "server.trusted_proxies: {p:?} is not an address (10.0.0.5) or a \
                             network (10.1.0.0/16)"
                        )
                    })
                })
                .collect::<anyhow::Result<_>>()?,
        })
    }

    /// Both keys a database is opened with.
    pub fn keys(&self) -> anyhow::Result<store::Keys> {
        Ok(store::Keys {
            lookup: self.lookup_key()?,
            fields: self.field_keys()?,
        })
    }

    /// The keys that seal personal data: from the settings, else from their file (made with
    /// one new random key, readable by its owner only, if it does not exist yet).
    pub fn field_keys(&self) -> anyhow::Result<store::Sealer> {
        if let Some(text) = &self.security.field_keys {
            let keys = store::FieldKeys::parse(text)
                .map_err(|e| anyhow::anyhow!("[security] field_keys {e}"))?;
            return Ok(store::Sealer::new(keys));
        }
        let path = &self.security.field_keys_file;
        if !path.exists() {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
            match write_private(path, &store::FieldKeys::generate().to_text()) {
                Ok(()) => {}
                // Another process made it first: use theirs.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => anyhow::bail!("cannot write {}: {e}", path.display()),
            }
        }
        store::Sealer::from_file(path, store::KEY_FILE_CHECK).map_err(|e| anyhow::anyhow!(e))
    }

    /// The key of the search digests: from the settings, else from its file (made with a new
    /// random key, readable by its owner only, if it does not exist yet).
    pub fn lookup_key(&self) -> anyhow::Result<store::LookupKey> {
        if let Some(hex) = &self.security.lookup_key {
            return store::LookupKey::parse_hex(hex)
                .map_err(|e| anyhow::anyhow!("[security] lookup_key {e}"));
        }
        let path = &self.security.lookup_key_file;
        match std::fs::read_to_string(path) {
            Ok(text) => store::LookupKey::parse_hex(&text)
                .map_err(|e| anyhow::anyhow!("the lookup key in {} {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = store::LookupKey::generate();
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent)?;
                }
                write_private(path, &key.to_hex())
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
                Ok(key)
            }
            Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
        }
    }
}

/// Writes a new file only its owner can read; fails if it exists (another process made it).
pub(crate) fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment::Jail's closures return figment::Error
mod tests {
    use super::*;
    use figment::Jail;

    #[test]
    fn defaults_need_no_file() {
        Jail::expect_with(|_| {
            let s = Settings::load(None).map_err(|e| *e)?;
            assert_eq!(s, Settings::default());
            assert_eq!(s.database_url, "sqlite://./data/victimcare.db");
            Ok(())
        });
    }

    #[test]
    fn the_file_then_the_environment_win() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "victimcare.toml",
                "database_url = \"postgres://db/vc\"\n[server]\nbind = \"0.0.0.0:9000\"\n[log]\nformat = \"json\"\n",
            )?;
            let s = Settings::load(None).map_err(|e| *e)?;
            assert_eq!(s.database_url, "postgres://db/vc");
            assert_eq!(s.server.bind.port(), 9000);
            assert_eq!(s.log.format, LogFormat::Json);
            jail.set_env("VICTIMCARE_SERVER__BIND", "127.0.0.1:7000");
            jail.set_env("VICTIMCARE_DATABASE_URL", "sqlite://other.db");
            let s = Settings::load(None).map_err(|e| *e)?;
            assert_eq!(s.server.bind.port(), 7000);
            assert_eq!(s.database_url, "sqlite://other.db");
            // The address victims' links point at is set per deployment, often by environment.
            jail.set_env(
                "VICTIMCARE_WEB__PUBLIC_URL",
                "https://victims.example.police.uk",
            );
            jail.set_env("VICTIMCARE_RETENTION__PERSONAL_DATA_YEARS", "7");
            jail.set_env(
                "VICTIMCARE_SERVER__TRUSTED_PROXIES",
                "[10.0.0.2, 10.1.0.0/16]",
            );
            let s = Settings::load(None).map_err(|e| *e)?;
            assert_eq!(s.server.trusted_proxies, ["10.0.0.2", "10.1.0.0/16"]);
            assert_eq!(s.web.public_url, "https://victims.example.police.uk");
            assert_eq!(s.retention.personal_data_years, 7);
            Ok(())
        });
    }

    #[test]
    fn a_misspelt_variable_is_named_not_silently_ignored() {
        Jail::expect_with(|jail| {
            jail.set_env("VICTIMCARE_SECURTY__FIELD_KEYS", "00");
            jail.set_env("VICTIMCARE_SECURITY__FIELD_KEYS", "00");
            let ignored = ignored_env();
            assert!(ignored.contains(&"VICTIMCARE_SECURTY__FIELD_KEYS".to_owned()));
            assert!(!ignored.contains(&"VICTIMCARE_SECURITY__FIELD_KEYS".to_owned()));
            Ok(())
        });
    }

    #[test]
    fn bad_values_and_missing_files_are_named() {
        Jail::expect_with(|jail| {
            jail.set_env("VICTIMCARE_SERVER__BIND", "not an address");
            let e = Settings::load(None).unwrap_err().to_string();
            assert!(e.to_lowercase().contains("server.bind"), "{e}");
            let e = Settings::load(Some(Path::new("nope.toml")))
                .unwrap_err()
                .to_string();
            assert!(e.contains("nope.toml"), "{e}");
            Ok(())
        });
    }
}
