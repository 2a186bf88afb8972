//! Needs assessments and referrals to support agencies. A staff assessment's enhanced-rights
//! answers are kept on the victim for the Code engine; its unsafe ways of contact become
//! restrictions every message honours. A referral is refused without a basis, twice to the
//! same agency while one is open, and it meets the Code's support-referral obligation in the
//! same transaction that makes it. An agency sees only its own referrals, and of each only
//! what the victim agreed to share.

use crate::{Db, StoreError, with_pool, with_writer};
use chrono::{DateTime, TimeDelta, Utc};
use domain::Problem;
use domain::support::{
    AssessedBy, Basis, NeedsAssessment, ReferralOutcome, ReferralStatus, Share, SupportNeed,
};
use domain::victim::VictimRecord;
use serde::Serialize;

/// The rule the Code engine owes a referral under (Code right 4).
pub const REFERRAL_RULE: &str = "P6-support-referral";
/// Task kind: an agency has not answered a referral in time.
pub const TASK_REFERRAL_UNANSWERED: &str = "referral_unanswered";

/// Bits of `victim.assessed_factors`.
const VULNERABLE: i32 = 1;
const INTIMIDATED: i32 = 2;
const PERSISTENTLY_TARGETED: i32 = 4;

/// The enhanced-rights answers of the latest staff assessment, as stored on the victim.
pub(crate) fn factors_from_bits(bits: i32) -> (bool, bool, bool) {
    (
        bits & VULNERABLE != 0,
        bits & INTIMIDATED != 0,
        bits & PERSISTENTLY_TARGETED != 0,
    )
}

/// One version of an assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAssessment {
    pub version: i32,
    pub assessed_by: AssessedBy,
    pub taken_by: String,
    pub taken_at: DateTime<Utc>,
    pub answers: NeedsAssessment,
}

/// A referral to make.
#[derive(Debug, Clone)]
pub struct NewReferral {
    pub case_id: i64,
    pub victim_id: i64,
    pub agency: String,
    pub basis: Basis,
    pub shares: Vec<Share>,
    pub needs: Vec<SupportNeed>,
    pub safety_checked: bool,
    pub made_by: String,
}

/// A referral as the force sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Referral {
    pub referral_id: i64,
    pub case_id: i64,
    pub victim_id: i64,
    pub agency: String,
    pub status: ReferralStatus,
    pub basis: Basis,
    pub shares: Vec<Share>,
    pub needs: Vec<SupportNeed>,
    pub safety_checked: bool,
    pub made_by: String,
    pub made_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub decline_reason: Option<String>,
    pub outcome: Option<ReferralOutcome>,
    pub outcome_note: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// What an agency is shown of a referral: only what the victim agreed to share. Anything not
/// agreed is absent, not blanked, so no page or API can show it by mistake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgencyReferral {
    pub referral_id: i64,
    pub status: ReferralStatus,
    pub made_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub decline_reason: Option<String>,
    pub outcome: Option<ReferralOutcome>,
    pub outcome_note: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub shared: Shared,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Shared {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crime_reference: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<SupportNeed>,
}

impl Shared {
    /// Picks out of the victim's record and the case what `shares` allows.
    pub fn of(
        record: &VictimRecord,
        offence: Option<domain::OffenceCategory>,
        crime_reference: &str,
        shares: &[Share],
        needs: &[SupportNeed],
    ) -> Self {
        let mut s = Self::default();
        for share in shares {
            match share {
                Share::Name => s.name = Some(record.name.to_string()),
                Share::Phone => s.phone = record.phone.as_ref().map(|p| p.for_reading()),
                Share::Email => s.email = record.email.as_ref().map(ToString::to_string),
                Share::Address => {
                    s.address = record.address.as_ref().map(|a| {
                        let mut parts: Vec<String> =
                            a.lines.iter().map(ToString::to_string).collect();
                        parts.extend(a.town.as_ref().map(ToString::to_string));
                        parts.push(a.postcode.to_string());
                        parts.join(", ")
                    });
                }
                Share::Language => s.language = Some(record.language.to_string()),
                Share::Offence => {
                    s.offence = offence.map(|o| o.label().to_owned());
                    s.crime_reference = Some(crime_reference.to_owned());
                }
                Share::Needs => s.needs = needs.to_vec(),
            }
        }
        s
    }
}

