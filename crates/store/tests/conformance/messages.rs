//! The outbox: messages queued with the events that cause them, claimed under a lease.

use super::event;
use chrono::{TimeDelta, Utc};
use serde_json::json;
use store::{Db, MessageOutcome};

fn victim(r: &str) -> serde_json::Value {
    json!({"ref": r, "kind": "person", "name": "Sam Okafor", "date_of_birth": "1980-01-01",
           "email": "sam@example.org",
           "contact_agreement": {"channels": ["email"], "safe_channels": ["email"]}})
}

pub async fn news_is_queued_with_its_event_but_old_news_is_not(db: &Db) {
    // Whole seconds: PostgreSQL keeps microseconds, and the times are compared below.
    let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 0);
    let recent = (now - TimeDelta::days(1)).to_rfc3339();
    let reported = event(
        "m1",
        "reported",
        "2000001/26",
        &recent,
        json!({"offence": "robbery", "borough": "Camden", "officer": {"name": "DC Moss"},
               "victims": [victim("M1")]}),
    );
    let arrested = event(
        "m2",
        "arrested",
        "2000001/26",
        &recent,
        json!({"suspect": "S1"}),
    );
    // The same story a year ago: its duties are long past, so nobody is told now.
    let old = event(
        "m3",
        "reported",
        "2000002/25",
        "2025-11-02T10:00:00Z",
        json!({"offence": "robbery", "borough": "Camden", "officer": {"name": "DC Moss"},
               "victims": [victim("M2")]}),
    );
    db.ingest(&[reported, arrested, old], now).await.unwrap();
    let case = db
        .case_by_reference(&domain::CrimeReference::parse("2000001/26").unwrap())
        .await
        .unwrap()
        .unwrap();
    let victim_id = case.victims[0].victim_id;
    let queued = db
        .messages_of_victim(case.case_id, victim_id)
        .await
        .unwrap();
    let kinds: Vec<&str> = queued.iter().map(|m| m.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["reported", "arrested"],
        "one message an event, none for the referral"
    );
    assert!(queued.iter().all(|m| m.status == "queued"));
    assert_eq!(
        db.message_queue().await.unwrap().0,
        2,
        "the old case queued nothing"
    );

    // Sending the same events again queues nothing more.
    let again = event(
        "m2",
        "arrested",
        "2000001/26",
        &recent,
        json!({"suspect": "S1"}),
    );
    db.ingest(&[again], now).await.unwrap();
    assert_eq!(db.message_queue().await.unwrap().0, 2);

    // Claimed under a lease: nobody else gets them until it runs out.
    let lease = TimeDelta::minutes(5);
    let claimed = db.claim_messages(now, 10, lease).await.unwrap();
    assert_eq!(claimed.len(), 2);
    assert!(claimed.iter().all(|m| m.attempts == 1));
    assert!(db.claim_messages(now, 10, lease).await.unwrap().is_empty());
    // The arrest's message carries the arrest's duty.
    let arrest = claimed.iter().find(|m| m.kind == "arrested").unwrap();
    assert_eq!(db.message_obligations(arrest).await.unwrap().len(), 1);

    // A worker that died: after the lease, the message is claimed again.
    let later = now + lease + TimeDelta::seconds(1);
    let reclaimed = db.claim_messages(later, 10, lease).await.unwrap();
    assert_eq!(reclaimed.len(), 2);
    assert!(reclaimed.iter().all(|m| m.attempts == 2));

    let reported = reclaimed.iter().find(|m| m.kind == "reported").unwrap();
    let sent = MessageOutcome::Sent {
        channel: "email",
        provider_ref: Some("ref-1"),
        template: "reported",
        language: "en-GB",
    };
    db.settle_message(reported.message_id, &sent, later)
        .await
        .unwrap();
    let person = MessageOutcome::Person {
        reason: "no safe way to contact the victim",
    };
    db.settle_message(arrest.message_id, &person, later)
        .await
        .unwrap();
    let after = db
        .messages_of_victim(case.case_id, victim_id)
        .await
        .unwrap();
    let story: Vec<String> = db
        .message_history(reported.message_id)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.status)
        .collect();
    assert_eq!(
        story,
        ["queued", "sending", "sending", "sent"],
        "claimed twice, then sent"
    );
    assert_eq!(after[0].status, "sent");
    assert_eq!(after[0].sent_at, Some(later));
    assert_eq!(after[1].status, "person");
    assert_eq!(
        db.count_open_tasks().await.unwrap(),
        1,
        "a task for a person"
    );
    assert!(
        db.claim_messages(later + lease * 2, 10, lease)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn workers_claiming_at_once_never_share_a_message(db: &Db) {
    let now = Utc::now();
    let recent = (now - TimeDelta::hours(2)).to_rfc3339();
    let events: Vec<_> = (0..40)
        .map(|i| {
            event(
                &format!("w{i}"),
                "reported",
                &format!("{:07}/26", 3_000_000 + i),
                &recent,
                json!({"offence": "robbery", "borough": "Camden", "officer": {"name": "DC Moss"},
                       "victims": [victim(&format!("W{i}"))]}),
            )
        })
        .collect();
    db.ingest(&events, now).await.unwrap();
    let lease = TimeDelta::minutes(5);
    let claims = (0..4).map(|_| db.claim_messages(now, 15, lease));
    let mut seen: Vec<i64> = futures::future::join_all(claims)
        .await
        .into_iter()
        .flat_map(|c| c.unwrap())
        .map(|m| m.message_id)
        .collect();
    let claimed = seen.len();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), claimed, "no message claimed twice");
    assert_eq!(claimed, 40, "every message claimed by someone");
}
