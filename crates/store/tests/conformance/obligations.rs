//! Stories of an obligation's life after ingest: contacts, breaches and tasks, waivers,
//! periodic updates and the compliance figures.

use super::event;
use chrono::{DateTime, Utc};
use domain::contact::ContactReport;
use domain::{CrimeReference, Event};
use serde_json::{Value, json};
use store::{Db, GroupBy, ObligationView, StoreError};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

/// An adult victim who wants updates at `frequency`.
fn victim(r: &str, frequency: &str) -> Value {
    json!({"ref": r, "kind": "person", "name": "Sam Okafor", "date_of_birth": "1980-01-01",
           "email": "sam@example.org",
           "contact_agreement": {"channels": ["email"], "safe_channels": ["email"],
                                 "frequency": frequency}})
}

fn reported(id: &str, reference: &str, when: &str, borough: &str, victims: Value) -> Event {
    event(
        id,
        "reported",
        reference,
        when,
        json!({"offence": "robbery", "borough": borough, "officer": {"name": "DC Moss"},
               "victims": victims}),
    )
}

async fn obligations(db: &Db, reference: &str) -> Vec<ObligationView> {
    db.obligations_by_reference(&CrimeReference::parse(reference).unwrap(), None)
        .await
        .unwrap()
        .expect("the case exists")
}

fn find<'a>(list: &'a [ObligationView], victim: &str, rule: &str) -> &'a ObligationView {
    list.iter()
        .find(|o| o.victim == victim && o.rule == rule)
        .unwrap_or_else(|| panic!("{victim} is owed {rule}"))
}

fn contact(
    id: &str,
    reference: &str,
    victim: &str,
    when: &str,
    outcome: &str,
    covers: &[i64],
) -> ContactReport {
    let v = json!({"source": "helpline", "id": id, "crime_reference": reference,
                   "victim": victim, "occurred_at": when, "channel": "phone",
                   "outcome": outcome, "obligations": covers});
    ContactReport::parse(&v.to_string(), Utc::now()).unwrap()
}

fn refused(e: StoreError) -> Vec<(String, String)> {
    match e {
        StoreError::Refused(problems) => {
            problems.into_iter().map(|p| (p.field, p.problem)).collect()
        }
        other => panic!("expected a refusal, got {other}"),
    }
}

/// Only the facts of a rule's obligation are stored; its explanation is written again when it
/// is read. Here every kind is read back in full: standard and enhanced rights, a clock that
/// starts when the news was received, and a periodic update, whose words are kept as made.
pub async fn every_obligation_reads_with_its_explanation(db: &Db) {
    let r = "1000009/26";
    let child = json!({"ref": "V2", "kind": "person", "name": "Jo Okafor",
                       "date_of_birth": "2012-06-01", "email": "jo@example.org",
                       "contact_agreement": {"channels": ["email"], "safe_channels": ["email"]}});
    let listed = json!({"source": "wcu", "id": "w1", "type": "hearing_listed",
        "crime_reference": r, "occurred_at": "2026-04-01T09:00:00Z",
        "received_at": "2026-04-02T16:30:00Z",
        "payload": {"hearing": {"kind": "first_appearance", "starts_at": "2026-04-20T10:00:00Z",
                                "court": "Camberwell Green Magistrates' Court"}}});
    db.ingest(
        &[
            reported(
                "e1",
                r,
                "2026-03-13T10:00:00Z",
                "Lambeth",
                json!([victim("V1", "standard"), child]),
            ),
            event(
                "e2",
                "charged",
                r,
                "2026-03-30T11:00:00Z",
                json!({"suspect": "S1", "charges": ["robbery"], "custody": "bailed"}),
            ),
            Event::parse(&listed.to_string(), Utc::now()).unwrap(),
        ],
        Utc::now(),
    )
    .await
    .unwrap();
    let list = obligations(db, r).await;
    let says = |victim: &str, rule: &str| find(&list, victim, rule).explanation.clone();
    assert_eq!(
        says("V1", "P18-charged"),
        // Good Friday and Easter Monday are not working days.
        "due Wed 8 Apr 2026: suspect charged, on Mon 30 Mar 2026; standard rights; 5 working days"
    );
    assert_eq!(
        says("V2", "P18-charged"),
        "due Tue 31 Mar 2026: suspect charged, on Mon 30 Mar 2026; enhanced rights (under 18); 1 working day"
    );
    assert_eq!(
        says("V2", "W1-hearing-listed"),
        "due Tue 7 Apr 2026: court hearing arranged, received on Thu 2 Apr 2026; enhanced rights (under 18); 1 working day"
    );
    assert_eq!(
        says("V1", "P2-written-confirmation"),
        "due Fri 20 Mar 2026: crime reported, on Fri 13 Mar 2026; standard rights; 5 working days"
    );
    // The case page reads the same words.
    let case_id = super::case(db, r).await.case_id;
    let stored = db.obligations_of_case(case_id).await.unwrap();
    for o in &list {
        let same = stored
            .iter()
            .find(|s| s.obligation_id == o.obligation_id)
            .unwrap();
        assert_eq!(same.explanation, o.explanation);
    }

    // A periodic update is made by the scheduler from no event: its words are kept.
    let quiet = "1000010/26";
    db.ingest(
        &[reported(
            "q1",
            quiet,
            "2026-03-13T10:00:00Z",
            "Lambeth",
            json!([victim("V3", "standard")]),
        )],
        Utc::now(),
    )
    .await
    .unwrap();
    db.tick(at("2026-03-16T08:00:00Z")).await.unwrap();
    let list = obligations(db, quiet).await;
    let periodic = &find(&list, "V3", "PU-periodic-update").explanation;
    assert_eq!(
        periodic,
        "due Fri 10 Apr 2026: an update every 28 days while the case is under investigation; \
         counted from Fri 13 Mar 2026"
    );
}