/// Referral counts and times for one agency, for the dashboards.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AgencyFigures {
    pub agency: String,
    pub made: u64,
    pub waiting: u64,
    pub accepted: u64,
    pub declined: u64,
    pub closed: u64,
    /// Hours from referral to the agency's answer, middle value; None before any answer.
    pub median_hours_to_answer: Option<f64>,
    pub outcomes: std::collections::BTreeMap<String, u64>,
}

/// A referral as stored.
#[derive(sqlx::FromRow)]
struct ReferralRow {
    referral_id: i64,
    case_id: i64,
    victim_id: i64,
    agency: String,
    status: String,
    basis: String,
    shares: String,
    needs: String,
    safety_checked: bool,
    made_by: String,
    made_at: DateTime<Utc>,
    answered_at: Option<DateTime<Utc>>,
    decline_reason: Option<String>,
    outcome: Option<String>,
    outcome_note: Option<String>,
    closed_at: Option<DateTime<Utc>>,
}

/// A referral with what an agency may be shown of it comes from: the victim's details and
/// the case's reference and crime type, read in the same query.
#[derive(sqlx::FromRow)]
struct AgencyRow {
    #[sqlx(flatten)]
    referral: ReferralRow,
    details: sqlx::types::Json<Box<serde_json::value::RawValue>>,
    crime_reference: String,
    offence: Option<String>,
}

/// The columns of a [`ReferralRow`], from `referral r`.
macro_rules! referral_select {
    () => {
        "SELECT r.referral_id, r.case_id, r.victim_id, r.agency, r.status, r.basis, r.shares, \
         r.needs, r.safety_checked, r.made_by, r.made_at, r.answered_at, r.decline_reason, \
         r.outcome, r.outcome_note, r.closed_at FROM referral r"
    };
}

/// The columns of an [`AgencyRow`].
macro_rules! agency_select {
    () => {
        "SELECT r.referral_id, r.case_id, r.victim_id, r.agency, r.status, r.basis, \
         r.shares, r.needs, r.safety_checked, r.made_by, r.made_at, r.answered_at, \
         r.decline_reason, r.outcome, r.outcome_note, r.closed_at, v.details, \
         c.crime_reference, c.offence FROM referral r \
         JOIN victim v ON v.victim_id = r.victim_id \
         JOIN crime_case c ON c.case_id = r.case_id"
    };
}

fn referral_from(row: ReferralRow) -> Result<Referral, StoreError> {
    let id = row.referral_id;
    let corrupt = |problem: &str| StoreError::Corrupt {
        what: "referral",
        id,
        problem: problem.into(),
    };
    Ok(Referral {
        referral_id: row.referral_id,
        case_id: row.case_id,
        victim_id: row.victim_id,
        agency: row.agency,
        status: ReferralStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?,
        basis: Basis::parse(&row.basis).ok_or_else(|| corrupt("basis"))?,
        shares: serde_json::from_str(&row.shares).map_err(|_| corrupt("shares"))?,
        needs: serde_json::from_str(&row.needs).map_err(|_| corrupt("needs"))?,
        safety_checked: row.safety_checked,
        made_by: row.made_by,
        made_at: row.made_at,
        answered_at: row.answered_at,
        decline_reason: row.decline_reason,
        outcome: match &row.outcome {
            Some(o) => Some(ReferralOutcome::parse(o).ok_or_else(|| corrupt("outcome"))?),
            None => None,
        },
        outcome_note: row.outcome_note,
        closed_at: row.closed_at,
    })
}

/// What the agency is shown of a referral: only what the victim agreed to share.
fn shown_to_agency(row: AgencyRow, sealer: &crate::Sealer) -> Result<AgencyReferral, StoreError> {
    let r = open_notes(referral_from(row.referral)?, sealer)?;
    let record: VictimRecord = sealer.victim(r.victim_id, &row.details)?;
    let offence = row
        .offence
        .as_deref()
        .and_then(domain::OffenceCategory::parse);
    let shared = Shared::of(&record, offence, &row.crime_reference, &r.shares, &r.needs);
    Ok(AgencyReferral {
        referral_id: r.referral_id,
        status: r.status,
        made_at: r.made_at,
        answered_at: r.answered_at,
        decline_reason: r.decline_reason,
        outcome: r.outcome,
        outcome_note: r.outcome_note,
        closed_at: r.closed_at,
        shared,
    })
}

