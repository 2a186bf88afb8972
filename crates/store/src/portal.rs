//! The victim's own access to their case. Staff issue a link for one victim in one case; the
//! link's token alone shows nothing personal: the victim must also give their date of birth.
//! Wrong answers lock the link for a while (longer each time, and for good after 15), counted
//! in the database so the lockout holds on every instance and across restarts. A verified
//! victim gets a session that ends after 15 minutes idle or an hour in all.

use crate::{Db, StoreError, dispatch};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use domain::Problem;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Wrong second factors in a row before the link locks.
pub const MAX_ATTEMPTS: i32 = 5;
/// How long the first lockout lasts; each one after it lasts twice as long.
pub const LOCKOUT: TimeDelta = TimeDelta::minutes(15);
/// Wrong answers in a row, across lockouts, after which the link stops for good.
pub const MAX_FAILURES: i32 = 15;
/// Wrong answers over a link's whole life after which it stops for good, however spread out.
pub const MAX_TOTAL_FAILURES: i32 = 30;
/// A link stops working this long after it was issued; the helpline can issue a new one.
/// Two years covers most cases from report to sentence. (When retention rules arrive, the
/// case's own retention will end its links sooner where it ends sooner.)
pub const LINK_LIFETIME: TimeDelta = TimeDelta::days(730);
/// A session ends this long after verification, however busy.
pub const LIFETIME: TimeDelta = TimeDelta::hours(1);
/// A session ends after this long without a request.
pub const IDLE: TimeDelta = TimeDelta::minutes(15);

/// A link just issued: `token` goes into the URL and is never stored.
#[derive(Debug, Clone)]
pub struct IssuedAccess {
    pub token: String,
    pub victim_ref: String,
    /// The victim's position in the case (1 for the first), as staff choose it.
    pub victim_number: usize,
}

/// What checking a second factor gave. Unknown links, revoked links, wrong answers and locked
/// links all give `Refused`: a caller cannot tell a real link from a guess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// The session's secret, for the cookie; only its hash is stored.
    Verified {
        session: String,
    },
    Refused,
}

/// What a victim gave to show it is them. Not `Debug`-printable with its value: it is secret.
pub enum Answer {
    DateOfBirth(NaiveDate),
    /// As typed; a PIN is only checked against its hash, never parsed for strength here.
    Pin(String),
}

/// The first half of a verification, between its two transactions.
pub(crate) enum Attempt {
    /// No live link has this token.
    Unknown,
    /// The link is locked for now.
    Locked { access_id: i64 },
    /// Counted: the `attempts`-th wrong answer in a row if this one is wrong too.
    Counted {
        access_id: i64,
        attempts: i32,
        date_of_birth: Option<NaiveDate>,
        pin_hash: Option<String>,
    },
}

/// PIN hashes running at once. Each takes 19 MiB and a core for tens of milliseconds: without
/// a bound, a flood of made-up links with PINs would take the machine from real victims.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// How long a PIN check waits for its turn before the server says it is busy.
const HASHING_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Runs `work` (a PIN hash) on a blocking thread when its turn comes.
pub(crate) async fn hashing<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, StoreError> {
    let _turn = tokio::time::timeout(HASHING_WAIT, HASHING.acquire())
        .await
        .map_err(|_| StoreError::Busy)?
        .map_err(|_| StoreError::Busy)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| StoreError::Hashing(e.to_string()))
}

/// Argon2id with the crate's defaults (19 MiB, 2 passes), as OWASP recommends: for PINs and
/// staff passwords alike.
pub(crate) async fn hash_secret(pin: String) -> Result<String, StoreError> {
    use argon2::password_hash::PasswordHasher;
    hashing(move || {
        argon2::Argon2::default()
            .hash_password(pin.as_bytes())
            .map(|h| h.to_string())
    })
    .await?
    .map_err(|e| StoreError::Hashing(e.to_string()))
}