pub async fn an_obligation_is_met_by_a_contact_or_breached_with_a_task(db: &Db) {
    let r = "1000001/26";
    db.ingest(
        &[
            // Monday 2 March 2026.
            reported(
                "e1",
                r,
                "2026-03-02T10:00:00Z",
                "Lambeth",
                json!([victim("V1", "none")]),
            ),
            event(
                "e2",
                "arrested",
                r,
                "2026-03-04T10:00:00Z",
                json!({"suspect": "S1"}),
            ),
        ],
        Utc::now(),
    )
    .await
    .unwrap();
    let list = obligations(db, r).await;
    let arrest = find(&list, "V1", "P12-arrest");
    let written = find(&list, "V1", "P2-written-confirmation");
    let referral = find(&list, "V1", "P6-support-referral");
    assert_eq!(arrest.due_on, day("2026-03-11"));
    assert_eq!(written.due_on, day("2026-03-09"));
    assert_eq!(referral.due_on, day("2026-03-04"));
    assert!(list.iter().all(|o| o.status == "open"));

    // Told of the arrest the next day: met, on time.
    let told = contact(
        "c1",
        r,
        "V1",
        "2026-03-05T12:00:00Z",
        "informed",
        &[arrest.obligation_id],
    );
    let recorded = db.record_contact(&told, "test", Utc::now()).await.unwrap();
    assert_eq!(recorded.met, vec![arrest.obligation_id]);
    assert!(!recorded.duplicate);

    // Time passes: the referral (due Wed 4) and the written confirmation (due Mon 9) were not
    // done. Each is breached once and opens one task, however often the pass runs.
    let pass = db.tick(at("2026-03-10T12:00:00Z")).await.unwrap();
    assert!(pass.ran);
    assert_eq!((pass.breached, pass.tasks_opened), (2, 2));
    let again = db.tick(at("2026-03-10T12:05:00Z")).await.unwrap();
    assert_eq!((again.breached, again.tasks_opened), (0, 0));
    assert_eq!(db.count_open_tasks().await.unwrap(), 2);
    let list = obligations(db, r).await;
    assert_eq!(find(&list, "V1", "P12-arrest").status, "met");
    assert_eq!(find(&list, "V1", "P12-arrest").on_time, Some(true));
    assert_eq!(
        find(&list, "V1", "P2-written-confirmation").status,
        "breached"
    );
    assert_eq!(find(&list, "V1", "P6-support-referral").status, "breached");

    // A late letter meets the written confirmation late, and its task closes.
    let late = contact(
        "c2",
        r,
        "V1",
        "2026-03-10T13:00:00Z",
        "informed",
        &[written.obligation_id],
    );
    db.record_contact(&late, "test", Utc::now()).await.unwrap();
    let list = obligations(db, r).await;
    let written_now = find(&list, "V1", "P2-written-confirmation");
    assert_eq!(written_now.status, "met");
    assert_eq!(written_now.on_time, Some(false));
    assert!(
        written_now.breached_at.is_some(),
        "it was breached, and that is kept"
    );
    assert_eq!(db.count_open_tasks().await.unwrap(), 1);

    // A resend changes nothing; naming a closed obligation or a stranger is refused.
    let resent = db.record_contact(&late, "test", Utc::now()).await.unwrap();
    assert!(resent.duplicate);
    let changed = contact("c2", r, "V1", "2026-03-10T13:00:00Z", "attempted", &[]);
    assert_eq!(
        refused(
            db.record_contact(&changed, "test", Utc::now())
                .await
                .unwrap_err()
        )[0]
        .0,
        "id",
        "a different contact under a known id is refused"
    );
    // A contact cannot carry news of an event that had not happened yet.
    let early = contact(
        "c6",
        r,
        "V1",
        "2026-03-02T09:00:00Z",
        "informed",
        &[referral.obligation_id],
    );
    assert_eq!(
        refused(
            db.record_contact(&early, "test", Utc::now())
                .await
                .unwrap_err()
        ),
        vec![(
            "obligations[0]".to_owned(),
            "is about something that happened after this contact".to_owned()
        )]
    );
    let twice = contact(
        "c3",
        r,
        "V1",
        "2026-03-10T14:00:00Z",
        "informed",
        &[arrest.obligation_id],
    );
    assert_eq!(
        refused(
            db.record_contact(&twice, "test", Utc::now())
                .await
                .unwrap_err()
        ),
        vec![(
            "obligations[0]".to_owned(),
            "is already closed (met)".to_owned()
        )]
    );
    let stranger = contact("c4", r, "V9", "2026-03-10T14:00:00Z", "informed", &[]);
    assert_eq!(
        refused(
            db.record_contact(&stranger, "test", Utc::now())
                .await
                .unwrap_err()
        )[0]
        .0,
        "victim"
    );

    // The referral is waived, with a reason and an approver; its task closes too.
    db.waive_obligation(
        referral.obligation_id,
        "The victim was referred by the hospital the same day",
        "test",
        "PS 1234 Khan",
        Utc::now(),
    )
    .await
    .unwrap();
    let list = obligations(db, r).await;
    let waived = find(&list, "V1", "P6-support-referral");
    assert_eq!(waived.status, "waived");
    assert_eq!(waived.approved_by.as_deref(), Some("PS 1234 Khan"));
    assert_eq!(db.count_open_tasks().await.unwrap(), 0);
    assert!(matches!(
        db.waive_obligation(referral.obligation_id, "again", "test", "PS 1", Utc::now())
            .await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        db.waive_obligation(987_654, "none", "test", "PS 1", Utc::now())
            .await,
        Err(StoreError::NotFound { .. })
    ));

    // A victim who does not want to hear about bail: not wanted, not breached.
    db.ingest(
        &[event(
            "e3",
            "released_on_bail",
            r,
            "2026-03-11T10:00:00Z",
            json!({"suspect": "S1", "bail_until": "2026-04-11",
                       "conditions": ["Not to contact the victim"]}),
        )],
        Utc::now(),
    )
    .await
    .unwrap();
    let bail = find(&obligations(db, r).await, "V1", "P15-police-bail").obligation_id;
    let declined = contact("c5", r, "V1", "2026-03-11T15:00:00Z", "declined", &[bail]);
    let recorded = db
        .record_contact(&declined, "test", Utc::now())
        .await
        .unwrap();
    assert_eq!(recorded.not_wanted, vec![bail]);
    let later = db.tick(at("2026-04-30T12:00:00Z")).await.unwrap();
    assert_eq!(later.breached, 0, "nothing open is overdue");
    assert_eq!(
        find(&obligations(db, r).await, "V1", "P15-police-bail").status,
        "not_wanted"
    );
}

