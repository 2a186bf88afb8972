//! Staff accounts, sign-in and sessions. A password (Argon2id) and a code from an
//! authenticator app (TOTP, each code once) are both needed. Five wrong tries lock the account
//! for 15 minutes, counted in the database so the lock holds on every instance. Sessions end
//! after `idle` without a request, and after 12 hours in any case.

use crate::portal::{hash, hash_secret, secret, secret_matches};
use crate::seal::STAFF_TOTP_SECRET;
use crate::{Db, StoreError, for_each_backend, with_pool, with_writer};
use chrono::{DateTime, TimeDelta, Utc};
use domain::Problem;
use domain::staff::{Role, Username};
use serde::Serialize;

/// Wrong sign-ins in a row before the account locks.
pub const MAX_SIGN_IN_FAILURES: i32 = 5;
pub const SIGN_IN_LOCKOUT: TimeDelta = TimeDelta::minutes(15);
/// A session ends this long after sign-in, however busy.
pub const SESSION_LIFETIME: TimeDelta = TimeDelta::hours(12);
const ISSUER: &str = "victimcare";

/// A new session: its hash, whose it is, its form token, when.
const INSERT_SESSION: &str = "INSERT INTO staff_session (session_hash, user_id, csrf_token, \
     created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffUser {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team: Option<String>,
    pub collar_number: Option<String>,
    pub disabled: bool,
}

/// An account to create. The password is checked for length before it gets here.
pub struct NewStaffUser {
    pub username: Username,
    pub display_name: String,
    pub role: Role,
    pub team: Option<String>,
    pub collar_number: Option<String>,
    pub password: String,
}

/// A new account and its authenticator secret, shown once to be put into the app.
#[derive(Debug, Clone)]
pub struct CreatedStaffUser {
    pub user: StaffUser,
    pub totp_secret: String,
    /// `otpauth://totp/…`: what the app's QR code holds.
    pub totp_url: String,
}

/// A signed-in member of staff, as each request sees them.
#[derive(Debug, Clone)]
pub struct StaffSession {
    pub user: StaffUser,
    /// The token every form of the session carries.
    pub csrf_token: String,
}

/// What a sign-in gave. A wrong name, password or code all give `Refused`, and take as long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    /// The session's secret for the cookie; only its hash is kept.
    SignedIn {
        session: String,
        user_id: i64,
    },
    Refused,
    /// Too many wrong tries: nothing is checked until `until`.
    Locked {
        until: DateTime<Utc>,
    },
}

/// A TOTP for this secret; `None` if the stored secret is not base32 (a hand edit).
fn totp(secret: &str, account: &str) -> Option<totp_rs::Totp> {
    let secret = totp_rs::Secret::try_from_base32(secret).ok()?;
    totp_rs::Builder::new()
        .with_secret(secret)
        .with_account_name(account)
        .with_issuer(Some(ISSUER))
        .build()
        .ok()
}

/// The code an authenticator app shows for `secret` at `at` (for tests and the demo).
pub fn totp_code(secret: &str, at: DateTime<Utc>) -> Option<String> {
    let t = totp(secret, "x")?;
    Some(t.generate(u64::try_from(at.timestamp()).ok()?).to_string())
}

type UserRow = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    bool,
);

fn user(row: UserRow) -> Result<StaffUser, StoreError> {
    let (user_id, username, display_name, role, team, collar_number, disabled) = row;
    Ok(StaffUser {
        user_id,
        username,
        display_name,
        role: Role::parse(&role).map_err(|problem| StoreError::Corrupt {
            what: "staff user",
            id: user_id,
            problem,
        })?,
        team,
        collar_number,
        disabled,
    })
}

macro_rules! user_select {
    () => {
        "SELECT user_id, username, display_name, role, team, collar_number, \
         disabled_at IS NOT NULL FROM staff_user"
    };
}

