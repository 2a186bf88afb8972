//! `victimcare rebuild`: recompute every projection from the stored events, report what
//! differs, and (unless asked only to check) put it right.

use crate::{Db, StoreError, dispatch, for_each_backend};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// How many differing crime references a report names; the counts are always complete.
const NAMED: usize = 50;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RebuildReport {
    pub cases: u64,
    pub events: u64,
    pub cases_differing: u64,
    pub victims_differing: u64,
    pub links_missing: u64,
    /// The first few cases whose stored projection differed.
    pub differing_references: Vec<String>,
    /// Whether the differences were written back.
    pub repaired: bool,
}

impl Db {
    /// Rebuilds every case projection and every victim's details from the events. With
    /// `repair` false it only reports.
    pub async fn rebuild(
        &self,
        repair: bool,
        now: DateTime<Utc>,
    ) -> Result<RebuildReport, StoreError> {
        dispatch!(
            self,
            rebuild::rebuild(repair, self.lookup(), self.sealer(), now)
        )
    }
}

for_each_backend! {
    peers()
    use crate::cases::{stored_event, EventRow};
    use domain::victim::{VictimRecord, VictimRef};
    use domain::CaseState;
    use serde_json::value::RawValue;
    use sqlx::types::Json;
    use sqlx::QueryBuilder;
    use std::collections::{HashMap, HashSet};

    const PAGE: i64 = 1000;

    pub(crate) async fn rebuild(
        pool: &sqlx::Pool<DB>,
        repair: bool,
        lookup: &crate::LookupKey,
        sealer: &crate::Sealer,
        now: DateTime<Utc>,
    ) -> Result<RebuildReport, StoreError> {
        let mut report = RebuildReport { repaired: repair, ..RebuildReport::default() };
        let mut victims: HashMap<VictimRef, (DateTime<Utc>, i64, VictimRecord)> = HashMap::new();
        let mut missing_links: Vec<(i64, String)> = Vec::new();
        let mut after = 0_i64;
        loop {
            // Each page is read and corrected under the ingest lock, so a batch ingested
            // meanwhile can neither be overwritten nor look like a difference.
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            if let Some(lock) = LOCK_INGEST {
                sqlx::query(lock).execute(&mut *tx).await?;
            }
            let page: Vec<(i64, String, Json<Box<RawValue>>)> = sqlx::query_as(
                "SELECT case_id, crime_reference, state FROM crime_case \
                 WHERE case_id > $1 ORDER BY case_id LIMIT $2",
            )
            .bind(after)
            .bind(PAGE)
            .fetch_all(&mut *tx)
            .await?;
            let Some(last) = page.last() else { break };
            after = last.0;

            let mut qb = QueryBuilder::<DB>::new(
                "SELECT case_id, event_id, source, source_event_id, event_type, occurred_at, \
                 received_at, payload FROM case_event WHERE case_id IN (",
            );
            let mut list = qb.separated(", ");
            for (case_id, _, _) in &page {
                list.push_bind(*case_id);
            }
            qb.push(") ORDER BY case_id, event_id");
            let rows: Vec<EventRow> = qb.build_query_as().fetch_all(&mut *tx).await?;
            let names: HashMap<i64, &str> = page.iter().map(|(id, r, _)| (*id, r.as_str())).collect();
            let mut per_case: HashMap<i64, Vec<(i64, domain::Event)>> = HashMap::new();
            for row in rows {
                let (case_id, event_id) = (row.case_id, row.event_id);
                let event = stored_event(names[&case_id], row, sealer)?;
                per_case.entry(case_id).or_default().push((event_id, event));
            }

            let mut qb = QueryBuilder::<DB>::new(
                "SELECT cv.case_id, v.victim_ref FROM case_victim cv \
                 JOIN victim v ON v.victim_id = cv.victim_id WHERE cv.case_id IN (",
            );
            let mut list = qb.separated(", ");
            for (case_id, _, _) in &page {
                list.push_bind(*case_id);
            }
            qb.push(")");
            let links: HashSet<(i64, String)> =
                qb.build_query_as().fetch_all(&mut *tx).await?.into_iter().collect();

            let mut changed: Vec<(i64, CaseState)> = Vec::new();
            for (case_id, crime_reference, Json(stored)) in page {
                // A projection the code cannot read any more counts as a difference.
                let stored: Option<CaseState> =
                    sealer.open_json(crate::seal::CASE_STATE, stored.get()).ok();
                let events = per_case.remove(&case_id).unwrap_or_default();
                report.cases += 1;
                report.events += events.len() as u64;
                for (event_id, event) in &events {
                    for record in event.body.victim_records() {
                        let candidate = (event.occurred_at, *event_id);
                        let newer = victims
                            .get(&record.victim_ref)
                            .is_none_or(|held| candidate > (held.0, held.1));
                        if newer {
                            victims.insert(
                                record.victim_ref.clone(),
                                (candidate.0, candidate.1, record.clone()),
                            );
                        }
                        let link = (case_id, record.victim_ref.as_str().to_owned());
                        if !links.contains(&link) && !missing_links.contains(&link) {
                            missing_links.push(link);
                        }
                    }
                }
                let Some(state) = CaseState::rebuild(events.iter().map(|(_, e)| e)) else {
                    continue;
                };
                if stored.as_ref() != Some(&state) {
                    report.cases_differing += 1;
                    if report.differing_references.len() < NAMED {
                        report.differing_references.push(crime_reference);
                    }
                    changed.push((case_id, state));
                }
            }
            if repair && !changed.is_empty() {
                <DB as crate::bulk::Bulk>::upsert_states(&mut tx, &changed, sealer, now).await?;
            }
            tx.commit().await?;
        }

        let mut stale: Vec<(&VictimRef, crate::ingest::Latest<'_>)> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut after = 0_i64;
        loop {
            let page: Vec<(i64, String, crate::StoredJson, DateTime<Utc>)> = sqlx::query_as(
                "SELECT victim_id, victim_ref, details, details_as_of FROM victim \
                 WHERE victim_id > $1 ORDER BY victim_id LIMIT $2",
            )
            .bind(after)
            .bind(PAGE)
            .fetch_all(pool)
            .await?;
            let Some(last) = page.last() else { break };
            after = last.0;
            for (victim_id, victim_ref, stored, as_of) in page {
                let stored = sealer.victim(victim_id, &stored)?;
                if let Some((key, (at, id, record))) = victims.get_key_value(victim_ref.as_str())
                    && (*record != stored || *at != as_of)
                {
                    stale.push((key, (*at, *id, record)));
                }
                seen.insert(victim_ref);
            }
        }
        for (key, (at, id, record)) in &victims {
            if !seen.contains(key.as_str()) {
                stale.push((key, (*at, *id, record)));
            }
        }
        report.victims_differing = stale.len() as u64;
        report.links_missing = missing_links.len() as u64;
        if repair && (!stale.is_empty() || !missing_links.is_empty()) {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            // As for projections: ingest's engine reads the victims as they were before the
            // batch, and must not find one appear in between.
            if let Some(lock) = LOCK_INGEST {
                sqlx::query(lock).execute(&mut *tx).await?;
            }
            let rows = crate::bulk::victim_rows(&stale, lookup, sealer);
            <DB as crate::bulk::Bulk>::upsert_victims(&mut tx, &rows, lookup.id(), now).await?;
            let links: Vec<(i64, &str)> =
                missing_links.iter().map(|(c, v)| (*c, v.as_str())).collect();
            <DB as crate::bulk::Bulk>::link_victims(&mut tx, &links).await?;
            tx.commit().await?;
        }
        Ok(report)
    }
}
