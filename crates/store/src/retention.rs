//! Retention: a victim's personal data is erased once every case they are in has been closed
//! for the retention period, unless a legal hold is on one of those cases. What stays is what
//! the statistics need and nothing that names them: the cases, the obligations and whether
//! they were met, the anonymous survey answers, the audit log. Ways they said are not safe to
//! contact them stay too: if their details ever came back, those must still hold.

use crate::{Db, StoreError, with_pool, with_writer};
use chrono::{DateTime, TimeDelta, Utc};
use domain::victim::{VictimKind, VictimRecord};
use serde::Serialize;
use serde_json::Value;

/// What a victim's record becomes: their reference and kind, and nothing else about them.
fn erased_record(old: &VictimRecord) -> Result<Value, StoreError> {
    let mut v = serde_json::json!({
        "ref": old.victim_ref.as_str(),
        "kind": old.kind,
        "name": "[erased]",
    });
    match old.kind {
        VictimKind::Business => v["business_name"] = "[erased]".into(),
        VictimKind::BereavedRelative => v["relationship_to_deceased"] = "[erased]".into(),
        VictimKind::Person => {}
    }
    // It must still read as a record, so every page and rebuild that meets it works.
    serde_json::from_value::<VictimRecord>(v.clone()).map_err(|e| StoreError::Corrupt {
        what: "erased record",
        id: 0,
        problem: e.to_string(),
    })?;
    Ok(v)
}

/// What a retention run found, and (unless a dry run) did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RetentionReport {
    pub dry_run: bool,
    /// Victims whose cases all closed before the cut-off.
    pub due: u64,
    /// Of those, kept because a legal hold is on one of their cases.
    pub held: u64,
    /// Victims whose personal data was erased (0 on a dry run).
    pub erased: u64,
    /// Events whose copy of the victim's details was erased.
    pub events_scrubbed: u64,
}

/// A legal hold on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LegalHold {
    pub hold_id: i64,
    pub case_id: i64,
    pub reason: String,
    pub placed_by: String,
    pub placed_at: DateTime<Utc>,
}

const DUE: &str = "SELECT v.victim_id FROM victim v WHERE v.erased_at IS NULL \
     AND EXISTS (SELECT 1 FROM case_victim cv WHERE cv.victim_id = v.victim_id) \
     AND NOT EXISTS (SELECT 1 FROM case_victim cv JOIN crime_case c ON c.case_id = cv.case_id \
         WHERE cv.victim_id = v.victim_id AND (c.phase <> 'closed' OR c.phase_since > $1))";
const HELD: &str = " AND EXISTS (SELECT 1 FROM case_victim cv JOIN legal_hold h \
     ON h.case_id = cv.case_id WHERE cv.victim_id = v.victim_id AND h.lifted_at IS NULL)";

impl Db {
    /// Puts a legal hold on a case: none of its victims' data is erased while it stands.
    pub async fn place_hold(
        &self,
        case_id: i64,
        reason: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let id = with_writer!(self, |p| sqlx::query_scalar(
            "INSERT INTO legal_hold (case_id, reason, placed_by, placed_at) \
             VALUES ($1, $2, $3, $4) RETURNING hold_id"
        )
        .bind(case_id)
        .bind(reason)
        .bind(by)
        .bind(now)
        .fetch_one(p)
        .await)?;
        Ok(id)
    }

    /// Lifts every hold on a case; returns how many.
    pub async fn lift_holds(
        &self,
        case_id: i64,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let n = with_writer!(self, |p| sqlx::query(
            "UPDATE legal_hold SET lifted_at = $1, lifted_by = $2 \
             WHERE case_id = $3 AND lifted_at IS NULL"
        )
        .bind(now)
        .bind(by)
        .bind(case_id)
        .execute(p)
        .await
        .map(|d| d.rows_affected()))?;
        Ok(n)
    }

    pub async fn holds(&self) -> Result<Vec<LegalHold>, StoreError> {
        let rows = with_pool!(self, |p| sqlx::query_as(
            "SELECT hold_id, case_id, reason, placed_by, placed_at FROM legal_hold \
             WHERE lifted_at IS NULL ORDER BY hold_id"
        )
        .fetch_all(p)
        .await)?;
        Ok(rows)
    }

