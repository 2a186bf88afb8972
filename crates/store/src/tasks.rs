//! Work queues: tasks for a person, with an owner, a due time, claim and release, and an
//! outcome when done. Each kind of task belongs to a team.

use crate::{Db, StoreError, with_pool, with_writer};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The team whose queue a kind of task is on.
pub fn team_of(kind: &str) -> &'static str {
    if HELPLINE_KINDS.contains(&kind) {
        "helpline"
    } else if RESPONSE_KINDS.contains(&kind) {
        "response"
    } else {
        "victim_care"
    }
}

/// A task with what a queue shows of it (nothing personal: the case view has that).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TaskView {
    pub task_id: i64,
    pub kind: String,
    pub case_id: i64,
    pub crime_reference: String,
    pub victim_id: Option<i64>,
    pub due_at: DateTime<Utc>,
    pub opened_at: DateTime<Utc>,
    pub owner_id: Option<i64>,
    pub owner: Option<String>,
    pub reason: Option<String>,
    pub preferred_time: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    pub closed_by: Option<String>,
}

/// Which tasks a queue lists.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// Only tasks of these kinds (a team's); empty: all.
    pub kinds: Vec<&'static str>,
    /// Only tasks of these cases (an officer's); `None`: all.
    pub cases: Option<Vec<i64>>,
    pub owner_id: Option<i64>,
    pub limit: i64,
}

macro_rules! task_select {
    () => {
        "SELECT t.task_id, t.kind, t.case_id, c.crime_reference, t.victim_id, t.due_at, \
         t.opened_at, t.owner_id, u.display_name AS owner, t.reason, t.preferred_time, \
         t.closed_at, t.outcome, t.closed_by FROM task t \
         JOIN crime_case c ON c.case_id = t.case_id \
         LEFT JOIN staff_user u ON u.user_id = t.owner_id"
    };
}

/// Every kind of task, by team.
pub const HELPLINE_KINDS: [&str; 3] = [
    crate::portal::TASK_CALLBACK,
    crate::contact_log::TASK_CALLBACK_PROMISED,
    crate::portal::TASK_CONTACT_CHECK,
];
/// The response team's: home burglaries waiting for an officer.
pub const RESPONSE_KINDS: [&str; 1] = [crate::attendance::TASK_UNATTENDED];
pub const VICTIM_CARE_KINDS: [&str; 3] = [
    crate::obligations::TASK_BREACHED,
    crate::messages::TASK_MESSAGE,
    crate::support::TASK_REFERRAL_UNANSWERED,
];

/// An owed update not yet given whose day has come: what the victim care team chases before
/// it becomes a breach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DueSoon {
    pub obligation_id: i64,
    pub case_id: i64,
    pub crime_reference: String,
    pub victim_id: i64,
    pub rule: String,
    pub due_on: chrono::NaiveDate,
}