/// A referral with the agency's words (why it declined, what came of it) opened.
fn open_notes(mut r: Referral, sealer: &crate::Sealer) -> Result<Referral, StoreError> {
    let open = |column, note: &mut Option<String>| -> Result<(), StoreError> {
        if let Some(sealed) = note.as_deref() {
            *note = Some(
                sealer
                    .open_text(column, sealed)
                    .map_err(|e| e.at("referral", r.referral_id))?,
            );
        }
        Ok(())
    };
    open(crate::seal::REFERRAL_DECLINE_REASON, &mut r.decline_reason)?;
    open(crate::seal::REFERRAL_OUTCOME_NOTE, &mut r.outcome_note)?;
    Ok(r)
}

fn refused(field: &str, problem: &str) -> StoreError {
    StoreError::Refused(vec![Problem::new(field, problem)])
}

crate::for_each_backend! {
    use domain::calendar::london_date;

    pub(crate) async fn save_assessment(
        pool: &sqlx::Pool<DB>,
        (case_id, victim_id): (i64, i64),
        by: AssessedBy,
        taken_by: &str,
        answers: &NeedsAssessment,
        sealer: &crate::Sealer,
        now: DateTime<Utc>,
    ) -> Result<i32, StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let linked: Option<i64> = sqlx::query_scalar(
            "SELECT case_id FROM case_victim WHERE case_id = $1 AND victim_id = $2",
        )
        .bind(case_id)
        .bind(victim_id)
        .fetch_optional(&mut *tx)
        .await?;
        if linked.is_none() {
            tx.rollback().await?;
            return Err(StoreError::NotFound { what: "victim in this case" });
        }
        let last: Option<i32> = sqlx::query_scalar(
            "SELECT MAX(version) FROM needs_assessment WHERE case_id = $1 AND victim_id = $2",
        )
        .bind(case_id)
        .bind(victim_id)
        .fetch_one(&mut *tx)
        .await?;
        let version = last.unwrap_or(0) + 1;
        let json = serde_json::to_string(answers).expect("an assessment always serialises");
        let json = sealer.seal_text(crate::seal::ASSESSMENT_ANSWERS, &json);
        sqlx::query(
            "INSERT INTO needs_assessment (case_id, victim_id, version, assessed_by, taken_by, \
             taken_at, answers) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(case_id)
        .bind(victim_id)
        .bind(version)
        .bind(match by {
            AssessedBy::Staff => "staff",
            AssessedBy::Victim => "victim",
        })
        .bind(taken_by)
        .bind(now)
        .bind(json)
        .execute(&mut *tx)
        .await?;
        // Only staff decide enhanced rights; the victim's own version leaves them as they are.
        if by == AssessedBy::Staff {
            let bits = i32::from(answers.vulnerable) * VULNERABLE
                + i32::from(answers.intimidated) * INTIMIDATED
                + i32::from(answers.persistently_targeted) * PERSISTENTLY_TARGETED;
            sqlx::query("UPDATE victim SET assessed_factors = $1 WHERE victim_id = $2")
                .bind(bits)
                .bind(victim_id)
                .execute(&mut *tx)
                .await?;
        }
        // A way said to be unsafe stops at once, in the same transaction as the answer.
        for channel in &answers.unsafe_channels {
            let held: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM victim_restriction WHERE victim_id = $1 AND channel = $2 \
                 AND lifted_at IS NULL",
            )
            .bind(victim_id)
            .bind(channel.as_str())
            .fetch_one(&mut *tx)
            .await?;
            if held == 0 {
                sqlx::query(
                    "INSERT INTO victim_restriction (victim_id, channel, set_at, set_by) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(victim_id)
                .bind(channel.as_str())
                .bind(now)
                .bind(taken_by)
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query("UPDATE victim SET updated_at = $1 WHERE victim_id = $2")
            .bind(now)
            .bind(victim_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(version)
    }

    pub(crate) async fn refer(
        pool: &sqlx::Pool<DB>,
        r: &NewReferral,
        now: DateTime<Utc>,
    ) -> Result<Referral, StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let inserted: Result<i64, sqlx::Error> = sqlx::query_scalar(
            "INSERT INTO referral (case_id, victim_id, agency, status, basis, shares, needs, \
             safety_checked, made_by, made_at) \
             VALUES ($1, $2, $3, 'sent', $4, $5, $6, $7, $8, $9) RETURNING referral_id",
        )
        .bind(r.case_id)
        .bind(r.victim_id)
        .bind(&r.agency)
        .bind(r.basis.as_str())
        .bind(serde_json::to_string(&r.shares).expect("plain data"))
        .bind(serde_json::to_string(&r.needs).expect("plain data"))
        .bind(r.safety_checked)
        .bind(&r.made_by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        let referral_id = match inserted {
            Ok(id) => id,
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                tx.rollback().await?;
                return Err(refused(
                    "agency",
                    "this victim already has an open referral to this agency",
                ));
            }
            Err(e) => return Err(e.into()),
        };
        // The Code's referral duty is met by making the referral: late if it was overdue.
        let owed: Vec<(i64, chrono::NaiveDate)> = sqlx::query_as(
            "SELECT obligation_id, due_on FROM obligation WHERE case_id = $1 AND victim_id = $2 \
             AND rule_id = $3 AND status IN ('open', 'breached')",
        )
        .bind(r.case_id)
        .bind(r.victim_id)
        .bind(REFERRAL_RULE)
        .fetch_all(&mut *tx)
        .await?;
        for (obligation_id, due) in owed {
            sqlx::query(
                "UPDATE obligation SET status = 'met', closed_at = $1, on_time = $2, \
                 referral_id = $3 WHERE obligation_id = $4",
            )
            .bind(now)
            .bind(london_date(now) <= due)
            .bind(referral_id)
            .bind(obligation_id)
            .execute(&mut *tx)
            .await?;
        }
        let row: ReferralRow = sqlx::query_as(concat!(referral_select!(), " WHERE r.referral_id = $1"))
            .bind(referral_id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        referral_from(row)
    }

    /// The agency's answer: only to a referral of its own that is waiting for one.
    pub(crate) async fn answer(
        pool: &sqlx::Pool<DB>,
        agency: &str,
        referral_id: i64,
        accept: bool,
        reason: Option<&str>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE referral SET status = $1, answered_at = $2, answered_by = $3, \
             decline_reason = $4 WHERE referral_id = $5 AND agency = $6 AND status = 'sent'",
        )
        .bind(if accept { "accepted" } else { "declined" })
        .bind(now)
        .bind(by)
        .bind(reason)
        .bind(referral_id)
        .bind(agency)
        .execute(pool)
        .await?;
        if done.rows_affected() == 1 {
            return Ok(());
        }
        not_waiting(pool, agency, referral_id, "has already been answered").await
    }

    /// The outcome and closure: of an accepted referral (or a waiting one the agency closes
    /// straight away, which also answers it).
    pub(crate) async fn close(
        pool: &sqlx::Pool<DB>,
        agency: &str,
        referral_id: i64,
        outcome: ReferralOutcome,
        note: Option<&str>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE referral SET status = 'closed', outcome = $1, outcome_note = $2, \
             closed_at = $3, answered_at = COALESCE(answered_at, $3), \
             answered_by = COALESCE(answered_by, $4) \
             WHERE referral_id = $5 AND agency = $6 AND status IN ('sent', 'accepted')",
        )
        .bind(outcome.as_str())
        .bind(note)
        .bind(now)
        .bind(by)
        .bind(referral_id)
        .bind(agency)
        .execute(pool)
        .await?;
        if done.rows_affected() == 1 {
            return Ok(());
        }
        not_waiting(pool, agency, referral_id, "is already declined or closed").await
    }

    /// Why a change found nothing to change: another agency's (or no) referral is "not found",
    /// whichever it is; the agency's own in the wrong state is refused with `problem`.
    async fn not_waiting(
        pool: &sqlx::Pool<DB>,
        agency: &str,
        referral_id: i64,
        problem: &str,
    ) -> Result<(), StoreError> {
        let own: Option<i64> = sqlx::query_scalar(
            "SELECT referral_id FROM referral WHERE referral_id = $1 AND agency = $2",
        )
        .bind(referral_id)
        .bind(agency)
        .fetch_optional(pool)
        .await?;
        match own {
            None => Err(StoreError::NotFound { what: "referral" }),
            Some(_) => Err(refused("status", &format!("the referral {problem}"))),
        }
    }

    /// Unanswered referrals older than `after` become a task for victim care, once each.
    pub(crate) async fn chase(
        pool: &sqlx::Pool<DB>,
        after: TimeDelta,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let waiting: Vec<(i64, i64, i64, String)> = sqlx::query_as(
            "SELECT referral_id, case_id, victim_id, agency FROM referral \
             WHERE status = 'sent' AND made_at <= $1 AND chased_at IS NULL \
             ORDER BY referral_id LIMIT 1000",
        )
        .bind(now - after)
        .fetch_all(&mut *tx)
        .await?;
        let mut opened = 0;
        for (referral_id, case_id, victim_id, agency) in &waiting {
            // Marked first and conditionally: another instance's pass at the same moment
            // waits here, then finds it chased and opens no second task.
            let marked = sqlx::query(
                "UPDATE referral SET chased_at = $1 WHERE referral_id = $2 AND chased_at IS NULL",
            )
            .bind(now)
            .bind(referral_id)
            .execute(&mut *tx)
            .await?;
            if marked.rows_affected() != 1 {
                continue;
            }
            opened += 1;
            sqlx::query(
                "INSERT INTO task (kind, case_id, victim_id, due_at, opened_at, reason) \
                 VALUES ($1, $2, $3, $4, $4, $5)",
            )
            .bind(TASK_REFERRAL_UNANSWERED)
            .bind(case_id)
            .bind(victim_id)
            .bind(now)
            .bind(format!(
                "Referral {referral_id} to {agency} has had no answer: chase the agency, or \
                 offer the victim another"
            ))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(opened)
    }
}

impl Db {
    /// Saves a new version of the victim's needs assessment; returns its version number.
    pub async fn save_assessment(
        &self,
        case_id: i64,
        victim_id: i64,
        by: AssessedBy,
        taken_by: &str,
        answers: &NeedsAssessment,
        now: DateTime<Utc>,
    ) -> Result<i32, StoreError> {
        crate::dispatch!(
            self,
            support::save_assessment(
                (case_id, victim_id),
                by,
                taken_by,
                answers,
                self.sealer(),
                now
            )
        )
    }

    /// Every version of the victim's assessment in this case, newest first.
    pub async fn assessments(
        &self,
        case_id: i64,
        victim_id: i64,
    ) -> Result<Vec<StoredAssessment>, StoreError> {
        let rows: Vec<(i64, i32, String, String, DateTime<Utc>, String)> =
            with_pool!(self, |p| sqlx::query_as(
                "SELECT assessment_id, version, assessed_by, taken_by, taken_at, answers \
                 FROM needs_assessment WHERE case_id = $1 AND victim_id = $2 \
                 ORDER BY version DESC"
            )
            .bind(case_id)
            .bind(victim_id)
            .fetch_all(p)
            .await)?;
        rows.into_iter()
            .map(|(id, version, by, taken_by, taken_at, answers)| {
                Ok(StoredAssessment {
                    version,
                    assessed_by: if by == "victim" {
                        AssessedBy::Victim
                    } else {
                        AssessedBy::Staff
                    },
                    taken_by,
                    taken_at,
                    answers: self
                        .sealer()
                        .open_text(crate::seal::ASSESSMENT_ANSWERS, &answers)
                        .and_then(|text| {
                            serde_json::from_str(&text)
                                .map_err(|e| crate::SealError::unreadable(&e))
                        })
                        .map_err(|e| e.at("needs assessment", id))?,
                })
            })
            .collect()
    }

    /// Makes a referral (checked by [`domain::support::check_referral`] before it gets here)
    /// and meets the support-referral obligation with it.
    pub async fn refer(&self, r: &NewReferral, now: DateTime<Utc>) -> Result<Referral, StoreError> {
        crate::dispatch!(self, support::refer(r, now))
    }

    /// The victim said they want no referral: the support-referral obligation is closed as
    /// not wanted. Returns how many were closed.
    pub async fn referral_not_wanted(
        &self,
        case_id: i64,
        victim_id: i64,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let done = with_writer!(self, |p| sqlx::query(
            "UPDATE obligation SET status = 'not_wanted', closed_at = $1 WHERE case_id = $2 \
             AND victim_id = $3 AND rule_id = $4 AND status IN ('open', 'breached')"
        )
        .bind(now)
        .bind(case_id)
        .bind(victim_id)
        .bind(REFERRAL_RULE)
        .execute(p)
        .await
        .map(|d| d.rows_affected()))?;
        Ok(done)
    }

    /// The victim's referrals in this case, newest first.
    pub async fn referrals_of_victim(
        &self,
        case_id: i64,
        victim_id: i64,
    ) -> Result<Vec<Referral>, StoreError> {
        let rows: Vec<ReferralRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            referral_select!(),
            " WHERE r.case_id = $1 AND r.victim_id = $2 ORDER BY r.referral_id DESC"
        ))
        .bind(case_id)
        .bind(victim_id)
        .fetch_all(p)
        .await)?;
        rows.into_iter()
            .map(|row| open_notes(referral_from(row)?, self.sealer()))
            .collect()
    }

    /// An agency's referrals, newest first, with what each victim agreed to share; `open`
    /// keeps only those still waiting or accepted.
    pub async fn referrals_of_agency(
        &self,
        agency: &str,
        open: bool,
    ) -> Result<Vec<AgencyReferral>, StoreError> {
        let rows: Vec<AgencyRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            agency_select!(),
            " WHERE r.agency = $1 AND (r.status IN ('sent', 'accepted') OR NOT $2) \
             ORDER BY r.referral_id DESC LIMIT 500"
        ))
        .bind(agency)
        .bind(open)
        .fetch_all(p)
        .await)?;
        rows.into_iter()
            .map(|r| shown_to_agency(r, self.sealer()))
            .collect()
    }

    /// One referral, if it is this agency's; another agency's is `None`, as if it did not exist.
    pub async fn referral_for_agency(
        &self,
        agency: &str,
        referral_id: i64,
    ) -> Result<Option<AgencyReferral>, StoreError> {
        let row: Option<AgencyRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            agency_select!(),
            " WHERE r.referral_id = $1 AND r.agency = $2"
        ))
        .bind(referral_id)
        .bind(agency)
        .fetch_optional(p)
        .await)?;
        row.map(|r| shown_to_agency(r, self.sealer())).transpose()
    }

    /// The agency accepts or declines (with a reason) its own waiting referral.
    pub async fn answer_referral(
        &self,
        agency: &str,
        referral_id: i64,
        accept: bool,
        reason: Option<&str>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let reason = reason.map(|r| {
            self.sealer()
                .seal_text(crate::seal::REFERRAL_DECLINE_REASON, r)
        });
        crate::dispatch!(
            self,
            support::answer(agency, referral_id, accept, reason.as_deref(), by, now)
        )
    }

    /// The agency records the outcome and closes its referral.
    pub async fn close_referral(
        &self,
        agency: &str,
        referral_id: i64,
        outcome: ReferralOutcome,
        note: Option<&str>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let note = note.map(|n| {
            self.sealer()
                .seal_text(crate::seal::REFERRAL_OUTCOME_NOTE, n)
        });
        crate::dispatch!(
            self,
            support::close(agency, referral_id, outcome, note.as_deref(), by, now)
        )
    }

    /// Opens a task for each referral unanswered for longer than `after`; returns how many.
    pub async fn chase_referrals(
        &self,
        after: TimeDelta,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        crate::dispatch!(self, support::chase(after, now))
    }

    /// Referral figures by agency for referrals made from `from` to `to` (inclusive, London
    /// dates), optionally for one borough and crime type.
    pub async fn referral_figures(
        &self,
        filter: &crate::FigureFilter,
    ) -> Result<Vec<AgencyFigures>, StoreError> {
        type Row = (
            String,
            String,
            Option<String>,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
        );
        let rows: Vec<Row> = with_pool!(self, |p| sqlx::query_as(
            "SELECT r.agency, r.status, r.outcome, r.made_at, r.answered_at FROM referral r \
             JOIN crime_case c ON c.case_id = r.case_id \
             WHERE r.made_at >= $1 AND r.made_at < $2 \
             AND ($3 IS NULL OR c.borough = $3) AND ($4 IS NULL OR c.offence = $4)"
        )
        .bind(filter.start())
        .bind(filter.end())
        .bind(filter.borough.as_deref())
        .bind(filter.offence.as_deref())
        .fetch_all(p)
        .await)?;
        let mut by: std::collections::BTreeMap<String, (AgencyFigures, Vec<f64>)> =
            Default::default();
        for (agency, status, outcome, made, answered) in rows {
            let (f, hours) = by.entry(agency.clone()).or_insert_with(|| {
                (
                    AgencyFigures {
                        agency,
                        ..AgencyFigures::default()
                    },
                    Vec::new(),
                )
            });
            f.made += 1;
            match status.as_str() {
                "sent" => f.waiting += 1,
                "accepted" => f.accepted += 1,
                "declined" => f.declined += 1,
                _ => f.closed += 1,
            }
            if let Some(o) = outcome {
                *f.outcomes.entry(o).or_default() += 1;
            }
            if let Some(a) = answered {
                hours.push((a - made).num_seconds() as f64 / 3600.0);
            }
        }
        Ok(by
            .into_values()
            .map(|(mut f, mut hours)| {
                hours.sort_by(f64::total_cmp);
                f.median_hours_to_answer = median(&hours).map(|h| (h * 10.0).round() / 10.0);
                f
            })
            .collect())
    }
}

/// The middle of sorted values (the mean of the two middle ones for an even count).
pub(crate) fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}