    /// Erases the personal data of every victim whose cases all closed more than `keep`
    /// ago and are under no legal hold, one victim per transaction (a run stopped half way
    /// leaves every victim either untouched or fully erased). A dry run only counts.
    pub async fn run_retention(
        &self,
        keep: TimeDelta,
        dry_run: bool,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<RetentionReport, StoreError> {
        let cutoff = now - keep;
        let due: Vec<i64> = with_pool!(self, |p| sqlx::query_scalar(DUE)
            .bind(cutoff)
            .fetch_all(p)
            .await)?;
        let held_sql = format!("{DUE}{HELD}");
        // Built from the constants above only.
        let held: Vec<i64> = with_pool!(self, |p| sqlx::query_scalar(sqlx::AssertSqlSafe(
            held_sql.clone()
        ))
        .bind(cutoff)
        .fetch_all(p)
        .await)?;
        let mut report = RetentionReport {
            dry_run,
            due: due.len() as u64,
            held: held.len() as u64,
            ..RetentionReport::default()
        };
        if dry_run {
            return Ok(report);
        }
        for victim_id in due.into_iter().filter(|v| !held.contains(v)) {
            let scrubbed =
                crate::dispatch!(self, retention::erase(victim_id, by, self.sealer(), now))?;
            report.erased += 1;
            report.events_scrubbed += scrubbed;
        }
        Ok(report)
    }
}

/// Replaces the victim's copy in an event's payload; whether anything changed.
fn scrub(payload: &mut Value, victim_ref: &str, erased: &Value) -> bool {
    let mut changed = false;
    let mut replace = |v: &mut Value| {
        if v.get("ref").and_then(Value::as_str) == Some(victim_ref) {
            *v = erased.clone();
            changed = true;
        }
    };
    if let Some(list) = payload.get_mut("victims").and_then(Value::as_array_mut) {
        list.iter_mut().for_each(&mut replace);
    }
    if let Some(one) = payload.get_mut("victim") {
        replace(one);
    }
    changed
}

crate::for_each_backend! {
    peers(audit)

    /// Erases one victim in one transaction; returns the events scrubbed.
    pub(crate) async fn erase(
        pool: &sqlx::Pool<DB>,
        victim_id: i64,
        by: &str,
        sealer: &crate::Sealer,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let (details,): (crate::seal::StoredJson,) = sqlx::query_as(
            "SELECT details FROM victim WHERE victim_id = $1 AND erased_at IS NULL",
        )
        .bind(victim_id)
        .fetch_one(&mut *tx)
        .await?;
        let record: VictimRecord = sealer.victim(victim_id, &details)?;
        let erased = erased_record(&record)?;
        sqlx::query(
            "UPDATE victim SET details = $1, phone_index = NULL, email_index = NULL, \
             dob_index = NULL, erased_at = $2, updated_at = $2 WHERE victim_id = $3",
        )
        .bind(sealer.seal_json(crate::seal::VICTIM_DETAILS, &erased))
        .bind(now)
        .bind(victim_id)
        .execute(&mut *tx)
        .await?;
        // The feed's events carry a copy of their details: those copies go too.
        let events: Vec<(i64, crate::seal::StoredJson)> = sqlx::query_as(
            "SELECT e.event_id, e.payload FROM case_event e \
             JOIN case_victim cv ON cv.case_id = e.case_id \
             WHERE cv.victim_id = $1 AND e.event_type IN ('reported', 'victim_details_changed')",
        )
        .bind(victim_id)
        .fetch_all(&mut *tx)
        .await?;
        let mut scrubbed = 0;
        for (event_id, stored) in events {
            let mut payload: Value = sealer
                .open_json(crate::seal::EVENT_PAYLOAD, stored.0.get())
                .map_err(|e| e.at("event", event_id))?;
            if scrub(&mut payload, record.victim_ref.as_str(), &erased) {
                sqlx::query("UPDATE case_event SET payload = $1 WHERE event_id = $2")
                    .bind(sealer.seal_json(crate::seal::EVENT_PAYLOAD, &payload))
                    .bind(event_id)
                    .execute(&mut *tx)
                    .await?;
                scrubbed += 1;
            }
        }
        // Their own words and what they told us, wherever they are kept.
        for sql in [
            "UPDATE feedback SET comment = NULL WHERE victim_id = $1",
            // A named survey answer's words; the scores stay for the statistics.
            "UPDATE survey_response SET comment = NULL WHERE victim_id = $1",
            "UPDATE referral SET outcome_note = NULL, decline_reason = NULL WHERE victim_id = $1",
            "UPDATE task SET preferred_time = NULL WHERE victim_id = $1",
            "UPDATE contact_log SET note = '[erased]', told = '[erased]', follow_up = NULL \
             WHERE victim_id = $1",
            "DELETE FROM portal_pin WHERE victim_id = $1",
            "DELETE FROM needs_assessment WHERE victim_id = $1",
            "DELETE FROM panel_invitation WHERE victim_id = $1",
            "DELETE FROM panel_member WHERE victim_id = $1",
        ] {
            sqlx::query(sql).bind(victim_id).execute(&mut *tx).await?;
        }
        sqlx::query(
            "UPDATE portal_session SET ended_at = $1 WHERE ended_at IS NULL AND access_id IN \
             (SELECT access_id FROM portal_access WHERE victim_id = $2)",
        )
        .bind(now)
        .bind(victim_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE portal_access SET revoked_at = $1 WHERE victim_id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(victim_id)
        .execute(&mut *tx)
        .await?;
        audit::append_in(
            &mut tx,
            &crate::AuditEntry {
                actor: by.to_owned(),
                action: "erased under the retention policy".into(),
                victim_id: Some(victim_id),
                detail: format!("{scrubbed} events' copies of their details erased"),
                ..crate::AuditEntry::default()
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(scrubbed)
    }
}