pub async fn compliance_agrees_with_a_hand_count(db: &Db) {
    let (r1, r2) = ("1000002/26", "1000003/26");
    db.ingest(
        &[
            reported(
                "h1",
                r1,
                "2026-03-02T10:00:00Z",
                "Lambeth",
                json!([victim("V1", "none")]),
            ),
            event(
                "h2",
                "arrested",
                r1,
                "2026-03-04T10:00:00Z",
                json!({"suspect": "S1"}),
            ),
            // Wednesday 1 April 2026, the week of Easter.
            reported(
                "h3",
                r2,
                "2026-04-01T10:00:00Z",
                "Camden",
                json!([victim("V2", "none")]),
            ),
        ],
        Utc::now(),
    )
    .await
    .unwrap();
    let one = obligations(db, r1).await;
    let two = obligations(db, r2).await;
    assert_eq!(one.len() + two.len(), 5, "{one:?} {two:?}");
    // Easter (3 and 6 April) moves both deadlines.
    assert_eq!(
        find(&two, "V2", "P6-support-referral").due_on,
        day("2026-04-07")
    );
    assert_eq!(
        find(&two, "V2", "P2-written-confirmation").due_on,
        day("2026-04-10")
    );

    let id = |list: &[ObligationView], rule: &str| {
        list.iter().find(|o| o.rule == rule).unwrap().obligation_id
    };
    let contacts = [
        // V1: referral on time (due 4 Mar), arrest update late (due 11 Mar).
        contact(
            "k1",
            r1,
            "V1",
            "2026-03-04T18:00:00Z",
            "informed",
            &[id(&one, "P6-support-referral")],
        ),
        contact(
            "k2",
            r1,
            "V1",
            "2026-03-12T09:00:00Z",
            "informed",
            &[id(&one, "P12-arrest")],
        ),
        // V2: 22:30 UTC on 7 April is 23:30 in London, still the due day: on time.
        contact(
            "k3",
            r2,
            "V2",
            "2026-04-07T22:30:00Z",
            "informed",
            &[id(&two, "P6-support-referral")],
        ),
    ];
    for c in &contacts {
        db.record_contact(c, "test", Utc::now()).await.unwrap();
    }
    db.waive_obligation(
        id(&two, "P2-written-confirmation"),
        "Confirmed in person by the officer",
        "test",
        "PS 1234 Khan",
        Utc::now(),
    )
    .await
    .unwrap();
    // V1's written confirmation (due 9 Mar) was never sent.
    assert_eq!(
        db.tick(at("2026-05-01T12:00:00Z")).await.unwrap().breached,
        1
    );

    let (from, to) = (day("2026-03-01"), day("2026-04-30"));
    // (group, due, on time, late, breached, waived, percent on time), counted by hand.
    type Row = (String, u64, u64, u64, u64, u64, Option<f64>);
    let rows = |c: store::Compliance| -> Vec<Row> {
        c.groups
            .iter()
            .chain([&c.total])
            .map(|g| {
                assert_eq!((g.not_wanted, g.open), (0, 0));
                (
                    g.group.clone(),
                    g.due,
                    g.met_on_time,
                    g.met_late,
                    g.breached,
                    g.waived,
                    g.on_time_percent,
                )
            })
            .collect()
    };
    let row = |g: &str, due, on, late, breached, waived, pct| -> Row {
        (g.to_owned(), due, on, late, breached, waived, pct)
    };
    assert_eq!(
        rows(db.compliance(from, to, GroupBy::Rule).await.unwrap()),
        vec![
            row("P12-arrest", 1, 0, 1, 0, 0, Some(0.0)),
            row("P2-written-confirmation", 2, 0, 0, 1, 1, Some(0.0)),
            row("P6-support-referral", 2, 2, 0, 0, 0, Some(100.0)),
            row("all", 5, 2, 1, 1, 1, Some(50.0)),
        ]
    );
    assert_eq!(
        rows(db.compliance(from, to, GroupBy::Borough).await.unwrap()),
        vec![
            row("Camden", 2, 1, 0, 0, 1, Some(100.0)),
            row("Lambeth", 3, 1, 1, 1, 0, Some(33.3)),
            row("all", 5, 2, 1, 1, 1, Some(50.0)),
        ]
    );
    assert_eq!(
        rows(db.compliance(from, to, GroupBy::Month).await.unwrap()),
        vec![
            row("2026-03", 3, 1, 1, 1, 0, Some(33.3)),
            row("2026-04", 2, 1, 0, 0, 1, Some(100.0)),
            row("all", 5, 2, 1, 1, 1, Some(50.0)),
        ]
    );
    // The window is by due date: March alone leaves April's out.
    let march = db
        .compliance(from, day("2026-03-31"), GroupBy::Rule)
        .await
        .unwrap();
    assert_eq!(march.total.due, 3);
}