/// Whether `pin` (or a password) matches `stored`; with nothing stored, it is checked against
/// a stand-in all the same, so that every answer takes as long.
pub(crate) async fn secret_matches(
    pin: String,
    stored: Option<String>,
) -> Result<bool, StoreError> {
    use argon2::password_hash::{PasswordVerifier, phc::PasswordHash};
    hashing(move || {
        let real = stored.is_some();
        let stored = stored.unwrap_or_else(|| stand_in().to_owned());
        let matches = PasswordHash::new(&stored).is_ok_and(|parsed| {
            argon2::Argon2::default()
                .verify_password(pin.as_bytes(), &parsed)
                .is_ok()
        });
        real && matches
    })
    .await
}

/// A hash of a PIN nobody has, with the same cost as a real one. Made on a blocking thread,
/// the first time a PIN is checked against nothing.
fn stand_in() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        use argon2::password_hash::PasswordHasher;
        argon2::Argon2::default()
            .hash_password(secret().as_bytes())
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Which of a case's `count` victims `number` (from 1) names; optional with one victim.
fn choose_victim(count: usize, number: Option<usize>) -> Result<usize, StoreError> {
    let refuse =
        |field: &str, problem: String| StoreError::Refused(vec![Problem::new(field, problem)]);
    match number {
        _ if count == 0 => Err(refuse(
            "crime_reference",
            "no case with victims has this reference".into(),
        )),
        None if count == 1 => Ok(0),
        None => Err(refuse(
            "victim",
            format!("the case has {count} victims: say which (1 to {count})"),
        )),
        Some(n) if (1..=count).contains(&n) => Ok(n - 1),
        Some(n) => Err(refuse(
            "victim",
            format!("the case has {count} victims, so there is no victim {n}"),
        )),
    }
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    case_id: i64,
    victim_id: i64,
    last_seen_at: DateTime<Utc>,
    callback_waiting: bool,
    contact_check_waiting: bool,
    has_pin: bool,
    next_update_due: Option<NaiveDate>,
    enhanced: bool,
    case_changed_at: DateTime<Utc>,
    victim_changed_at: DateTime<Utc>,
}

/// A verified victim's session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortalSession {
    pub case_id: i64,
    pub victim_id: i64,
    /// A callback they asked for is still waiting (read with the session: one query a view).
    pub callback_waiting: bool,
    /// A new way to contact them is waiting for a person to check it with them.
    pub contact_check_waiting: bool,
    /// They chose a PIN, so it (not their date of birth) opens the page.
    pub has_pin: bool,
    /// The earliest due date of what they are still owed.
    pub next_update_due: Option<NaiveDate>,
    /// They have enhanced rights in this case.
    pub enhanced: bool,
    /// When the case (with its events) and the victim's record (details and restrictions)
    /// last changed: what was read before is still true while these have not moved.
    pub changed_at: (DateTime<Utc>, DateTime<Utc>),
}

pub(crate) fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