impl Db {
    pub async fn create_staff_user(
        &self,
        new: NewStaffUser,
        now: DateTime<Utc>,
    ) -> Result<CreatedStaffUser, StoreError> {
        let password_hash = hash_secret(new.password.clone()).await?;
        let totp_secret = totp_rs::Secret::generate().to_base32();
        let totp_url = totp(&totp_secret, new.username.as_str())
            .and_then(|t| t.to_url().ok())
            .unwrap_or_default();
        let inserted: Result<i64, sqlx::Error> = with_writer!(self, |p| sqlx::query_scalar(
            "INSERT INTO staff_user (username, display_name, role, team, collar_number, \
             password_hash, totp_secret, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             RETURNING user_id"
        )
        .bind(new.username.as_str())
        .bind(&new.display_name)
        .bind(new.role.as_str())
        .bind(&new.team)
        .bind(&new.collar_number)
        .bind(&password_hash)
        .bind(self.sealer().seal_text(STAFF_TOTP_SECRET, &totp_secret))
        .bind(now)
        .fetch_one(p)
        .await);
        let user_id = match inserted {
            Ok(id) => id,
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                let collar =
                    e.message().contains("collar") || e.constraint() == Some("staff_user_collar");
                return Err(StoreError::Refused(vec![if collar {
                    Problem::new("collar_number", "belongs to another account already")
                } else {
                    Problem::new("username", "is already taken")
                }]));
            }
            Err(e) => return Err(e.into()),
        };
        Ok(CreatedStaffUser {
            user: StaffUser {
                user_id,
                username: new.username.as_str().to_owned(),
                display_name: new.display_name,
                role: new.role,
                team: new.team,
                collar_number: new.collar_number,
                disabled: false,
            },
            totp_secret,
            totp_url,
        })
    }

    /// New password and authenticator secret for an account (forgotten, or a lost phone):
    /// unlocks it and ends its sessions. Returns the new secret, shown once.
    pub async fn reset_staff_credentials(
        &self,
        user_id: i64,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<CreatedStaffUser, StoreError> {
        let Some(user) = self.staff_user(user_id).await? else {
            return Err(StoreError::NotFound { what: "staff user" });
        };
        let password_hash = hash_secret(password.to_owned()).await?;
        let totp_secret = totp_rs::Secret::generate().to_base32();
        let totp_url = totp(&totp_secret, &user.username)
            .and_then(|t| t.to_url().ok())
            .unwrap_or_default();
        with_writer!(self, |p| sqlx::query(
            "UPDATE staff_user SET password_hash = $1, totp_secret = $2, totp_last_step = 0, \
             failed_attempts = 0, locked_until = NULL WHERE user_id = $3"
        )
        .bind(&password_hash)
        .bind(self.sealer().seal_text(STAFF_TOTP_SECRET, &totp_secret))
        .bind(user_id)
        .execute(p)
        .await
        .map(|_| ()))?;
        with_writer!(self, |p| sqlx::query(
            "UPDATE staff_session SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL"
        )
        .bind(now)
        .bind(user_id)
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(CreatedStaffUser {
            user,
            totp_secret,
            totp_url,
        })
    }

    pub async fn staff_users(&self) -> Result<Vec<StaffUser>, StoreError> {
        let rows: Vec<UserRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            user_select!(),
            " ORDER BY username"
        ))
        .fetch_all(p)
        .await)?;
        rows.into_iter().map(user).collect()
    }

    pub async fn staff_user_by_name(
        &self,
        username: &str,
    ) -> Result<Option<StaffUser>, StoreError> {
        let row: Option<UserRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            user_select!(),
            " WHERE username = $1"
        ))
        .bind(username.trim().to_lowercase())
        .fetch_optional(p)
        .await)?;
        row.map(user).transpose()
    }

    /// A new session for someone the identity provider vouched for (single sign-on); returns
    /// its secret for the cookie.
    pub async fn open_staff_session(
        &self,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<String, StoreError> {
        let session = secret();
        with_writer!(self, |p| sqlx::query(INSERT_SESSION)
            .bind(hash(&session))
            .bind(user_id)
            .bind(secret())
            .bind(now)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(session)
    }

    pub async fn staff_user(&self, user_id: i64) -> Result<Option<StaffUser>, StoreError> {
        let row: Option<UserRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            user_select!(),
            " WHERE user_id = $1"
        ))
        .bind(user_id)
        .fetch_optional(p)
        .await)?;
        row.map(user).transpose()
    }

    /// Disables an account and ends its sessions at once.
    pub async fn disable_staff_user(
        &self,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = with_writer!(self, |p| sqlx::query(
            "UPDATE staff_user SET disabled_at = $1 WHERE user_id = $2 AND disabled_at IS NULL"
        )
        .bind(now)
        .bind(user_id)
        .execute(p)
        .await
        .map(|d| d.rows_affected()))?;
        with_writer!(self, |p| sqlx::query(
            "UPDATE staff_session SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL"
        )
        .bind(now)
        .bind(user_id)
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(done > 0)
    }

    /// Checks a sign-in. The attempt is counted before the password is checked (in its own
    /// transaction, so the slow hash holds no lock), and a right answer clears the count.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<SignIn, StoreError> {
        let counted = crate::dispatch!(self, staff::count_sign_in(username, now))?;
        let mut locked = None;
        let (user_id, stored_hash, totp_secret, last_step) = match counted {
            // Hashed all the same below: a locked account answers as slowly as any other.
            Counted::Locked(until) => {
                locked = Some(until);
                (None, None, String::new(), 0)
            }
            Counted::Unknown => (None, None, String::new(), 0),
            Counted::Known {
                user_id,
                password_hash,
                totp_secret,
                last_step,
            } => {
                let totp_secret = self
                    .sealer()
                    .open_text(STAFF_TOTP_SECRET, &totp_secret)
                    .map_err(|e| e.at("staff user", user_id))?;
                (Some(user_id), Some(password_hash), totp_secret, last_step)
            }
        };
        // An unknown name is hashed all the same, so it takes as long as a wrong password.
        let password_right = secret_matches(password.to_owned(), stored_hash.clone()).await?;
        let step = totp(&totp_secret, username)
            .and_then(|t| t.check(code.trim(), u64::try_from(now.timestamp()).ok()?))
            .and_then(|s| i64::try_from(s).ok())
            // A code works once: one already used (or older) is refused.
            .filter(|s| *s > last_step);
        if let Some(until) = locked {
            return Ok(SignIn::Locked { until });
        }
        let Some(user_id) = user_id else {
            return Ok(SignIn::Refused);
        };
        let right = password_right && step.is_some();
        let session = right.then(secret);
        let csrf = secret();
        let checked_hash = stored_hash.unwrap_or_default();
        let opened = crate::dispatch!(
            self,
            staff::settle_sign_in(
                (user_id, &checked_hash),
                step,
                session.as_deref(),
                &csrf,
                now
            )
        )?;
        Ok(match session {
            Some(session) if opened => SignIn::SignedIn { session, user_id },
            _ => SignIn::Refused,
        })
    }

    /// The live session with this secret, touched; `None` once it is over. `idle` is how long
    /// it may go unused.
    pub async fn staff_session(
        &self,
        session: &str,
        idle: TimeDelta,
        now: DateTime<Utc>,
    ) -> Result<Option<StaffSession>, StoreError> {
        type Row = (
            i64,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            bool,
            String,
            DateTime<Utc>,
            DateTime<Utc>,
        );
        let found: Option<Row> = with_pool!(self, |p| sqlx::query_as(
            "SELECT u.user_id, u.username, u.display_name, u.role, u.team, u.collar_number, \
             u.disabled_at IS NOT NULL, s.csrf_token, s.created_at, s.last_seen_at \
             FROM staff_session s JOIN staff_user u ON u.user_id = s.user_id \
             WHERE s.session_hash = $1 AND s.ended_at IS NULL"
        )
        .bind(hash(session))
        .fetch_optional(p)
        .await)?;
        let Some((uid, name, display, role, team, collar, disabled, csrf, created, seen)) = found
        else {
            return Ok(None);
        };
        if disabled || now - seen > idle || now - created > SESSION_LIFETIME {
            self.end_staff_session(session, now).await?;
            return Ok(None);
        }
        // One write a minute at most: enough to keep the idle clock honest.
        if now - seen > TimeDelta::seconds(60) {
            with_writer!(self, |p| sqlx::query(
                "UPDATE staff_session SET last_seen_at = $1 WHERE session_hash = $2"
            )
            .bind(now)
            .bind(hash(session))
            .execute(p)
            .await
            .map(|_| ()))?;
        }
        Ok(Some(StaffSession {
            user: user((uid, name, display, role, team, collar, disabled))?,
            csrf_token: csrf,
        }))
    }

    pub async fn end_staff_session(
        &self,
        session: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_writer!(self, |p| sqlx::query(
            "UPDATE staff_session SET ended_at = $1 WHERE session_hash = $2 AND ended_at IS NULL"
        )
        .bind(now)
        .bind(hash(session))
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(())
    }
}