pub async fn periodic_updates_follow_the_agreed_interval(db: &Db) {
    let r = "1000004/26";
    db.ingest(
        &[reported(
            "p1",
            r,
            "2026-03-02T10:00:00Z",
            "Hackney",
            json!([
                victim("V1", "standard"),
                victim("V2", "weekly"),
                victim("V3", "none")
            ]),
        )],
        Utc::now(),
    )
    .await
    .unwrap();
    let first = db.tick(at("2026-03-02T12:00:00Z")).await.unwrap();
    assert_eq!(first.periodic_created, 2, "V3 asked for key events only");
    let list = obligations(db, r).await;
    let v1 = find(&list, "V1", "PU-periodic-update");
    assert_eq!(v1.due_on, day("2026-03-30"), "28 days after the report");
    assert_eq!(v1.right, 6);
    assert_eq!(
        find(&list, "V2", "PU-periodic-update").due_on,
        day("2026-03-09")
    );

    // Any contact that reaches V1 is an update: it meets the periodic one, and the next is
    // due 28 days after it.
    let call = contact("q1", r, "V1", "2026-03-20T11:00:00Z", "informed", &[]);
    let recorded = db.record_contact(&call, "test", Utc::now()).await.unwrap();
    assert_eq!(recorded.met, vec![v1.obligation_id]);
    db.tick(at("2026-03-21T12:00:00Z")).await.unwrap();
    let list = obligations(db, r).await;
    let next: Vec<_> = list
        .iter()
        .filter(|o| o.victim == "V1" && o.rule == "PU-periodic-update" && o.status == "open")
        .collect();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].due_on, day("2026-04-17"));
    // V2's weekly update of 9 March was missed: breached. The next, a week after it, would
    // already be past (16 March), so it is due now: Saturday 21 March, moved to Monday 23.
    let v2: Vec<_> = list
        .iter()
        .filter(|o| o.victim == "V2" && o.rule == "PU-periodic-update")
        .map(|o| (o.due_on, o.status.as_str()))
        .collect();
    assert_eq!(
        v2,
        vec![(day("2026-03-09"), "breached"), (day("2026-03-23"), "open")]
    );

    // Once the suspect is charged, updates follow the court process instead.
    db.ingest(
        &[event(
            "p2",
            "charged",
            r,
            "2026-03-25T10:00:00Z",
            json!({"suspect": "S1", "charges": ["Robbery"], "custody": "bailed"}),
        )],
        Utc::now(),
    )
    .await
    .unwrap();
    let pass = db.tick(at("2026-03-26T12:00:00Z")).await.unwrap();
    // V2's update due 23 March was missed before the charge: it stays a breach. V1's next
    // one (17 April) is no longer owed.
    assert_eq!((pass.breached, pass.periodic_lapsed), (1, 1));
    assert_eq!(pass.periodic_created, 0);
    let list = obligations(db, r).await;
    assert!(
        list.iter()
            .filter(|o| o.rule == "PU-periodic-update")
            .all(|o| o.status != "open")
    );
    let lapsed = list
        .iter()
        .find(|o| o.rule == "PU-periodic-update" && o.status == "waived")
        .unwrap();
    assert_eq!(
        lapsed.waiver_reason.as_deref(),
        Some("the case is no longer under investigation")
    );
}

pub async fn one_scheduler_pass_runs_at_a_time(db: &Db) {
    match db {
        Db::Postgres(pool) => {
            // Another instance is in the middle of a pass: this one leaves it to them.
            let mut other = pool.pool.begin().await.unwrap();
            sqlx::query("SELECT pg_advisory_xact_lock(7318002)")
                .execute(&mut *other)
                .await
                .unwrap();
            assert!(!db.tick(Utc::now()).await.unwrap().ran);
            other.rollback().await.unwrap();
            assert!(db.tick(Utc::now()).await.unwrap().ran);
        }
        // SQLite has one writer: passes simply take turns.
        Db::Sqlite(_) => assert!(db.tick(Utc::now()).await.unwrap().ran),
    }
}