pub(crate) fn secret() -> String {
    let mut bytes = [0_u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

impl Db {
    /// Issues a link for victim `number` (from 1, in the case's order; optional when the case
    /// has one victim) of the case, revoking any earlier link for them.
    pub async fn issue_portal_access(
        &self,
        crime_reference: &domain::CrimeReference,
        number: Option<usize>,
        issued_by: &str,
        now: DateTime<Utc>,
    ) -> Result<IssuedAccess, StoreError> {
        dispatch!(self, portal::issue(crime_reference, number, issued_by, now))
    }

    /// Checks the answer given with a link's token. The answer is checked between two short
    /// transactions, so a PIN's deliberately slow hash never holds SQLite's write lock.
    pub async fn verify_portal(
        &self,
        token: &str,
        answer: Answer,
        now: DateTime<Utc>,
    ) -> Result<Verification, StoreError> {
        let attempt = dispatch!(self, portal::count_attempt(token, self.sealer(), now))?;
        let right = match (&attempt, answer) {
            (
                Attempt::Counted {
                    pin_hash: Some(stored),
                    ..
                },
                Answer::Pin(pin),
            ) => secret_matches(pin, Some(stored.clone())).await?,
            // Once a victim has chosen a PIN, their date of birth no longer opens the page:
            // the person they fear may well know it.
            (
                Attempt::Counted {
                    pin_hash: Some(_), ..
                },
                Answer::DateOfBirth(_),
            ) => false,
            (
                Attempt::Counted {
                    pin_hash: None,
                    date_of_birth,
                    ..
                },
                Answer::DateOfBirth(given),
            ) => *date_of_birth == Some(given),
            // Every other PIN is still hashed, against a stand-in, so that a wrong PIN, a PIN
            // for a link without one and a PIN for an unknown link all take as long.
            (_, Answer::Pin(pin)) => secret_matches(pin, None).await?,
            (_, Answer::DateOfBirth(_)) => false,
        };
        dispatch!(self, portal::settle(&attempt, right, true, now))
    }

    /// Sets (or replaces) the PIN of a victim in a case; `set_by` is "victim" or a staff name.
    /// Every open session of the victim's links ends but `keep_session` (the victim's own,
    /// when they set it on their page).
    pub async fn set_portal_pin(
        &self,
        case_id: i64,
        victim_id: i64,
        pin: &domain::pin::Pin,
        set_by: &str,
        keep_session: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let hashed = hash_secret(pin.expose().to_owned()).await?;
        crate::with_writer!(self, |p| sqlx::query(
            "INSERT INTO portal_pin (case_id, victim_id, pin_hash, set_at, set_by) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_id, victim_id) DO UPDATE \
             SET pin_hash = excluded.pin_hash, set_at = excluded.set_at, set_by = excluded.set_by"
        )
        .bind(case_id)
        .bind(victim_id)
        .bind(&hashed)
        .bind(now)
        .bind(set_by)
        .execute(p)
        .await
        .map(|_| ()))?;
        // Whoever else has the page open (on another phone, say) must answer again, with the
        // new PIN.
        crate::with_writer!(self, |p| sqlx::query(
            "UPDATE portal_session SET ended_at = $1 WHERE ended_at IS NULL \
             AND session_hash <> $2 AND access_id IN (SELECT access_id FROM portal_access \
             WHERE case_id = $3 AND victim_id = $4)"
        )
        .bind(now)
        .bind(keep_session.map(hash).unwrap_or_default())
        .bind(case_id)
        .bind(victim_id)
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Whether `pin` is the victim's current PIN: asked before it is changed, so that someone
    /// else holding their open page cannot take it over. Counts as an attempt on no link.
    pub async fn portal_pin_matches(
        &self,
        case_id: i64,
        victim_id: i64,
        pin: &str,
    ) -> Result<bool, StoreError> {
        let stored: Option<String> = crate::with_pool!(self, |p| sqlx::query_scalar(
            "SELECT pin_hash FROM portal_pin WHERE case_id = $1 AND victim_id = $2"
        )
        .bind(case_id)
        .bind(victim_id)
        .fetch_optional(p)
        .await)?;
        if stored.is_none() {
            return Ok(false);
        }
        secret_matches(pin.to_owned(), stored).await
    }

    /// Removes a victim's PIN (they forgot it, and the helpline checked who they are): their
    /// date of birth opens the page again. Returns whether there was one.
    pub async fn clear_portal_pin(&self, case_id: i64, victim_id: i64) -> Result<bool, StoreError> {
        let done = crate::with_writer!(self, |p| sqlx::query(
            "DELETE FROM portal_pin WHERE case_id = $1 AND victim_id = $2"
        )
        .bind(case_id)
        .bind(victim_id)
        .execute(p)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(done > 0)
    }

    /// The case and victim a crime reference and victim number (as for issuing a link) name.
    pub async fn portal_victim(
        &self,
        crime_reference: &domain::CrimeReference,
        number: Option<usize>,
    ) -> Result<(i64, i64), StoreError> {
        let victims: Vec<(i64, i64)> = crate::with_pool!(self, |p| sqlx::query_as(
            "SELECT cv.case_id, cv.victim_id FROM crime_case c \
             JOIN case_victim cv ON cv.case_id = c.case_id \
             WHERE c.crime_reference = $1 ORDER BY cv.victim_id"
        )
        .bind(crime_reference.as_str())
        .fetch_all(p)
        .await)?;
        let index = choose_victim(victims.len(), number)?;
        Ok(victims[index])
    }

    /// The session a cookie holds, if it is live; each use keeps it alive. Reading a page is
    /// a read: the last-seen time is written at most once a minute, so page views do not
    /// queue for the one SQLite writer (the idle timeout is exact to that minute).
    ///
    /// One statement answers everything a page view needs that can change from one view to
    /// the next (waiting tasks, the PIN, the next update due, when the case and the victim
    /// last changed), so that the rest of the page can be kept between views and checked
    /// against `changed_at` instead of read again.
    pub async fn portal_session(
        &self,
        session: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<PortalSession>, StoreError> {
        let session_hash = hash(session);
        // A link reissued or revoked ends its sessions too.
        let found: Option<SessionRow> = crate::with_pool!(self, |p| {
            sqlx::query_as(
                "SELECT a.case_id, a.victim_id, s.last_seen_at, \
                 EXISTS (SELECT 1 FROM task t WHERE t.kind = $4 AND t.case_id = a.case_id \
                   AND t.victim_id = a.victim_id AND t.closed_at IS NULL) AS callback_waiting, \
                 EXISTS (SELECT 1 FROM task t WHERE t.kind = $5 AND t.case_id = a.case_id \
                   AND t.victim_id = a.victim_id AND t.closed_at IS NULL) \
                   AS contact_check_waiting, \
                 EXISTS (SELECT 1 FROM portal_pin p \
                   WHERE p.case_id = a.case_id AND p.victim_id = a.victim_id) AS has_pin, \
                 (SELECT MIN(o.due_on) FROM obligation o WHERE o.case_id = a.case_id \
                   AND o.victim_id = a.victim_id AND o.status = 'open') AS next_update_due, \
                 EXISTS (SELECT 1 FROM obligation o WHERE o.case_id = a.case_id \
                   AND o.victim_id = a.victim_id AND o.enhanced) AS enhanced, \
                 c.updated_at AS case_changed_at, v.updated_at AS victim_changed_at \
                 FROM portal_session s \
                 JOIN portal_access a ON a.access_id = s.access_id \
                 JOIN crime_case c ON c.case_id = a.case_id \
                 JOIN victim v ON v.victim_id = a.victim_id \
                 WHERE s.session_hash = $1 AND s.ended_at IS NULL AND s.last_seen_at > $2 \
                 AND s.created_at > $3 AND a.revoked_at IS NULL \
                 AND (a.expires_at > $6 OR (a.expires_at IS NULL AND a.issued_at > $7))",
            )
            .bind(&session_hash)
            .bind(now - IDLE)
            .bind(now - LIFETIME)
            .bind(TASK_CALLBACK)
            .bind(TASK_CONTACT_CHECK)
            .bind(now)
            .bind(now - LINK_LIFETIME)
            .fetch_optional(p)
            .await
        })?;
        let Some(row) = found else {
            return Ok(None);
        };
        if now - row.last_seen_at > TimeDelta::minutes(1) {
            crate::with_writer!(self, |p| sqlx::query(
                "UPDATE portal_session SET last_seen_at = $1 WHERE session_hash = $2"
            )
            .bind(now)
            .bind(&session_hash)
            .execute(p)
            .await
            .map(|_| ()))?;
        }
        Ok(Some(PortalSession {
            case_id: row.case_id,
            victim_id: row.victim_id,
            callback_waiting: row.callback_waiting,
            contact_check_waiting: row.contact_check_waiting,
            has_pin: row.has_pin,
            next_update_due: row.next_update_due,
            enhanced: row.enhanced,
            changed_at: (row.case_changed_at, row.victim_changed_at),
        }))
    }

    pub async fn end_portal_session(
        &self,
        session: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        dispatch!(self, portal::end_session(session, now))
    }

    /// Verification attempts recorded for audit, with their outcome, oldest first.
    pub async fn portal_attempts(&self) -> Result<Vec<(Option<i64>, String)>, StoreError> {
        Ok(crate::with_pool!(self, |p| sqlx::query_as(
            "SELECT access_id, outcome FROM portal_attempt ORDER BY attempt_id"
        )
        .fetch_all(p)
        .await)?)
    }
}

crate::for_each_backend! {
    /// Records a verification attempt for audit.
    async fn record(
        conn: &mut <DB as sqlx::Database>::Connection,
        access: Option<i64>,
        outcome: &'static str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO portal_attempt (access_id, at, outcome) VALUES ($1, $2, $3)")
            .bind(access)
            .bind(now)
            .bind(outcome)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    pub(crate) async fn issue(
        pool: &sqlx::Pool<DB>,
        crime_reference: &domain::CrimeReference,
        number: Option<usize>,
        issued_by: &str,
        now: DateTime<Utc>,
    ) -> Result<IssuedAccess, StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let victims: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT c.case_id, v.victim_id, v.victim_ref FROM crime_case c \
             JOIN case_victim cv ON cv.case_id = c.case_id \
             JOIN victim v ON v.victim_id = cv.victim_id \
             WHERE c.crime_reference = $1 ORDER BY v.victim_id",
        )
        .bind(crime_reference.as_str())
        .fetch_all(&mut *tx)
        .await?;
        let index = match choose_victim(victims.len(), number) {
            Ok(index) => index,
            Err(e) => {
                tx.rollback().await?;
                return Err(e);
            }
        };
        let (case_id, victim_id, victim_ref) = victims[index].clone();
        sqlx::query(
            "UPDATE portal_access SET revoked_at = $1 \
             WHERE case_id = $2 AND victim_id = $3 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(case_id)
        .bind(victim_id)
        .execute(&mut *tx)
        .await?;
        let token = secret();
        sqlx::query(
            "INSERT INTO portal_access (case_id, victim_id, token_hash, issued_at, issued_by, \
             expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(case_id)
        .bind(victim_id)
        .bind(hash(&token))
        .bind(now)
        .bind(issued_by)
        .bind(now + LINK_LIFETIME)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(IssuedAccess { token, victim_ref, victim_number: index + 1 })
    }

    /// The first half of a verification: the attempt is counted before the answer is looked
    /// at, in one statement that also takes the row. Attempts sent at once queue here, and each
    /// sees the count (and any lock) the one before it left, so parallel guessing gains
    /// nothing. The lock a fifth wrong try earns is set here too, before the answer is
    /// checked; a right answer lifts it again.
    pub(crate) async fn count_attempt(
        pool: &sqlx::Pool<DB>,
        token: &str,
        sealer: &crate::Sealer,
        now: DateTime<Utc>,
    ) -> Result<Attempt, StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        type Row = (i64, sqlx::types::Json<Box<serde_json::value::RawValue>>, Option<String>);
        let found: Option<Row> = sqlx::query_as(
            "SELECT a.access_id, v.details, p.pin_hash \
             FROM portal_access a JOIN victim v ON v.victim_id = a.victim_id \
             LEFT JOIN portal_pin p ON p.case_id = a.case_id AND p.victim_id = a.victim_id \
             WHERE a.token_hash = $1 AND a.revoked_at IS NULL \
             AND (a.expires_at > $2 OR (a.expires_at IS NULL AND a.issued_at > $3))",
        )
        .bind(hash(token))
        .bind(now)
        // Links issued before expiry dates were kept expire by their age.
        .bind(now - LINK_LIFETIME)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((access_id, details, pin_hash)) = found else {
            tx.rollback().await?;
            return Ok(Attempt::Unknown);
        };
        count_found(tx, access_id, details, pin_hash, sealer, now).await
    }

    /// The same count for the victim's current link, found by case and victim: for a PIN
    /// given by phone, which must meet the same lockout as one typed on the page.
    pub(crate) async fn count_attempt_for_victim(
        pool: &sqlx::Pool<DB>,
        case_id: i64,
        victim_id: i64,
        sealer: &crate::Sealer,
        now: DateTime<Utc>,
    ) -> Result<Attempt, StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        type Row = (i64, sqlx::types::Json<Box<serde_json::value::RawValue>>, Option<String>);
        let found: Option<Row> = sqlx::query_as(
            "SELECT a.access_id, v.details, p.pin_hash \
             FROM portal_access a JOIN victim v ON v.victim_id = a.victim_id \
             LEFT JOIN portal_pin p ON p.case_id = a.case_id AND p.victim_id = a.victim_id \
             WHERE a.case_id = $1 AND a.victim_id = $2 AND a.revoked_at IS NULL \
             AND (a.expires_at > $3 OR (a.expires_at IS NULL AND a.issued_at > $4)) \
             ORDER BY a.access_id DESC LIMIT 1",
        )
        .bind(case_id)
        .bind(victim_id)
        .bind(now)
        .bind(now - LINK_LIFETIME)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((access_id, details, pin_hash)) = found else {
            tx.rollback().await?;
            return Ok(Attempt::Unknown);
        };
        count_found(tx, access_id, details, pin_hash, sealer, now).await
    }

    async fn count_found(
        mut tx: sqlx::Transaction<'static, DB>,
        access_id: i64,
        details: sqlx::types::Json<Box<serde_json::value::RawValue>>,
        pin_hash: Option<String>,
        sealer: &crate::Sealer,
        now: DateTime<Utc>,
    ) -> Result<Attempt, StoreError> {
        let counted: Option<i32> = sqlx::query_scalar(
            "UPDATE portal_access SET failed_attempts = failed_attempts + 1 \
             WHERE access_id = $1 AND (locked_until IS NULL OR locked_until <= $2) \
             RETURNING failed_attempts",
        )
        .bind(access_id)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(attempts) = counted else {
            tx.rollback().await?;
            return Ok(Attempt::Locked { access_id });
        };
        if attempts % MAX_ATTEMPTS == 0 {
            // Each lockout is twice as long as the one before.
            let doubling = u32::try_from(attempts / MAX_ATTEMPTS - 1).unwrap_or(0);
            let lock = now + LOCKOUT * 2_i32.pow(doubling.min(16));
            sqlx::query("UPDATE portal_access SET locked_until = $1 WHERE access_id = $2")
                .bind(lock)
                .bind(access_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        // A victim without a date of birth on file (a business, say) has no such answer:
        // staff set a PIN they chose instead.
        let date_of_birth = sealer
            .open_json::<domain::victim::VictimRecord>(crate::seal::VICTIM_DETAILS, details.0.get())
            .ok()
            .and_then(|r| r.date_of_birth)
            .map(domain::victim::DateOfBirth::date);
        Ok(Attempt::Counted {
            access_id,
            attempts,
            date_of_birth,
            pin_hash,
        })
    }

    /// The second half: records what happened and, for a right answer, opens the session.
    pub(crate) async fn settle(
        pool: &sqlx::Pool<DB>,
        attempt: &Attempt,
        right: bool,
        open_session: bool,
        now: DateTime<Utc>,
    ) -> Result<Verification, StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let (access_id, attempts) = match attempt {
            Attempt::Unknown => {
                record(&mut tx, None, "unknown link", now).await?;
                tx.commit().await?;
                return Ok(Verification::Refused);
            }
            Attempt::Locked { access_id } => {
                record(&mut tx, Some(*access_id), "locked", now).await?;
                tx.commit().await?;
                return Ok(Verification::Refused);
            }
            Attempt::Counted { access_id, attempts, .. } => (*access_id, *attempts),
        };
        if !right {
            let total: i32 = sqlx::query_scalar(
                "UPDATE portal_access SET total_failures = total_failures + 1 \
                 WHERE access_id = $1 RETURNING total_failures",
            )
            .bind(access_id)
            .fetch_one(&mut *tx)
            .await?;
            let outcome = if attempts >= MAX_FAILURES || total >= MAX_TOTAL_FAILURES {
                // Enough guesses to be an attack: the link stops for good, and staff must
                // issue a new one (which a real victim can ask the helpline for).
                sqlx::query("UPDATE portal_access SET revoked_at = $1 WHERE access_id = $2")
                    .bind(now)
                    .bind(access_id)
                    .execute(&mut *tx)
                    .await?;
                "wrong answer; link stopped"
            } else if attempts % MAX_ATTEMPTS == 0 {
                "wrong answer; locked"
            } else {
                "wrong answer"
            };
            record(&mut tx, Some(access_id), outcome, now).await?;
            tx.commit().await?;
            return Ok(Verification::Refused);
        }
        sqlx::query(
            "UPDATE portal_access SET failed_attempts = 0, locked_until = NULL WHERE access_id = $1",
        )
        .bind(access_id)
        .execute(&mut *tx)
        .await?;
        if !open_session {
            // A PIN given by phone: it proves who is calling, and opens no page.
            record(&mut tx, Some(access_id), "verified by phone", now).await?;
            tx.commit().await?;
            return Ok(Verification::Verified { session: String::new() });
        }
        let session = secret();
        sqlx::query(
            "INSERT INTO portal_session (session_hash, access_id, created_at, last_seen_at) \
             VALUES ($1, $2, $3, $3)",
        )
        .bind(hash(&session))
        .bind(access_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        record(&mut tx, Some(access_id), "verified", now).await?;
        tx.commit().await?;
        Ok(Verification::Verified { session })
    }

    pub(crate) async fn open_task_once(
        pool: &sqlx::Pool<DB>,
        kind: &str,
        case_id: i64,
        victim_id: i64,
        // Sealed already: the victim's words about when to ring.
        preferred_time: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM task WHERE kind = $1 AND case_id = $2 AND victim_id = $3 \
             AND closed_at IS NULL",
        )
        .bind(kind)
        .bind(case_id)
        .bind(victim_id)
        .fetch_one(&mut *tx)
        .await?;
        if waiting > 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO task (kind, case_id, victim_id, due_at, opened_at, preferred_time) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(kind)
        .bind(case_id)
        .bind(victim_id)
        .bind(now + TimeDelta::days(1))
        .bind(now)
        .bind(preferred_time)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub(crate) async fn end_session(
        pool: &sqlx::Pool<DB>,
        session: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE portal_session SET ended_at = $1 WHERE session_hash = $2 AND ended_at IS NULL")
            .bind(now)
            .bind(hash(session))
            .execute(pool)
            .await?;
        Ok(())
    }
}

/// What a PIN given by phone (to an agent, or to the phone menu) showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinCheck {
    Right,
    Wrong,
    /// Too many wrong answers lately: nothing was checked.
    Locked,
    /// The victim has no live link with a PIN.
    NoPin,
}

impl Db {
    /// Checks a PIN for a victim of a case. It is counted on the victim's link exactly like a
    /// PIN typed on their page, so guesses by phone meet the same lockout.
    pub async fn check_victim_pin(
        &self,
        case_id: i64,
        victim_id: i64,
        pin: &str,
        now: DateTime<Utc>,
    ) -> Result<PinCheck, StoreError> {
        // No PIN, no count: asking a victim without one must not lock their own page.
        if !self.has_live_pin(case_id, victim_id, now).await? {
            secret_matches(pin.to_owned(), None).await?;
            return Ok(PinCheck::NoPin);
        }
        let attempt = dispatch!(
            self,
            portal::count_attempt_for_victim(case_id, victim_id, self.sealer(), now)
        )?;
        let stored = match &attempt {
            Attempt::Counted { pin_hash, .. } => pin_hash.clone(),
            _ => None,
        };
        let has_pin = stored.is_some();
        let right = secret_matches(pin.to_owned(), stored).await?;
        let outcome = match attempt {
            Attempt::Unknown => return Ok(PinCheck::NoPin),
            Attempt::Locked { .. } => PinCheck::Locked,
            Attempt::Counted { .. } if right => PinCheck::Right,
            Attempt::Counted { .. } if !has_pin => PinCheck::NoPin,
            Attempt::Counted { .. } => PinCheck::Wrong,
        };
        dispatch!(self, portal::settle(&attempt, right, false, now))?;
        Ok(outcome)
    }

    /// Whether the victim has a PIN and a live link to count attempts on.
    async fn has_live_pin(
        &self,
        case_id: i64,
        victim_id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n: i64 = crate::with_pool!(self, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM portal_pin p JOIN portal_access a ON a.case_id = p.case_id \
             AND a.victim_id = p.victim_id WHERE p.case_id = $1 AND p.victim_id = $2 \
             AND a.revoked_at IS NULL \
             AND (a.expires_at > $3 OR (a.expires_at IS NULL AND a.issued_at > $4))"
        )
        .bind(case_id)
        .bind(victim_id)
        .bind(now)
        .bind(now - LINK_LIFETIME)
        .fetch_one(p)
        .await)?;
        Ok(n > 0)
    }

    /// For the phone menu: the victim of the case whose PIN this is. Only a case with one
    /// victim holding a PIN can be served: with several, one guess would be tried against
    /// each of their PINs, multiplying a guesser's chances, so such callers are put through
    /// to a person (`NoPin`). The PIN is checked (and counted) exactly as on the page.
    pub async fn victim_by_pin(
        &self,
        case_id: i64,
        pin: &str,
        now: DateTime<Utc>,
    ) -> Result<(PinCheck, Option<i64>), StoreError> {
        let candidates: Vec<i64> = crate::with_pool!(self, |p| sqlx::query_scalar(
            "SELECT p.victim_id FROM portal_pin p WHERE p.case_id = $1 \
             AND EXISTS (SELECT 1 FROM portal_access a WHERE a.case_id = p.case_id \
             AND a.victim_id = p.victim_id AND a.revoked_at IS NULL \
             AND (a.expires_at > $2 OR (a.expires_at IS NULL AND a.issued_at > $3))) \
             ORDER BY p.victim_id LIMIT 2"
        )
        .bind(case_id)
        .bind(now)
        .bind(now - LINK_LIFETIME)
        .fetch_all(p)
        .await)?;
        let [victim_id] = candidates[..] else {
            // None, or more than one: hashed all the same, so it takes as long.
            secret_matches(pin.to_owned(), None).await?;
            return Ok((PinCheck::NoPin, None));
        };
        let check = self.check_victim_pin(case_id, victim_id, pin, now).await?;
        Ok((check, (check == PinCheck::Right).then_some(victim_id)))
    }
}

/// Task kind: the victim asked to be called back.
pub const TASK_CALLBACK: &str = "callback_requested";
/// Task kind: the victim asked us to use a new way to contact them; a person checks it with
/// them over a way already safe before it is used.
pub const TASK_CONTACT_CHECK: &str = "contact_change_check";

impl Db {
    /// Opens a callback task for the victim, due in a day, unless one is already waiting.
    /// Returns whether a new one was opened.
    pub async fn request_callback(
        &self,
        case_id: i64,
        victim_id: i64,
        preferred_time: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let preferred =
            preferred_time.map(|p| self.sealer().seal_text(crate::seal::TASK_PREFERRED_TIME, p));
        dispatch!(
            self,
            portal::open_task_once(TASK_CALLBACK, case_id, victim_id, preferred.as_deref(), now)
        )
    }

    /// Opens a task to check a new contact channel with the victim, unless one is waiting.
    pub async fn request_contact_check(
        &self,
        case_id: i64,
        victim_id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        dispatch!(
            self,
            portal::open_task_once(TASK_CONTACT_CHECK, case_id, victim_id, None, now)
        )
    }
}

impl Db {
    /// Records ways the victim said are not safe; ones already recorded are left as they are.
    pub async fn restrict_channels(
        &self,
        victim_id: i64,
        channels: &[&str],
        set_by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let held = self.restricted_channels(victim_id).await?;
        let new: Vec<&&str> = channels
            .iter()
            .filter(|c| !held.iter().any(|h| h == *c))
            .collect();
        if new.is_empty() {
            return Ok(());
        }
        for channel in new {
            crate::with_writer!(self, |p| sqlx::query(
                "INSERT INTO victim_restriction (victim_id, channel, set_at, set_by) \
                 VALUES ($1, $2, $3, $4)"
            )
            .bind(victim_id)
            .bind(*channel)
            .bind(now)
            .bind(set_by)
            .execute(p)
            .await
            .map(|_| ()))?;
        }
        // After the rows, so a page read in between is read again: the victim's record has
        // changed, and pages kept since must not be shown.
        crate::with_writer!(self, |p| sqlx::query(
            "UPDATE victim SET updated_at = $1 WHERE victim_id = $2"
        )
        .bind(now)
        .bind(victim_id)
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// The ways the victim said are not safe, whatever their details from the feed say.
    pub async fn restricted_channels(&self, victim_id: i64) -> Result<Vec<String>, StoreError> {
        Ok(crate::with_pool!(self, |p| sqlx::query_scalar(
            "SELECT channel FROM victim_restriction WHERE victim_id = $1 AND lifted_at IS NULL \
             ORDER BY restriction_id"
        )
        .bind(victim_id)
        .fetch_all(p)
        .await)?)
    }
}
