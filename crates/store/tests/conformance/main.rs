//! The storage conformance suite: every story runs on SQLite, and on PostgreSQL whenever
//! `VICTIMCARE_TEST_PG` names a server. The two backends must behave the same.

use chrono::{DateTime, Utc};
use domain::{CaseState, CrimeReference, Event, Phase};
use serde_json::{Value, json};
use store::Db;

mod capacity;
mod messages;
mod obligations;
mod sealing;
mod staff;
use capacity::*;
use messages::*;
use obligations::*;
use sealing::*;
use staff::*;

macro_rules! conformance {
    ($($story:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $story() {
                    let t = store::scratch::ScratchDb::sqlite().await.unwrap();
                    super::$story(&t.db).await;
                    t.cleanup().await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $story() {
                    let Some(t) = store::scratch::ScratchDb::postgres().await else { return };
                    super::$story(&t.db).await;
                    t.cleanup().await;
                }
            )+
        }
    };
}

conformance!(
    the_audit_chain_holds_under_concurrent_writers,
    a_new_lookup_key_makes_every_digest_again,
    searches_find_victims_and_cases_in_every_block_of_ids,
    a_sign_in_code_works_once_and_five_wrong_tries_pause_the_account,
    a_generated_stream_reads_back_as_its_projection,
    resending_a_batch_changes_nothing,
    arrival_order_does_not_change_the_outcome,
    repeats_within_a_batch_are_counted_once,
    an_event_id_reused_for_different_content_is_refused,
    an_unreadable_projection_is_rebuilt_from_events,
    a_victim_in_two_cases_is_one_victim,
    older_victim_details_never_overwrite_newer,
    rebuild_finds_and_repairs_a_damaged_projection,
    cases_list_newest_first_by_page_and_phase,
    api_keys_work_until_revoked,
    calendar_overrides_win_and_change_the_version,
    ingest_records_what_the_code_says_each_victim_is_owed,
    an_event_naming_one_victim_is_owed_to_that_victim_only,
    a_full_batch_of_ten_thousand_is_consistent,
    an_obligation_is_met_by_a_contact_or_breached_with_a_task,
    every_obligation_reads_with_its_explanation,
    compliance_agrees_with_a_hand_count,
    periodic_updates_follow_the_agreed_interval,
    one_scheduler_pass_runs_at_a_time,
    a_loaded_rule_set_governs_events_from_its_date,
    a_change_of_facts_mid_case_shortens_later_deadlines_only,
    a_backlog_is_breached_in_batches_without_flooding_the_work_queue,
    the_breach_pass_takes_only_what_is_past_due_in_this_week,
    a_portal_link_needs_the_date_of_birth_and_locks_after_wrong_ones,
    guesses_sent_at_once_still_lock_the_link_and_many_stop_it,
    a_chosen_pin_replaces_the_date_of_birth_until_cleared,
    feedback_is_kept_with_the_victims_own_words,
    guesses_spread_between_the_victims_visits_still_run_out,
    news_is_queued_with_its_event_but_old_news_is_not,
    workers_claiming_at_once_never_share_a_message,
    burglary_attendance_agrees_with_a_hand_count,
    an_unattended_burglary_becomes_one_task_until_attended,
    the_plan_reads_calls_and_rota_and_reports_what_was_achieved,
    a_subject_access_export_holds_everything_about_them_and_nobody_else,
    retention_erases_the_old_keeps_the_held_and_the_statistics,
    personal_data_is_sealed_and_a_new_key_seals_it_again,
);

fn now() -> DateTime<Utc> {
    Utc::now()
}

