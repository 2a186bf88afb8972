//! Migrations that change stored data, run on data stored before them: a database is brought
//! up to the version before, given rows in the old shape, then brought up to date.

use sqlx::migrate::Migrator;

/// The migration that moved the case facts out of an obligation's reasons.
const OBLIGATION_FACTS: i64 = 20261128000029;

/// The SQLite migration that made the obligation table again without its key to case_victim.
const OBLIGATION_LINK_CHECK: i64 = 20261128000031;

/// The migrations of `backend` before `version`, read from a copy of their folder without the
/// rest (removed when the answer is dropped).
async fn before(backend: &str, version: i64) -> (Migrator, Folder) {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let to =
        Folder(std::env::temp_dir().join(format!("vc_migrations_{:016x}", rand::random::<u64>())));
    std::fs::create_dir_all(&to.0).unwrap();
    for entry in std::fs::read_dir(&from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let older = name
            .split('_')
            .next()
            .and_then(|v| v.parse::<i64>().ok())
            .is_some_and(|v| v < version);
        if older {
            std::fs::copy(&path, to.0.join(&name)).unwrap();
        }
    }
    (Migrator::new(to.0.as_path()).await.unwrap(), to)
}

/// A temporary folder, removed when dropped.
struct Folder(std::path::PathBuf);

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An obligation with enhanced rights and the event that set its case facts, and one with
/// neither, as they were stored before the migration.
const OLD_REASONS: [&str; 2] = [
    r#"{"reasons":["domestic_abuse","persistently_targeted"],"case_facts_set_by":{"source":"cris","event":"CRIS-1-00","at":"2026-04-12T13:28:48Z"}}"#,
    r#"{"reasons":[]}"#,
];

const OLD_OBLIGATION: &str = "INSERT INTO obligation (case_id, victim_id, rule_id, code_right, \
     source, source_event_id, due_on, enhanced, reasons, explanation, rule_set, calendar, \
     status, created_at) VALUES (1, 1, 'P12-arrest', 6, 'cris', 'CRIS-1-01', '2026-04-20', \
     $1, $2, '', 'vcop-2021/1', 'ew-2026.1', 'open', '2026-04-13T10:00:00Z')";

/// What the migration left: reasons, facts source, facts event, in insertion order.
type After = Vec<(String, Option<String>, Option<String>)>;

fn assert_moved(after: &After) {
    let lists: Vec<serde_json::Value> = after
        .iter()
        .map(|(r, _, _)| serde_json::from_str(r).unwrap())
        .collect();
    assert_eq!(
        lists,
        [
            serde_json::json!(["domestic_abuse", "persistently_targeted"]),
            serde_json::json!([])
        ]
    );
    assert_eq!(
        (after[0].1.as_deref(), after[0].2.as_deref()),
        (Some("cris"), Some("CRIS-1-00"))
    );
    assert_eq!((after[1].1.as_deref(), after[1].2.as_deref()), (None, None));
}

/// A new SQLite file brought up to the migration before `version`, holding two obligations
/// (enhanced, then not) with `reasons` in the shape of the time, written with foreign keys
/// off: only the obligations matter, not the cases and victims they name. Also the file's
/// path and its options, foreign keys as the caller wants them.
async fn sqlite_before_with_obligations(
    version: i64,
    reasons: [&str; 2],
) -> (
    sqlx::SqlitePool,
    std::path::PathBuf,
    sqlx::sqlite::SqliteConnectOptions,
) {
    let path = std::env::temp_dir().join(format!("vc_migration_{:016x}.db", rand::random::<u64>()));
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options.clone().foreign_keys(false))
        .await
        .unwrap();
    let (older, _folder) = before("sqlite", version).await;
    older.run(&pool).await.unwrap();
    for (enhanced, reasons) in [(true, reasons[0]), (false, reasons[1])] {
        sqlx::query(OLD_OBLIGATION)
            .bind(enhanced)
            .bind(reasons)
            .execute(&pool)
            .await
            .unwrap();
    }
    (pool, path, options)
}

