//! Victims' cases kept in memory between their page views. A case page needs the case's
//! events, the victim's record and their restrictions; reading those every view costs more
//! than everything else on the page together. Each view's session lookup also says when the
//! case and the victim last changed (`PortalSession::changed_at`); what is kept is used only
//! while that has not moved, so a view never shows less than the database holds, on any
//! number of instances.

use chrono::{DateTime, Utc};
use std::sync::Arc;
use store::{CaseDetail, Db, PortalSession, StoreError};

type Stamp = (DateTime<Utc>, DateTime<Utc>);

pub struct Kept {
    changed_at: Stamp,
    pub case: CaseDetail,
    /// The ways the victim said are not safe.
    pub restricted: Vec<String>,
}

impl Kept {
    /// The signed-in victim's own record in the case.
    pub fn victim(&self, victim_id: i64) -> Option<&domain::victim::VictimRecord> {
        self.case
            .victims
            .iter()
            .find(|v| v.victim_id == victim_id)
            .map(|v| &v.record)
    }
}

pub struct KeptCases(quick_cache::sync::Cache<(i64, i64), Arc<Kept>>);

impl KeptCases {
    /// Keeps at most `capacity` victims' cases, dropping the least used.
    pub fn new(capacity: usize) -> Self {
        Self(quick_cache::sync::Cache::new(capacity))
    }

    /// The case as the session's victim sees it, from memory while it is current.
    pub async fn get(
        &self,
        db: &Db,
        session: &PortalSession,
    ) -> Result<Option<Arc<Kept>>, StoreError> {
        let key = (session.case_id, session.victim_id);
        if let Some(kept) = self.0.get(&key)
            && kept.changed_at == session.changed_at
        {
            return Ok(Some(kept));
        }
        // Stamped with the time read before the case: a change landing in between makes the
        // next view read it again, never keep it stale.
        let Some(case) = db.case_by_id(session.case_id).await? else {
            return Ok(None);
        };
        let restricted = db.restricted_channels(session.victim_id).await?;
        let kept = Arc::new(Kept {
            changed_at: session.changed_at,
            case,
            restricted,
        });
        self.0.insert(key, kept.clone());
        Ok(Some(kept))
    }
}