/// A commit's pages reach the database file without the writer stopping to copy them: a
/// connection of its own checkpoints in the background. The batch here is well under the
/// size at which the writer would copy them itself.
#[tokio::test]
async fn sqlite_copies_the_log_into_the_database_file_in_the_background() {
    let t = store::scratch::ScratchDb::sqlite().await.unwrap();
    let file = t.url.trim_start_matches("sqlite://").to_owned();
    let size = || std::fs::metadata(&file).unwrap().len();
    let before = size();
    let batch: Vec<Event> = generated(1_000, 5)
        .into_iter()
        .flatten()
        .take(10_000)
        .collect();
    t.db.ingest(&batch, now()).await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while size() < before + 1_000_000 {
        assert!(
            std::time::Instant::now() < deadline,
            "the database file stayed at {} bytes (it was {before} before the batch)",
            size()
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    t.cleanup().await;
}

fn as_of() -> DateTime<Utc> {
    synth::DEFAULT_AS_OF.parse().unwrap()
}

fn parse(values: &[Value]) -> Vec<Event> {
    values
        .iter()
        .map(|v| Event::parse(&v.to_string(), now()).unwrap())
        .collect()
}

fn generated(cases: u64, seed: u64) -> Vec<Vec<Event>> {
    synth::Generator::new(seed, cases, as_of())
        .map(|case| parse(&case))
        .collect()
}

/// Everything a reader can see, to compare before and after.
async fn snapshot(db: &Db) -> (i64, i64, Vec<(i64, String, Phase, i64)>) {
    let cases = db
        .list_cases(None, None, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.case_id, c.crime_reference, c.phase, c.event_count))
        .collect();
    (
        db.count_events().await.unwrap(),
        db.count_victims().await.unwrap(),
        cases,
    )
}

pub(crate) fn event(id: &str, kind: &str, reference: &str, at: &str, payload: Value) -> Event {
    let v = json!({"source": "cris", "id": id, "type": kind, "crime_reference": reference,
                   "occurred_at": at, "payload": payload});
    Event::parse(&v.to_string(), now()).unwrap()
}

fn person(r: &str, name: &str, phone: &str) -> Value {
    json!({"ref": r, "kind": "person", "name": name, "phone": phone,
           "contact_agreement": {"channels": ["sms"], "safe_channels": ["sms"]}})
}

fn reported(id: &str, reference: &str, at: &str, victims: Value) -> Event {
    event(
        id,
        "reported",
        reference,
        at,
        json!({
        "offence": "robbery", "borough": "Lambeth", "officer": {"name": "DC Moss"},
        "victims": victims}),
    )
}

pub(crate) async fn case(db: &Db, reference: &str) -> store::CaseDetail {
    db.case_by_reference(&CrimeReference::parse(reference).unwrap())
        .await
        .unwrap()
        .expect("the case exists")
}

async fn a_generated_stream_reads_back_as_its_projection(db: &Db) {
    let cases = generated(40, 11);
    let all: Vec<Event> = cases.iter().flatten().cloned().collect();
    let outcome = db.ingest(&all, now()).await.unwrap();
    assert_eq!(outcome.accepted, all.len() as u64);
    assert_eq!(outcome.duplicates, 0);
    assert_eq!(db.count_events().await.unwrap(), all.len() as i64);
    for events in &cases {
        let reference = events[0].crime_reference.as_str();
        let stored = case(db, reference).await;
        assert_eq!(
            stored.state,
            CaseState::rebuild(events).unwrap(),
            "{reference}"
        );
        assert_eq!(stored.events.len(), events.len());
        let mut expected_victims: Vec<_> = events[0]
            .body
            .victim_records()
            .iter()
            .map(|v| v.victim_ref.clone())
            .collect();
        expected_victims.sort();
        let mut got: Vec<_> = stored
            .victims
            .iter()
            .map(|v| v.record.victim_ref.clone())
            .collect();
        got.sort();
        assert_eq!(got, expected_victims, "{reference}");
    }
}

async fn resending_a_batch_changes_nothing(db: &Db) {
    let all: Vec<Event> = generated(30, 12).into_iter().flatten().collect();
    let first = db.ingest(&all, now()).await.unwrap();
    let before = snapshot(db).await;
    let again = db.ingest(&all, now()).await.unwrap();
    assert_eq!(first.accepted, all.len() as u64);
    assert_eq!(again.accepted, 0);
    assert_eq!(again.duplicates, all.len() as u64);
    assert_eq!(snapshot(db).await, before);
}

async fn arrival_order_does_not_change_the_outcome(db: &Db) {
    let cases = generated(60, 13);
    let longest = cases.iter().max_by_key(|c| c.len()).unwrap().clone();
    assert!(longest.len() >= 6, "the generator should give a long case");
    // Newest first, one event per batch: every arrival but the first is out of order.
    for e in longest.iter().rev() {
        db.ingest(std::slice::from_ref(e), now()).await.unwrap();
    }
    let reference = longest[0].crime_reference.as_str();
    let stored = case(db, reference).await;
    assert_eq!(stored.state, CaseState::rebuild(&longest).unwrap());
    assert!(
        stored.state.offence.is_some(),
        "the late `reported` event still sets the offence"
    );
    let report = db.rebuild(false, now()).await.unwrap();
    assert_eq!(report.cases_differing, 0, "{report:?}");
    // Times in the case list come from the events, not from when they arrived.
    assert_eq!(
        stored.events.first().unwrap().event.occurred_at,
        longest[0].occurred_at
    );
}

async fn repeats_within_a_batch_are_counted_once(db: &Db) {
    let e = reported(
        "R1",
        "1000001/26",
        "2026-01-01T10:00:00Z",
        json!([person("P1", "Ann Lee", "07700 900001")]),
    );
    let outcome = db.ingest(&[e.clone(), e.clone(), e], now()).await.unwrap();
    assert_eq!((outcome.accepted, outcome.duplicates), (1, 2));
    assert_eq!(db.count_events().await.unwrap(), 1);
}

async fn an_event_id_reused_for_different_content_is_refused(db: &Db) {
    let a = reported(
        "SAME",
        "1000001/26",
        "2026-01-01T10:00:00Z",
        json!([person("P1", "Ann Lee", "07700 900001")]),
    );
    let b = reported(
        "SAME",
        "1000002/26",
        "2026-01-02T10:00:00Z",
        json!([person("P2", "Bo Lee", "07700 900002")]),
    );
    let other = reported(
        "OTHER",
        "1000003/26",
        "2026-01-02T10:00:00Z",
        json!([person("P3", "Cy Lee", "07700 900003")]),
    );
    db.ingest(std::slice::from_ref(&a), now()).await.unwrap();
    let before = snapshot(db).await;
    // Against what is stored: the whole batch is refused, naming the event.
    match db.ingest(&[other.clone(), b.clone()], now()).await {
        Err(store::StoreError::ConflictingResend { indexes }) => assert_eq!(indexes, [1]),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(snapshot(db).await, before, "nothing is written");
    // Within one batch.
    match db
        .ingest(
            &[
                other.clone(),
                other.clone(),
                reported(
                    "OTHER",
                    "1000003/26",
                    "2026-01-03T10:00:00Z",
                    json!([person("P3", "Cy Lee", "07700 900003")]),
                ),
            ],
            now(),
        )
        .await
    {
        Err(store::StoreError::ConflictingResend { indexes }) => assert_eq!(indexes, [2]),
        other => panic!("expected a conflict, got {other:?}"),
    }
    // An exact resend is still a harmless duplicate.
    let outcome = db.ingest(&[a, other], now()).await.unwrap();
    assert_eq!((outcome.accepted, outcome.duplicates), (1, 1));
}

async fn an_unreadable_projection_is_rebuilt_from_events(db: &Db) {
    db.ingest(
        &[reported(
            "A1",
            "1000001/26",
            "2026-01-01T10:00:00Z",
            json!([person("P1", "Ann Lee", "07700 900001")]),
        )],
        now(),
    )
    .await
    .unwrap();
    let damage = "UPDATE crime_case SET state = $1 WHERE crime_reference = '1000001/26'";
    match db {
        Db::Sqlite(s) => {
            sqlx::query(damage)
                .bind(sqlx::types::Json(json!({"from": "an older version"})))
                .execute(&s.writer)
                .await
                .unwrap();
        }
        Db::Postgres(p) => {
            sqlx::query(damage)
                .bind(sqlx::types::Json(json!({"from": "an older version"})))
                .execute(&p.pool)
                .await
                .unwrap();
        }
    }
    let found = db.rebuild(false, now()).await.unwrap();
    assert_eq!(
        found.cases_differing, 1,
        "an unreadable projection is a difference"
    );
    let arrest = event(
        "A2",
        "arrested",
        "1000001/26",
        "2026-01-02T10:00:00Z",
        json!({"suspect": "S1"}),
    );
    db.ingest(std::slice::from_ref(&arrest), now())
        .await
        .unwrap();
    let stored = case(db, "1000001/26").await;
    assert_eq!(stored.state.phase, Phase::Investigation);
    assert_eq!(stored.state.event_count, 2);
    assert_eq!(db.rebuild(false, now()).await.unwrap().cases_differing, 0);
}

async fn a_victim_in_two_cases_is_one_victim(db: &Db) {
    let p = person("P7", "Kim Osei", "07700 900007");
    db.ingest(
        &[
            reported(
                "A1",
                "1000001/26",
                "2026-01-01T10:00:00Z",
                json!([p.clone()]),
            ),
            reported(
                "B1",
                "1000002/26",
                "2026-02-01T10:00:00Z",
                json!([p, person("P8", "Lu Osei", "07700 900008")]),
            ),
        ],
        now(),
    )
    .await
    .unwrap();
    assert_eq!(db.count_victims().await.unwrap(), 2);
    let a = case(db, "1000001/26").await;
    let b = case(db, "1000002/26").await;
    assert_eq!(a.victims.len(), 1);
    assert_eq!(b.victims.len(), 2);
    let shared = b
        .victims
        .iter()
        .find(|v| v.record.victim_ref.as_str() == "P7")
        .unwrap();
    assert_eq!(a.victims[0].victim_id, shared.victim_id);
}

async fn older_victim_details_never_overwrite_newer(db: &Db) {
    db.ingest(
        &[reported(
            "A1",
            "1000001/26",
            "2026-01-01T10:00:00Z",
            json!([person("P1", "Ann Lee", "07700 900001")]),
        )],
        now(),
    )
    .await
    .unwrap();
    let newer = event(
        "A3",
        "victim_details_changed",
        "1000001/26",
        "2026-03-01T10:00:00Z",
        json!({"victim": person("P1", "Ann Lee", "07700 900333")}),
    );
    let older = event(
        "A2",
        "victim_details_changed",
        "1000001/26",
        "2026-02-01T10:00:00Z",
        json!({"victim": person("P1", "Ann Lee", "07700 900222")}),
    );
    db.ingest(&[newer], now()).await.unwrap();
    db.ingest(&[older], now()).await.unwrap();
    let stored = case(db, "1000001/26").await;
    assert_eq!(
        stored.victims[0].record.phone.as_ref().unwrap().as_str(),
        "+447700900333"
    );
    assert_eq!(db.rebuild(false, now()).await.unwrap().victims_differing, 0);
}

async fn rebuild_finds_and_repairs_a_damaged_projection(db: &Db) {
    let all: Vec<Event> = generated(25, 14).into_iter().flatten().collect();
    db.ingest(&all, now()).await.unwrap();
    let clean = db.rebuild(false, now()).await.unwrap();
    assert_eq!((clean.cases, clean.events), (25, all.len() as u64));
    assert_eq!(
        (
            clean.cases_differing,
            clean.victims_differing,
            clean.links_missing
        ),
        (0, 0, 0)
    );

    let target = all[0].crime_reference.as_str();
    let damage = "UPDATE crime_case SET state = (SELECT state FROM crime_case WHERE crime_reference <> $1 LIMIT 1) WHERE crime_reference = $1";
    match db {
        Db::Sqlite(s) => {
            sqlx::query(damage)
                .bind(target)
                .execute(&s.writer)
                .await
                .unwrap();
        }
        Db::Postgres(p) => {
            sqlx::query(damage)
                .bind(target)
                .execute(&p.pool)
                .await
                .unwrap();
        }
    }
    let found = db.rebuild(false, now()).await.unwrap();
    assert_eq!(found.cases_differing, 1);
    assert_eq!(found.differing_references, [target]);
    let repaired = db.rebuild(true, now()).await.unwrap();
    assert!(repaired.repaired);
    assert_eq!(db.rebuild(false, now()).await.unwrap().cases_differing, 0);
    let events: Vec<Event> = all
        .iter()
        .filter(|e| e.crime_reference.as_str() == target)
        .cloned()
        .collect();
    assert_eq!(
        case(db, target).await.state,
        CaseState::rebuild(&events).unwrap()
    );
}

async fn cases_list_newest_first_by_page_and_phase(db: &Db) {
    let all: Vec<Event> = generated(30, 15).into_iter().flatten().collect();
    db.ingest(&all, now()).await.unwrap();
    let first = db.list_cases(None, None, 10).await.unwrap();
    let second = db
        .list_cases(None, Some(first.last().unwrap().case_id), 10)
        .await
        .unwrap();
    assert_eq!(first.len(), 10);
    assert!(first.windows(2).all(|w| w[0].case_id > w[1].case_id));
    assert!(second[0].case_id < first[9].case_id);
    let counts = db.phase_counts().await.unwrap();
    assert_eq!(counts.iter().map(|(_, n)| n).sum::<i64>(), 30);
    let (phase, n) = *counts.iter().max_by_key(|(_, n)| *n).unwrap();
    let only = db.list_cases(Some(phase), None, 100).await.unwrap();
    assert_eq!(only.len() as i64, n);
    assert!(only.iter().all(|c| c.phase == phase));
    assert!(first.iter().all(|c| c.victim_count >= 1));
}

async fn api_keys_work_until_revoked(db: &Db) {
    let key = db
        .create_api_key("crime recording system", now())
        .await
        .unwrap();
    assert!(key.secret.starts_with("vck_") && key.secret.len() == 68);
    let who = db.check_api_key(&key.secret).await.unwrap().unwrap();
    assert_eq!(who.name, "crime recording system");
    assert!(db.check_api_key("vck_0000").await.unwrap().is_none());
    assert!(db.check_api_key("").await.unwrap().is_none());
    assert!(db.revoke_api_key(key.api_key_id, now()).await.unwrap());
    assert!(!db.revoke_api_key(key.api_key_id, now()).await.unwrap());
    assert!(db.check_api_key(&key.secret).await.unwrap().is_none());
    assert!(db.list_api_keys().await.unwrap()[0].revoked_at.is_some());
}

async fn a_full_batch_of_ten_thousand_is_consistent(db: &Db) {
    let mut all: Vec<Event> = generated(4000, 16).into_iter().flatten().collect();
    all.truncate(10_000);
    assert_eq!(all.len(), 10_000);
    // Split one case across two batches so the second batch updates stored projections.
    let outcome = db.ingest(&all[..6000], now()).await.unwrap();
    let rest = db.ingest(&all[6000..], now()).await.unwrap();
    assert_eq!(outcome.accepted + rest.accepted, 10_000);
    let report = db.rebuild(false, now()).await.unwrap();
    assert_eq!(report.events, 10_000);
    assert_eq!(
        (
            report.cases_differing,
            report.victims_differing,
            report.links_missing
        ),
        (0, 0, 0),
        "{report:?}"
    );
}

async fn calendar_overrides_win_and_change_the_version(db: &Db) {
    use domain::calendar::Override;
    use store::CalendarChange;
    let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    let built_in = db.calendar().await.unwrap();
    assert_eq!(built_in.version(), domain::calendar::RULES_VERSION);
    db.change_calendar(
        day("2026-06-15"),
        &CalendarChange::Set(Override::Holiday("A one-off".into())),
        "admin",
        now(),
    )
    .await
    .unwrap();
    db.change_calendar(
        day("2026-08-31"),
        &CalendarChange::Set(Override::WorkingDay),
        "admin",
        now(),
    )
    .await
    .unwrap();
    let cal = db.calendar().await.unwrap();
    assert_eq!(
        cal.version(),
        format!("{}+2", domain::calendar::RULES_VERSION)
    );
    assert_eq!(cal.holiday(day("2026-06-15")), Some("A one-off"));
    assert!(cal.is_working_day(day("2026-08-31")).unwrap());
    db.change_calendar(day("2026-06-15"), &CalendarChange::Revert, "admin", now())
        .await
        .unwrap();
    let cal = db.calendar().await.unwrap();
    assert_eq!(
        cal.version(),
        format!("{}+3", domain::calendar::RULES_VERSION)
    );
    assert!(cal.is_working_day(day("2026-06-15")).unwrap());
    assert!(
        cal.is_working_day(day("2026-08-31")).unwrap(),
        "the other override stays"
    );
}

async fn an_event_naming_one_victim_is_owed_to_that_victim_only(db: &Db) {
    db.ingest(
        &[reported(
            "A1",
            "1000001/26",
            "2026-01-05T10:00:00Z",
            json!([
                person("P1", "Ann Lee", "07700 900001"),
                person("P2", "Bo Lee", "07700 900002")
            ]),
        )],
        now(),
    )
    .await
    .unwrap();
    db.ingest(
        &[event(
            "A2",
            "review_requested",
            "1000001/26",
            "2026-01-06T10:00:00Z",
            json!({"victim": "P2", "scheme": "police"}),
        )],
        now(),
    )
    .await
    .unwrap();
    let stored = case(db, "1000001/26").await;
    let p2 = stored
        .victims
        .iter()
        .find(|v| v.record.victim_ref.as_str() == "P2")
        .unwrap()
        .victim_id;
    let reviews: Vec<_> = db
        .obligations_of_case(stored.case_id)
        .await
        .unwrap()
        .into_iter()
        .filter(|o| o.rule_id == "VRR-police-acknowledged")
        .collect();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].victim_id, p2);
}