pub(crate) enum Counted {
    Unknown,
    Locked(DateTime<Utc>),
    Known {
        user_id: i64,
        password_hash: String,
        totp_secret: String,
        last_step: i64,
    },
}

for_each_backend! {
    pub(crate) async fn count_sign_in(
        pool: &sqlx::Pool<DB>,
        username: &str,
        now: DateTime<Utc>,
    ) -> Result<Counted, StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        type Row = (i64, String, String, i64, i32, Option<DateTime<Utc>>);
        let found: Option<Row> =
            sqlx::query_as(
                "SELECT user_id, password_hash, totp_secret, totp_last_step, failed_attempts, \
                 locked_until FROM staff_user WHERE username = $1 AND disabled_at IS NULL",
            )
            .bind(username.trim().to_lowercase())
            .fetch_optional(&mut *tx)
            .await?;
        let Some((user_id, password_hash, totp_secret, last_step, failed, locked)) = found else {
            tx.rollback().await?;
            return Ok(Counted::Unknown);
        };
        if let Some(until) = locked.filter(|u| *u > now) {
            tx.rollback().await?;
            return Ok(Counted::Locked(until));
        }
        // Counted as wrong until proved right: attempts sent together each see the last.
        let failed = failed + 1;
        let lock = (failed >= MAX_SIGN_IN_FAILURES).then(|| now + SIGN_IN_LOCKOUT);
        sqlx::query(
            "UPDATE staff_user SET failed_attempts = $1, locked_until = $2 WHERE user_id = $3",
        )
        .bind(if lock.is_some() { 0 } else { failed })
        .bind(lock)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Counted::Known { user_id, password_hash, totp_secret, last_step })
    }

    /// `checked`: the account and the password hash the password was checked against.
    pub(crate) async fn settle_sign_in(
        pool: &sqlx::Pool<DB>,
        checked: (i64, &str),
        step: Option<i64>,
        session: Option<&str>,
        csrf: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let Some(session) = session else {
            return Ok(false);
        };
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let (user_id, password_hash) = checked;
        // The code's step is taken only if no sign-in took it (or a later one) meanwhile: two
        // sign-ins racing with one code get one session. Nor does a sign-in checked against
        // credentials that were reset, or an account disabled, while the password was hashed.
        let taken = sqlx::query(
            "UPDATE staff_user SET failed_attempts = 0, locked_until = NULL, \
             totp_last_step = $1 WHERE user_id = $2 AND totp_last_step < $1 \
             AND password_hash = $3 AND disabled_at IS NULL",
        )
        .bind(step.unwrap_or_default())
        .bind(user_id)
        .bind(password_hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if taken == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(INSERT_SESSION)
        .bind(hash(session))
        .bind(user_id)
        .bind(csrf)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