pub async fn a_loaded_rule_set_governs_events_from_its_date(db: &Db) {
    const BUILTIN: &str = include_str!("../../../domain/rules/vcop-2021.toml");
    // The force shortens the arrest update to 3 working days, from Monday 1 June 2026.
    let shorter = BUILTIN.replacen("version = 1", "version = 2", 1).replacen(
        "on = [\"arrested\"]\nstandard = 5",
        "on = [\"arrested\"]\nstandard = 3",
        1,
    );
    let info = db
        .load_rule_set(
            &shorter,
            Some(day("2026-06-01")),
            "Head of Victim Care",
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(info.label, "vcop-2021/2");
    let labels: Vec<String> = db
        .rule_sets()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.label)
        .collect();
    assert_eq!(labels, ["vcop-2021/1", "vcop-2021/2"]);

    // Loading the same version again, the built-in version, or a broken file: refused.
    for text in [shorter.as_str(), BUILTIN, "id = \"x\""] {
        let e = db
            .load_rule_set(text, None, "someone", Utc::now())
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Refused(_)), "{e}");
    }
    assert_eq!(db.rule_sets().await.unwrap().len(), 2);

    let r = "1000005/26";
    db.ingest(
        &[
            reported(
                "s1",
                r,
                "2026-05-01T10:00:00Z",
                "Barnet",
                json!([victim("V1", "none")]),
            ),
            // Monday 4 May is a bank holiday: day 0 all the same, due Monday 11 May.
            event(
                "s2",
                "arrested",
                r,
                "2026-05-04T10:00:00Z",
                json!({"suspect": "S1"}),
            ),
            event(
                "s3",
                "arrested",
                r,
                "2026-06-01T10:00:00Z",
                json!({"suspect": "S2"}),
            ),
        ],
        Utc::now(),
    )
    .await
    .unwrap();
    let arrests: Vec<(String, chrono::NaiveDate, String)> = obligations(db, r)
        .await
        .into_iter()
        .filter(|o| o.rule == "P12-arrest")
        .map(|o| (o.event, o.due_on, o.rule_set))
        .collect();
    assert_eq!(
        arrests,
        vec![
            ("s2".to_owned(), day("2026-05-11"), "vcop-2021/1".to_owned()),
            ("s3".to_owned(), day("2026-06-04"), "vcop-2021/2".to_owned()),
        ]
    );
}

pub async fn a_change_of_facts_mid_case_shortens_later_deadlines_only(db: &Db) {
    let r = "1000006/26";
    let history = [
        reported(
            "f1",
            r,
            "2026-03-02T10:00:00Z",
            "Enfield",
            json!([victim("V1", "none")]),
        ),
        event(
            "f2",
            "arrested",
            r,
            "2026-03-04T10:00:00Z",
            json!({"suspect": "S1"}),
        ),
        // Found to be domestic abuse on Thursday 5 March.
        event(
            "f3",
            "case_details_changed",
            r,
            "2026-03-05T10:00:00Z",
            json!({"flags": {"domestic_abuse": true}}),
        ),
        event(
            "f4",
            "released_on_bail",
            r,
            "2026-03-06T10:00:00Z",
            json!({"suspect": "S1", "bail_until": "2026-04-03"}),
        ),
    ];
    // All at once, newest first, as a bulk import of history might send them.
    let mut batch = history.to_vec();
    batch.reverse();
    db.ingest(&batch, Utc::now()).await.unwrap();
    let list = obligations(db, r).await;
    let arrest = find(&list, "V1", "P12-arrest");
    assert_eq!(
        (arrest.enhanced, arrest.due_on),
        (false, day("2026-03-11")),
        "before the flag"
    );
    let bail = find(&list, "V1", "P15-police-bail");
    assert_eq!(
        (bail.enhanced, bail.due_on),
        (true, day("2026-03-09")),
        "after the flag"
    );
    assert_eq!(bail.reasons.0["reasons"], json!(["domestic_abuse"]));
    assert_eq!(
        bail.reasons.0["case_facts_set_by"],
        json!({"source": "cris", "event": "f3", "at": "2026-03-05T10:00:00Z"}),
        "who set the facts, and when"
    );
    assert_eq!(arrest.reasons.0["case_facts_set_by"]["event"], "f1");
}

pub async fn a_backlog_is_breached_in_batches_without_flooding_the_work_queue(db: &Db) {
    // A history loaded all at once: 6,000 reports from January, two obligations each.
    let history: Vec<Event> = (0..6000)
        .map(|n| {
            reported(
                &format!("b{n}"),
                &format!("{:07}/26", 3_000_000 + n),
                "2026-01-12T10:00:00Z",
                "Brent",
                json!([victim(&format!("B{n}"), "none")]),
            )
        })
        .collect();
    db.ingest(&history, Utc::now()).await.unwrap();
    let pass = db.tick(at("2026-06-01T12:00:00Z")).await.unwrap();
    // More than one transaction's worth, all breached in one pass.
    assert_eq!(pass.breached, 12_000);
    // Months overdue when found: recorded for compliance, but nobody's task now.
    assert_eq!(pass.tasks_opened, 0);
    assert_eq!(db.count_open_tasks().await.unwrap(), 0);
    let again = db.tick(at("2026-06-01T12:01:00Z")).await.unwrap();
    assert_eq!(again.breached, 0);
    let january = db
        .compliance(day("2026-01-01"), day("2026-01-31"), GroupBy::Rule)
        .await
        .unwrap();
    assert_eq!(
        (january.total.due, january.total.breached),
        (12_000, 12_000)
    );
}