async fn ingest_records_what_the_code_says_each_victim_is_owed(db: &Db) {
    use domain::calendar::Calendar;
    use domain::code::{CaseFacts, EngineEvent, RuleSet, evaluate};
    use domain::enhanced::VictimFactors;
    let cases = generated(40, 21);
    let all: Vec<Event> = cases.iter().flatten().cloned().collect();
    // Half now, half later and newest first, so some obligations come from late events.
    let (first, rest) = all.split_at(all.len() / 2);
    db.ingest(first, now()).await.unwrap();
    let mut rest = rest.to_vec();
    rest.reverse();
    db.ingest(&rest, now()).await.unwrap();
    let before = db.count_obligations().await.unwrap();
    db.ingest(&all, now()).await.unwrap();
    assert_eq!(
        db.count_obligations().await.unwrap(),
        before,
        "a resend owes nothing new"
    );

    let mut expected_total = 0;
    for events in &cases {
        let stored = case(db, events[0].crime_reference.as_str()).await;
        let obligations = db.obligations_of_case(stored.case_id).await.unwrap();
        let engine: Vec<EngineEvent> = events.iter().map(EngineEvent::from).collect();
        let facts = CaseFacts {
            offence: stored.state.offence,
            flags: stored.state.flags,
        };
        for victim in &stored.victims {
            let factors = VictimFactors {
                kind: victim.record.kind,
                date_of_birth: victim.record.date_of_birth.map(|d| d.date()),
                vulnerable: false,
                intimidated: false,
                persistently_targeted: false,
            };
            // Events that name one victim are owed to that victim alone.
            let theirs: Vec<EngineEvent> = engine
                .iter()
                .filter(|e| {
                    e.victim
                        .as_deref()
                        .is_none_or(|v| v == victim.record.victim_ref.as_str())
                })
                .cloned()
                .collect();
            let want = evaluate(
                RuleSet::builtin_ref(),
                &Calendar::default(),
                &facts,
                &factors,
                &theirs,
            )
            .unwrap();
            let mut got: Vec<(String, String, String)> = obligations
                .iter()
                .filter(|o| o.victim_id == victim.victim_id)
                .map(|o| {
                    (
                        o.rule_id.clone(),
                        o.source_event_id.clone(),
                        o.due_on.to_string(),
                    )
                })
                .collect();
            let mut want: Vec<(String, String, String)> = want
                .into_iter()
                .map(|o| (o.rule, o.event, o.due.to_string()))
                .collect();
            got.sort();
            want.sort();
            assert_eq!(got, want, "{}", events[0].crime_reference);
            expected_total += want.len();
        }
        assert!(
            obligations
                .iter()
                .all(|o| o.status == "open" && o.rule_set == "vcop-2021/1")
        );
    }
    assert_eq!(
        db.count_obligations().await.unwrap() as usize,
        expected_total
    );
    assert!(
        expected_total >= 80,
        "every victim is owed at least a referral and a letter"
    );
}