impl Db {
    /// Open obligations due on or before `by`, soonest first (what the breach pass will
    /// catch next if nobody acts); limited to `cases` when given (an officer's).
    pub async fn obligations_due_by(
        &self,
        by: chrono::NaiveDate,
        cases: Option<&[i64]>,
        limit: i64,
    ) -> Result<Vec<DueSoon>, StoreError> {
        // Through the index of open obligations by the week they are due: the weeks up to
        // `by`, then the exact day.
        let week = match self {
            Db::Sqlite(_) => crate::obligations::sqlite::DUE_WEEK,
            Db::Postgres(_) => crate::obligations::postgres::DUE_WEEK,
        };
        let sql = format!(
            "SELECT o.obligation_id, o.case_id, c.crime_reference, o.victim_id, o.rule_id AS rule, \
             o.due_on FROM obligation o JOIN crime_case c ON c.case_id = o.case_id \
             WHERE o.status = 'open' AND {week} <= $1 AND o.due_on <= $2 \
             ORDER BY o.due_on, o.obligation_id LIMIT $3"
        );
        let rows: Vec<DueSoon> = with_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(crate::obligations::due_week(by))
                .bind(by)
                .bind(if cases.is_some() {
                    5000
                } else {
                    limit.clamp(1, 500)
                })
                .fetch_all(p)
                .await
        })?;
        Ok(match cases {
            None => rows,
            Some(own) => rows
                .into_iter()
                .filter(|r| own.contains(&r.case_id))
                .take(usize::try_from(limit.clamp(1, 500)).unwrap_or(50))
                .collect(),
        })
    }

    /// Open tasks, soonest due first.
    pub async fn queue(&self, f: &QueueFilter) -> Result<Vec<TaskView>, StoreError> {
        const OPEN: &str = concat!(task_select!(), " WHERE t.closed_at IS NULL");
        let limit = f.limit.clamp(1, 500);
        match self {
            Db::Sqlite(s) => {
                let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(OPEN);
                filter(&mut qb, f, limit);
                self.open_tasks(qb.build_query_as().fetch_all(&s.reader).await?)
            }
            Db::Postgres(p) => {
                let mut qb = sqlx::QueryBuilder::<sqlx::Postgres>::new(OPEN);
                filter(&mut qb, f, limit);
                self.open_tasks(qb.build_query_as().fetch_all(&p.pool).await?)
            }
        }
    }

    pub async fn task(&self, task_id: i64) -> Result<Option<TaskView>, StoreError> {
        let row: Option<TaskView> = with_pool!(self, |p| sqlx::query_as(concat!(
            task_select!(),
            " WHERE t.task_id = $1"
        ))
        .bind(task_id)
        .fetch_optional(p)
        .await)?;
        Ok(self.open_tasks(row.into_iter().collect())?.pop())
    }

    /// Tasks with the words about the victim opened: when to ring, and what came of it
    /// (outcomes the service wrote itself were never sealed and read as they are).
    fn open_tasks(&self, mut tasks: Vec<TaskView>) -> Result<Vec<TaskView>, StoreError> {
        for t in &mut tasks {
            for (column, value) in [
                (crate::seal::TASK_PREFERRED_TIME, &mut t.preferred_time),
                (crate::seal::TASK_OUTCOME, &mut t.outcome),
            ] {
                if let Some(sealed) = value.as_deref() {
                    *value = Some(
                        self.sealer()
                            .open_text(column, sealed)
                            .map_err(|e| e.at("task", t.task_id))?,
                    );
                }
            }
        }
        Ok(tasks)
    }

    /// Open tasks of one victim in a case, for the case view.
    pub async fn tasks_of_victim(
        &self,
        case_id: i64,
        victim_id: i64,
    ) -> Result<Vec<TaskView>, StoreError> {
        let rows = with_pool!(self, |p| sqlx::query_as(concat!(
            task_select!(),
            " WHERE t.case_id = $1 AND (t.victim_id = $2 OR t.victim_id IS NULL) \
             ORDER BY t.closed_at IS NOT NULL, t.due_at DESC LIMIT 50"
        ))
        .bind(case_id)
        .bind(victim_id)
        .fetch_all(p)
        .await)?;
        self.open_tasks(rows)
    }

    /// Takes an open task nobody holds. Returns whether it is now the user's.
    pub async fn claim_task(
        &self,
        task_id: i64,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = with_writer!(self, |p| sqlx::query(
            "UPDATE task SET owner_id = $1, claimed_at = $2 WHERE task_id = $3 \
             AND closed_at IS NULL AND (owner_id IS NULL OR owner_id = $1)"
        )
        .bind(user_id)
        .bind(now)
        .bind(task_id)
        .execute(p)
        .await
        .map(|d| d.rows_affected()))?;
        Ok(n > 0)
    }

    /// Gives back a task the user holds.
    pub async fn release_task(&self, task_id: i64, user_id: i64) -> Result<bool, StoreError> {
        let n = with_writer!(self, |p| sqlx::query(
            "UPDATE task SET owner_id = NULL, claimed_at = NULL WHERE task_id = $1 \
             AND owner_id = $2 AND closed_at IS NULL"
        )
        .bind(task_id)
        .bind(user_id)
        .execute(p)
        .await
        .map(|d| d.rows_affected()))?;
        Ok(n > 0)
    }

    /// Closes a task the user holds, with what came of it.
    pub async fn complete_task(
        &self,
        task_id: i64,
        user_id: i64,
        username: &str,
        outcome: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = with_writer!(self, |p| sqlx::query(
            "UPDATE task SET closed_at = $1, outcome = $2, closed_by = $3 WHERE task_id = $4 \
             AND owner_id = $5 AND closed_at IS NULL"
        )
        .bind(now)
        .bind(self.sealer().seal_text(crate::seal::TASK_OUTCOME, outcome))
        .bind(username)
        .bind(task_id)
        .bind(user_id)
        .execute(p)
        .await
        .map(|d| d.rows_affected()))?;
        Ok(n > 0)
    }
}

fn filter<D>(qb: &mut sqlx::QueryBuilder<D>, f: &QueueFilter, limit: i64)
where
    D: sqlx::Database,
    for<'q> i64: sqlx::Encode<'q, D> + sqlx::Type<D>,
    for<'q> &'static str: sqlx::Encode<'q, D> + sqlx::Type<D>,
{
    if !f.kinds.is_empty() {
        qb.push(" AND t.kind IN (");
        let mut list = qb.separated(", ");
        for k in &f.kinds {
            list.push_bind(*k);
        }
        qb.push(")");
    }
    if let Some(cases) = &f.cases {
        if cases.is_empty() {
            qb.push(" AND 1 = 0");
        } else {
            qb.push(" AND t.case_id IN (");
            let mut list = qb.separated(", ");
            for c in cases {
                list.push_bind(*c);
            }
            qb.push(")");
        }
    }
    if let Some(owner) = f.owner_id {
        qb.push(" AND t.owner_id = ").push_bind(owner);
    }
    qb.push(" ORDER BY t.due_at, t.task_id LIMIT ")
        .push_bind(limit);
}