pub async fn the_breach_pass_takes_only_what_is_past_due_in_this_week(db: &Db) {
    // Open obligations are found by the week they are due (weeks start on Thursdays, counted
    // from Thursday 1 January 1970): some due this week are late, some are not yet due.
    let (early, late) = ("1000020/26", "1000021/26");
    db.ingest(
        &[
            // Monday 2 March: a referral due Wed 4 (last week), a letter due Mon 9.
            reported(
                "w1",
                early,
                "2026-03-02T10:00:00Z",
                "Hackney",
                json!([victim("W1", "none")]),
            ),
            // Wednesday 4 March: a referral due Fri 6, a letter due Wed 11 (this week).
            reported(
                "w2",
                late,
                "2026-03-04T10:00:00Z",
                "Hackney",
                json!([victim("W2", "none")]),
            ),
        ],
        Utc::now(),
    )
    .await
    .unwrap();
    let due_by = |by: &'static str| async move {
        db.obligations_due_by(day(by), None, 50)
            .await
            .unwrap()
            .into_iter()
            .map(|d| (d.crime_reference, d.rule, d.due_on))
            .collect::<Vec<_>>()
    };
    let referral = "P6-support-referral".to_owned();
    let letter = "P2-written-confirmation".to_owned();
    assert_eq!(
        due_by("2026-03-06").await,
        vec![
            (early.to_owned(), referral.clone(), day("2026-03-04")),
            (late.to_owned(), referral.clone(), day("2026-03-06")),
        ],
        "soonest first, across the start of a week, and nothing due later"
    );

    // Monday 9 March, midday: both referrals are late; the letter due today is not, nor is
    // the one due on Wednesday.
    let pass = db.tick(at("2026-03-09T12:00:00Z")).await.unwrap();
    assert_eq!(pass.breached, 2);
    let status =
        |list: &[ObligationView], rule: &str, who: &str| find(list, who, rule).status.clone();
    let first = obligations(db, early).await;
    let second = obligations(db, late).await;
    assert_eq!(status(&first, &referral, "W1"), "breached");
    assert_eq!(status(&second, &referral, "W2"), "breached");
    assert_eq!(status(&first, &letter, "W1"), "open");
    assert_eq!(status(&second, &letter, "W2"), "open");
    assert_eq!(
        due_by("2026-03-11").await,
        vec![
            (early.to_owned(), letter.clone(), day("2026-03-09")),
            (late.to_owned(), letter.clone(), day("2026-03-11")),
        ]
    );

    // Thursday 12 March, the next week: both letters are late now.
    let pass = db.tick(at("2026-03-12T12:00:00Z")).await.unwrap();
    assert_eq!(pass.breached, 2);
    assert!(due_by("2026-03-31").await.is_empty());
}

pub async fn a_portal_link_needs_the_date_of_birth_and_locks_after_wrong_ones(db: &Db) {
    use store::{Answer, Verification};
    let r = "1000007/26";
    db.ingest(
        &[reported(
            "v1",
            r,
            "2026-03-02T10:00:00Z",
            "Camden",
            json!([victim("V1", "none"), victim("V2", "none")]),
        )],
        Utc::now(),
    )
    .await
    .unwrap();
    let reference = CrimeReference::parse(r).unwrap();
    let t0 = at("2026-11-28T10:00:00Z");
    // Two victims: staff must say which.
    let e = db
        .issue_portal_access(&reference, None, "PC Reid", t0)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Refused(_)));
    let link = db
        .issue_portal_access(&reference, Some(2), "PC Reid", t0)
        .await
        .unwrap();
    assert_eq!((link.victim_ref.as_str(), link.victim_number), ("V2", 2));
    assert!(link.token.len() >= 32, "at least 128 bits");
    let dob = day("1980-01-01");
    let wrong = day("1980-01-02");

    // A guess and a wrong date get the same answer.
    assert_eq!(
        db.verify_portal("not-a-real-token", Answer::DateOfBirth(dob), t0)
            .await
            .unwrap(),
        Verification::Refused
    );
    for _ in 0..5 {
        assert_eq!(
            db.verify_portal(&link.token, Answer::DateOfBirth(wrong), t0)
                .await
                .unwrap(),
            Verification::Refused
        );
    }
    // Locked: even the right date is refused for 15 minutes.
    assert_eq!(
        db.verify_portal(
            &link.token,
            Answer::DateOfBirth(dob),
            t0 + chrono::TimeDelta::minutes(5)
        )
        .await
        .unwrap(),
        Verification::Refused
    );
    let later = t0 + chrono::TimeDelta::minutes(16);
    let Verification::Verified { session } = db
        .verify_portal(&link.token, Answer::DateOfBirth(dob), later)
        .await
        .unwrap()
    else {
        panic!("the right date after the lockout opens the case");
    };
    let s = db.portal_session(&session, later).await.unwrap().unwrap();
    assert_eq!(s.case_id, super::case(db, r).await.case_id);
    // Idle for more than 15 minutes: the session has ended.
    assert!(
        db.portal_session(&session, later + chrono::TimeDelta::minutes(16))
            .await
            .unwrap()
            .is_none()
    );

    // Reissuing stops the old link (and its sessions).
    let Verification::Verified { session } = db
        .verify_portal(&link.token, Answer::DateOfBirth(dob), later)
        .await
        .unwrap()
    else {
        panic!("verified");
    };
    let again = db
        .issue_portal_access(&reference, Some(2), "PC Reid", later)
        .await
        .unwrap();
    assert_eq!(
        db.verify_portal(&link.token, Answer::DateOfBirth(dob), later)
            .await
            .unwrap(),
        Verification::Refused
    );
    assert!(db.portal_session(&session, later).await.unwrap().is_none());
    assert!(matches!(
        db.verify_portal(&again.token, Answer::DateOfBirth(dob), later)
            .await
            .unwrap(),
        Verification::Verified { .. }
    ));

    // Every attempt is audited, with no token or date in the record.
    let outcomes: Vec<String> = db
        .portal_attempts()
        .await
        .unwrap()
        .into_iter()
        .map(|(_, o)| o)
        .collect();
    assert_eq!(outcomes[0], "unknown link");
    assert_eq!(outcomes[5], "wrong answer; locked");
    assert_eq!(outcomes[6], "locked");
    assert_eq!(outcomes[7], "verified");
    assert_eq!(outcomes.len(), 11);

    // Two years on, even a link nobody reissued stops working.
    let expired = later + store::LINK_LIFETIME + chrono::TimeDelta::minutes(1);
    assert_eq!(
        db.verify_portal(&again.token, Answer::DateOfBirth(dob), expired)
            .await
            .unwrap(),
        Verification::Refused
    );
}

