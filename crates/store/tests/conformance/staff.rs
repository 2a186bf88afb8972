//! The staff side on both backends: the audit chain under concurrent writers, search digests
//! made again under a new key, and sign-in with its one-time codes and lockout.

use chrono::{TimeDelta, Utc};
use domain::staff::{Role, Username};
use serde_json::json;
use store::{AuditCheck, AuditEntry, Db, LookupKey, NewStaffUser, SearchBy, SignIn};

pub async fn the_audit_chain_holds_under_concurrent_writers(db: &Db) {
    let now = Utc::now();
    let writes = (0..20).map(|i| {
        let db = db.clone();
        tokio::spawn(async move {
            let entry = AuditEntry {
                actor: format!("agent{}", i % 3),
                action: "viewed case".into(),
                case_id: Some(i),
                detail: format!("call {i}"),
                ..AuditEntry::default()
            };
            db.audit(&entry, now + TimeDelta::microseconds(i))
                .await
                .unwrap()
        })
    });
    let mut ids = Vec::new();
    for w in writes {
        ids.push(w.await.unwrap());
    }
    ids.sort_unstable();
    assert_eq!(ids, (1..=20).collect::<Vec<i64>>(), "no gaps, no repeats");
    match db.verify_audit().await.unwrap() {
        AuditCheck::Intact { records, .. } => assert_eq!(records, 20),
        broken => panic!("{broken:?}"),
    }
    let by_case = db
        .audit_records(&store::AuditFilter {
            case_id: Some(7),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_case.len(), 1);
    assert_eq!(by_case[0].detail, "call 7");
}

pub async fn a_new_lookup_key_makes_every_digest_again(db: &Db) {
    let now = Utc::now();
    let event = json!({"source": "cris", "id": "k1", "type": "reported",
        "crime_reference": "7000001/26", "occurred_at": "2026-11-02T10:00:00Z",
        "payload": {"offence": "theft", "borough": "Brent", "officer": {"name": "PC Lee"},
            "victims": [{"ref": "K1", "kind": "person", "name": "Kim Lee",
                         "phone": "07700 900555", "date_of_birth": "1990-01-01"}]}});
    let event = domain::Event::parse(&event.to_string(), now).unwrap();
    db.ingest(&[event], now).await.unwrap();
    let by_phone = SearchBy::Phone(domain::victim::Phone::parse("+447700900555").unwrap());
    assert_eq!(db.search_victims(&by_phone).await.unwrap().len(), 1);

    let rekeyed = db.clone().with_lookup_key(LookupKey::generate());
    assert!(
        rekeyed.search_victims(&by_phone).await.unwrap().is_empty(),
        "digests made under the old key do not answer the new one"
    );
    assert_eq!(rekeyed.reindex_lookups().await.unwrap(), 1);
    assert_eq!(rekeyed.search_victims(&by_phone).await.unwrap().len(), 1);
    assert_eq!(rekeyed.reindex_lookups().await.unwrap(), 0, "done once");
}

pub async fn a_sign_in_code_works_once_and_five_wrong_tries_pause_the_account(db: &Db) {
    let now = Utc::now();
    let made = db
        .create_staff_user(
            NewStaffUser {
                username: Username::parse("ada.agent").unwrap(),
                display_name: "Ada Agent".into(),
                role: Role::HelplineAgent,
                team: None,
                collar_number: None,
                password: "a long enough password".into(),
            },
            now,
        )
        .await
        .unwrap();
    let code = store::totp_code(&made.totp_secret, now).unwrap();
    let first = db
        .sign_in("ada.agent", "a long enough password", &code, now)
        .await
        .unwrap();
    let SignIn::SignedIn { session, .. } = first else {
        panic!("{first:?}")
    };
    assert!(
        db.staff_session(&session, TimeDelta::minutes(30), now)
            .await
            .unwrap()
            .is_some()
    );
    let again = db
        .sign_in("ada.agent", "a long enough password", &code, now)
        .await
        .unwrap();
    assert_eq!(again, SignIn::Refused, "a code works once");
    for _ in 0..5 {
        db.sign_in("ada.agent", "wrong", "000000", now)
            .await
            .unwrap();
    }
    let later = now + TimeDelta::seconds(60);
    let code = store::totp_code(&made.totp_secret, later).unwrap();
    let paused = db
        .sign_in("ada.agent", "a long enough password", &code, later)
        .await
        .unwrap();
    assert!(matches!(paused, SignIn::Locked { .. }), "{paused:?}");
    let after = now + TimeDelta::minutes(16);
    let code = store::totp_code(&made.totp_secret, after).unwrap();
    let back = db
        .sign_in("ada.agent", "a long enough password", &code, after)
        .await
        .unwrap();
    assert!(
        matches!(back, SignIn::SignedIn { .. }),
        "the pause ends: {back:?}"
    );
    let duplicate = db
        .create_staff_user(
            NewStaffUser {
                username: Username::parse("Ada.Agent").unwrap(),
                display_name: "Someone".into(),
                role: Role::Analyst,
                team: None,
                collar_number: None,
                password: "another long password".into(),
            },
            now,
        )
        .await;
    assert!(matches!(duplicate, Err(store::StoreError::Refused(_))));
}

/// The search indexes are keyed by blocks of 65,536 ids (see the `lookup_blocks` migration):
/// a victim or case in a later block is found as surely as one in the first.
pub async fn searches_find_victims_and_cases_in_every_block_of_ids(db: &Db) {
    let now = Utc::now();
    // One case, reported with one victim, whose officer has the same collar number each time.
    let report = async |n: u32, name: &str, birth: &str| {
        let event = json!({"source": "cris", "id": format!("b{n}"), "type": "reported",
            "crime_reference": format!("710000{n}/26"), "occurred_at": "2026-11-02T10:00:00Z",
            "payload": {"offence": "theft", "borough": "Brent",
                "officer": {"name": "PC Lee", "collar_number": "1234AB"},
                "victims": [{"ref": format!("B{n}"), "kind": "person", "name": name,
                    "phone": format!("07700 90060{n}"), "email": format!("b{n}@example.org"),
                    "date_of_birth": birth}]}});
        let event = domain::Event::parse(&event.to_string(), now).unwrap();
        db.ingest(&[event], now).await.unwrap();
    };
    report(1, "Bea First", "1980-02-03").await;
    // Later ids: two blocks on. Cases take the next id after the largest (a placeholder
    // row holds it); victims come from a sequence on PostgreSQL and the largest id on SQLite.
    let placeholder_case = "INSERT INTO crime_case (case_id, crime_reference, phase, \
        phase_since, state, event_count, last_occurred_at, created_at, updated_at) \
        SELECT 140000, 'placeholder', phase, phase_since, state, event_count, \
        last_occurred_at, created_at, updated_at FROM crime_case WHERE case_id = 1";
    match db {
        Db::Sqlite(s) => {
            sqlx::query(placeholder_case)
                .execute(&s.writer)
                .await
                .unwrap();
            sqlx::query(
                "INSERT INTO victim (victim_id, victim_ref, kind, details, details_as_of, \
                 created_at, updated_at, lookup_key) SELECT 140000, 'placeholder', kind, \
                 details, details_as_of, created_at, updated_at, lookup_key FROM victim \
                 WHERE victim_id = 1",
            )
            .execute(&s.writer)
            .await
            .unwrap();
        }
        Db::Postgres(p) => {
            sqlx::query(placeholder_case)
                .execute(&p.pool)
                .await
                .unwrap();
            sqlx::query("SELECT setval(pg_get_serial_sequence('victim', 'victim_id'), 140000)")
                .execute(&p.pool)
                .await
                .unwrap();
        }
    }
    report(2, "Bo Later", "1985-06-07").await;

    let phone = |p: &str| SearchBy::Phone(domain::victim::Phone::parse(p).unwrap());
    let found = db.search_victims(&phone("07700 900602")).await.unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].victim_id > 2 * 65_536, "{}", found[0].victim_id);
    assert!(found[0].case_id > 2 * 65_536, "{}", found[0].case_id);
    assert_eq!(found[0].victim_ref, "B2");
    assert_eq!(
        db.search_victims(&phone("07700 900601")).await.unwrap()[0].victim_ref,
        "B1",
        "the first block is still searched"
    );
    let email = SearchBy::Email(domain::victim::Email::parse("b2@example.org").unwrap());
    assert_eq!(db.search_victims(&email).await.unwrap()[0].victim_ref, "B2");
    let birth = SearchBy::NameAndBirth(
        "bo".into(),
        domain::victim::DateOfBirth::parse("1985-06-07").unwrap(),
    );
    assert_eq!(db.search_victims(&birth).await.unwrap()[0].victim_ref, "B2");
    let officers: Vec<String> = db
        .cases_of_officer("1234AB")
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.crime_reference)
        .collect();
    assert_eq!(
        officers,
        ["7100002/26", "7100001/26"],
        "newest first, both blocks"
    );
}