#[tokio::test]
async fn sqlite_obligations_keep_their_reasons_and_name_the_facts_event() {
    let (pool, path, _) = sqlite_before_with_obligations(OBLIGATION_FACTS, OLD_REASONS).await;
    sqlx::migrate!("migrations/sqlite")
        .run(&pool)
        .await
        .unwrap();
    let after: After = sqlx::query_as(
        "SELECT reasons, facts_source, facts_event FROM obligation ORDER BY obligation_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    let _ = std::fs::remove_file(&path);
    assert_moved(&after);
}

/// Every column of the obligation table, in order, before and after migration 31.
const OBLIGATION_COLUMNS: [&str; 25] = [
    "obligation_id",
    "case_id",
    "victim_id",
    "rule_id",
    "code_right",
    "source",
    "source_event_id",
    "due_on",
    "enhanced",
    "reasons",
    "explanation",
    "rule_set",
    "calendar",
    "status",
    "created_at",
    "closed_at",
    "on_time",
    "contact_id",
    "breached_at",
    "waiver_reason",
    "waived_by",
    "approved_by",
    "referral_id",
    "facts_source",
    "facts_event",
];

#[tokio::test]
async fn sqlite_obligations_made_again_keep_every_row_and_the_tasks_that_name_them() {
    let (pool, path, options) =
        sqlite_before_with_obligations(OBLIGATION_LINK_CHECK, [r#"["domestic_abuse"]"#, "[]"])
            .await;
    // Every column holds something of its own.
    sqlx::query(
        "UPDATE obligation SET status = 'waived', closed_at = '2026-04-22T10:00:00Z', \
         on_time = 0, contact_id = 7, breached_at = '2026-04-21T00:00:00Z', \
         waiver_reason = 'moved abroad', waived_by = 'PS Khan', approved_by = 'Insp Shaw', \
         referral_id = 9, facts_source = 'cris', facts_event = 'CRIS-1-00', \
         explanation = 'due Mon 20 Apr 2026' WHERE obligation_id = 2",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO task (kind, case_id, victim_id, obligation_id, due_at, opened_at) \
         VALUES ('obligation_breached', 1, 1, 2, '2026-04-21T09:00:00Z', '2026-04-21T00:00:00Z')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let every_column = OBLIGATION_COLUMNS
        .iter()
        .map(|c| format!("quote({c})"))
        .collect::<Vec<_>>()
        .join(" || '|' || ");
    let read = format!("SELECT {every_column} FROM obligation ORDER BY obligation_id");
    let before: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(read.clone()))
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;

    // As the service opens it: foreign keys on, so dropping the old table would fail if the
    // migration did not turn them off first (a task names an obligation).
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options.foreign_keys(true))
        .await
        .unwrap();
    sqlx::migrate!("migrations/sqlite")
        .run(&pool)
        .await
        .unwrap();
    let after: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(read))
        .fetch_all(&pool)
        .await
        .unwrap();
    let columns: Vec<String> =
        sqlx::query_scalar("SELECT name FROM pragma_table_info('obligation') ORDER BY cid")
            .fetch_all(&pool)
            .await
            .unwrap();
    let parents: Vec<String> =
        sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_list('obligation')")
            .fetch_all(&pool)
            .await
            .unwrap();
    let dangling: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pragma_foreign_key_check('task') WHERE parent = 'obligation'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let keys_on: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&pool)
        .await
        .unwrap();
    let week_index: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND name = 'obligation_open_week'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    let _ = std::fs::remove_file(&path);
    assert_eq!(before.len(), 2);
    assert_eq!(after, before, "every row, every column");
    assert_eq!(columns, OBLIGATION_COLUMNS, "the columns keep their order");
    assert_eq!(
        parents,
        ["contact"],
        "no key to case_victim; the contact's stays"
    );
    assert_eq!(
        dangling, 0,
        "the task names the obligation in the new table"
    );
    assert_eq!(keys_on, 1, "foreign keys are on again after the migration");
    assert_eq!(week_index, 1);
}

#[tokio::test]
async fn postgres_obligations_keep_their_reasons_and_name_the_facts_event() {
    let Ok(admin_url) = std::env::var("VICTIMCARE_TEST_PG") else {
        assert!(
            std::env::var_os("VICTIMCARE_TEST_PG_REQUIRED").is_none(),
            "VICTIMCARE_TEST_PG is required"
        );
        return;
    };
    let name = format!("vc_migration_{:016x}", rand::random::<u64>());
    let admin = sqlx::PgPool::connect(&admin_url).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .unwrap();
    let options: sqlx::postgres::PgConnectOptions = admin_url.parse().unwrap();
    let pool = sqlx::PgPool::connect_with(options.database(&name))
        .await
        .unwrap();
    let (older, _folder) = before("postgres", OBLIGATION_FACTS).await;
    older.run(&pool).await.unwrap();
    let mut tx = pool.begin().await.unwrap();
    // Only the obligation rows matter here, not the cases and victims they name.
    sqlx::query("SET LOCAL session_replication_role = replica")
        .execute(&mut *tx)
        .await
        .unwrap();
    for (enhanced, reasons) in [(true, OLD_REASONS[0]), (false, OLD_REASONS[1])] {
        sqlx::query(OLD_OBLIGATION)
            .bind(enhanced)
            .bind(serde_json::from_str::<serde_json::Value>(reasons).unwrap())
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    sqlx::migrate!("migrations/postgres")
        .run(&pool)
        .await
        .unwrap();
    let after: Vec<(serde_json::Value, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT reasons, facts_source, facts_event FROM obligation ORDER BY obligation_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE {name} WITH (FORCE)"
    )))
    .execute(&admin)
    .await;
    let after: After = after
        .into_iter()
        .map(|(r, s, e)| (r.to_string(), s, e))
        .collect();
    assert_moved(&after);
}