pub async fn guesses_sent_at_once_still_lock_the_link_and_many_stop_it(db: &Db) {
    use store::{Answer, Verification};
    let r = "1000008/26";
    db.ingest(
        &[reported(
            "g1",
            r,
            "2026-03-02T10:00:00Z",
            "Camden",
            json!([victim("G1", "none")]),
        )],
        Utc::now(),
    )
    .await
    .unwrap();
    let reference = CrimeReference::parse(r).unwrap();
    let t0 = at("2026-11-28T10:00:00Z");
    let link = db
        .issue_portal_access(&reference, None, "PC Reid", t0)
        .await
        .unwrap();
    let (dob, wrong) = (day("1980-01-01"), day("1999-09-09"));

    // Ten guesses at once: five are counted (the fifth locks), the other five meet the lock.
    let guesses = (0..10).map(|_| db.verify_portal(&link.token, Answer::DateOfBirth(wrong), t0));
    for answer in futures::future::join_all(guesses).await {
        assert_eq!(answer.unwrap(), Verification::Refused);
    }
    let outcomes = |all: Vec<(Option<i64>, String)>| -> Vec<String> {
        all.into_iter().map(|(_, o)| o).collect()
    };
    let seen = outcomes(db.portal_attempts().await.unwrap());
    assert_eq!(seen.iter().filter(|o| *o == "wrong answer").count(), 4);
    assert_eq!(
        seen.iter().filter(|o| *o == "wrong answer; locked").count(),
        1
    );
    assert_eq!(seen.iter().filter(|o| *o == "locked").count(), 5);

    // The lockouts grow (15, then 30 minutes), and the fifteenth wrong answer stops the link.
    let mut when = t0 + chrono::TimeDelta::minutes(16);
    for _ in 0..5 {
        db.verify_portal(&link.token, Answer::DateOfBirth(wrong), when)
            .await
            .unwrap();
    }
    assert_eq!(
        db.verify_portal(
            &link.token,
            Answer::DateOfBirth(dob),
            when + chrono::TimeDelta::minutes(20)
        )
        .await
        .unwrap(),
        Verification::Refused,
        "the second lockout lasts 30 minutes"
    );
    when += chrono::TimeDelta::minutes(31);
    for _ in 0..5 {
        db.verify_portal(&link.token, Answer::DateOfBirth(wrong), when)
            .await
            .unwrap();
    }
    assert_eq!(
        db.verify_portal(
            &link.token,
            Answer::DateOfBirth(dob),
            when + chrono::TimeDelta::days(2)
        )
        .await
        .unwrap(),
        Verification::Refused,
        "after 15 wrong answers the link is stopped for good"
    );
    let seen = outcomes(db.portal_attempts().await.unwrap());
    assert!(
        seen.contains(&"wrong answer; link stopped".to_owned()),
        "{seen:?}"
    );
    // A new link from staff works.
    let fresh = db
        .issue_portal_access(&reference, None, "PC Reid", when)
        .await
        .unwrap();
    assert!(matches!(
        db.verify_portal(&fresh.token, Answer::DateOfBirth(dob), when)
            .await
            .unwrap(),
        Verification::Verified { .. }
    ));
}