/// The Code engine reads on a reader connection of its own while the batch is written. With
/// every reader busy (long reports, say), ingest does not wait for one: it reads in its own
/// transaction, and the victims are owed exactly what they would have been.
#[tokio::test]
async fn with_every_reader_busy_ingest_still_records_what_is_owed() {
    let all: Vec<Event> = generated(40, 21).into_iter().flatten().collect();
    // The second batch finds victims and cases stored by the first.
    let (first, rest) = all.split_at(all.len() / 2);
    let mut owed = Vec::new();
    for busy in [false, true] {
        let t = store::scratch::ScratchDb::sqlite().await.unwrap();
        let store::Db::Sqlite(s) = &t.db else {
            unreachable!("a SQLite scratch database")
        };
        let mut held = Vec::new();
        while busy
            && held.len() < usize::try_from(s.reader.options().get_max_connections()).unwrap()
        {
            held.push(s.reader.acquire().await.unwrap());
        }
        let ingest = async {
            t.db.ingest(first, now()).await.unwrap();
            t.db.ingest(rest, now()).await.unwrap();
        };
        tokio::time::timeout(std::time::Duration::from_secs(20), ingest)
            .await
            .expect("ingest did not wait for a reader");
        drop(held);
        owed.push(t.db.count_obligations().await.unwrap());
        t.cleanup().await;
    }
    assert!(owed[0] > 0, "the stream owes something");
    assert_eq!(owed[1], owed[0], "readers busy or not, the same is owed");
}