pub async fn a_chosen_pin_replaces_the_date_of_birth_until_cleared(db: &Db) {
    use domain::pin::Pin;
    use store::{Answer, Verification};
    let r = "1000009/26";
    db.ingest(
        &[reported(
            "p1",
            r,
            "2026-03-02T10:00:00Z",
            "Camden",
            json!([victim("P1", "none")]),
        )],
        Utc::now(),
    )
    .await
    .unwrap();
    let reference = CrimeReference::parse(r).unwrap();
    let t0 = at("2026-11-28T10:00:00Z");
    let link = db
        .issue_portal_access(&reference, None, "PC Reid", t0)
        .await
        .unwrap();
    let dob = || Answer::DateOfBirth(day("1980-01-01"));
    let pin = |p: &str| Answer::Pin(p.to_owned());
    let verified = |v: Verification| matches!(v, Verification::Verified { .. });

    // No PIN yet: a PIN does not open the page, the date of birth does.
    assert!(!verified(
        db.verify_portal(&link.token, pin("402917"), t0)
            .await
            .unwrap()
    ));
    let Verification::Verified { session } =
        db.verify_portal(&link.token, dob(), t0).await.unwrap()
    else {
        panic!("the date of birth opens the page");
    };
    let s = db.portal_session(&session, t0).await.unwrap().unwrap();
    assert!(!s.has_pin);

    // The victim chooses a PIN: from now on only the PIN opens the page.
    let chosen = Pin::parse("402917", None).unwrap();
    let Verification::Verified { session: elsewhere } =
        db.verify_portal(&link.token, dob(), t0).await.unwrap()
    else {
        panic!("a second phone opens the page too");
    };
    db.set_portal_pin(
        s.case_id,
        s.victim_id,
        &chosen,
        "victim",
        Some(&session),
        t0,
    )
    .await
    .unwrap();
    assert!(
        db.portal_session(&elsewhere, t0).await.unwrap().is_none(),
        "every other open page must answer again"
    );
    assert!(
        db.portal_pin_matches(s.case_id, s.victim_id, "402917")
            .await
            .unwrap()
    );
    assert!(
        !db.portal_pin_matches(s.case_id, s.victim_id, "402918")
            .await
            .unwrap()
    );
    assert!(
        db.portal_session(&session, t0)
            .await
            .unwrap()
            .unwrap()
            .has_pin
    );
    assert!(!verified(
        db.verify_portal(&link.token, dob(), t0).await.unwrap()
    ));
    assert!(!verified(
        db.verify_portal(&link.token, pin("402918"), t0)
            .await
            .unwrap()
    ));
    assert!(verified(
        db.verify_portal(&link.token, pin("402917"), t0)
            .await
            .unwrap()
    ));

    // A new link keeps the PIN: it belongs to the victim, not to the link.
    let again = db
        .issue_portal_access(&reference, None, "PC Reid", t0)
        .await
        .unwrap();
    assert!(!verified(
        db.verify_portal(&again.token, dob(), t0).await.unwrap()
    ));
    assert!(verified(
        db.verify_portal(&again.token, pin("402917"), t0)
            .await
            .unwrap()
    ));

    // Wrong PINs count towards the same lockout as wrong dates.
    for _ in 0..5 {
        db.verify_portal(&again.token, pin("999999"), t0)
            .await
            .unwrap();
    }
    assert!(!verified(
        db.verify_portal(&again.token, pin("402917"), t0)
            .await
            .unwrap()
    ));
    let later = t0 + chrono::TimeDelta::minutes(16);
    assert!(verified(
        db.verify_portal(&again.token, pin("402917"), later)
            .await
            .unwrap()
    ));

    let (case_id, victim_id) = db.portal_victim(&reference, None).await.unwrap();
    assert_eq!((case_id, victim_id), (s.case_id, s.victim_id));

    // Forgotten: the helpline clears it, and the date of birth works again.
    assert!(db.clear_portal_pin(case_id, victim_id).await.unwrap());
    assert!(!db.clear_portal_pin(case_id, victim_id).await.unwrap());
    assert!(!verified(
        db.verify_portal(&again.token, pin("402917"), later)
            .await
            .unwrap()
    ));
    assert!(verified(
        db.verify_portal(&again.token, dob(), later).await.unwrap()
    ));
}

pub async fn feedback_is_kept_with_the_victims_own_words(db: &Db) {
    use domain::feedback::Feedback;
    let r = "1000010/26";
    db.ingest(
        &[reported(
            "f1",
            r,
            "2026-03-02T10:00:00Z",
            "Camden",
            json!([victim("F1", "none")]),
        )],
        Utc::now(),
    )
    .await
    .unwrap();
    let reference = CrimeReference::parse(r).unwrap();
    let (case_id, victim_id) = db.portal_victim(&reference, None).await.unwrap();
    let t0 = at("2026-11-28T10:00:00Z");
    let words = "Nobody told me about the court date. <script>alert(1)</script> Zażółć";
    let given = Feedback::parse(Some("2"), Some(words)).unwrap();
    db.record_feedback(case_id, victim_id, &given, "portal", t0)
        .await
        .unwrap();
    let quiet = Feedback::parse(Some("5"), None).unwrap();
    db.record_feedback(case_id, victim_id, &quiet, "portal", t0)
        .await
        .unwrap();
    let kept = db.feedback_of_victim(case_id, victim_id).await.unwrap();
    assert_eq!(kept.len(), 2);
    assert_eq!(
        (kept[0].rating, kept[0].comment.as_deref()),
        (2, Some(words))
    );
    assert_eq!((kept[1].rating, kept[1].comment.as_deref()), (5, None));
    assert_eq!(kept[0].channel, "portal");
    assert_eq!(kept[0].given_at, t0);
}

pub async fn guesses_spread_between_the_victims_visits_still_run_out(db: &Db) {
    use store::{Answer, Verification};
    let r = "1000011/26";
    db.ingest(
        &[reported(
            "s1",
            r,
            "2026-03-02T10:00:00Z",
            "Camden",
            json!([victim("S1", "none")]),
        )],
        Utc::now(),
    )
    .await
    .unwrap();
    let reference = CrimeReference::parse(r).unwrap();
    let t0 = at("2026-11-28T10:00:00Z");
    let link = db
        .issue_portal_access(&reference, None, "PC Reid", t0)
        .await
        .unwrap();
    let (dob, wrong) = (day("1980-01-01"), day("1999-09-09"));
    // Four wrong guesses, then the victim's own visit resets the count in a row, seven times.
    for _ in 0..7 {
        for _ in 0..4 {
            db.verify_portal(&link.token, Answer::DateOfBirth(wrong), t0)
                .await
                .unwrap();
        }
        assert!(matches!(
            db.verify_portal(&link.token, Answer::DateOfBirth(dob), t0)
                .await
                .unwrap(),
            Verification::Verified { .. }
        ));
    }
    // Two more make thirty over the link's life: it stops for good.
    for _ in 0..2 {
        db.verify_portal(&link.token, Answer::DateOfBirth(wrong), t0)
            .await
            .unwrap();
    }
    assert_eq!(
        db.verify_portal(&link.token, Answer::DateOfBirth(dob), t0)
            .await
            .unwrap(),
        Verification::Refused
    );
}
