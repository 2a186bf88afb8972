//! Capacity on both backends: burglary attendance against a hand count, the chase of
//! unattended burglaries, and the staffing plan's reading of call records and the rota.

use super::{event, now, person};
use chrono::{DateTime, TimeDelta, Utc};
use domain::Event;
use domain::capacity::week::Week;
use serde_json::json;
use store::{CallOutcome, CallRecord, CapacityPolicy, Db, FigureFilter, QueueFilter};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn burglary(id: &str, reference: &str, reported: &str, borough: &str) -> Event {
    event(
        id,
        "reported",
        reference,
        reported,
        json!({"offence": "burglary_residential", "borough": borough,
               "officer": {"name": "DC Moss"},
               "victims": [person(&format!("V-{id}"), "Sam Hill", "07700 900111")]}),
    )
}

fn attended(id: &str, reference: &str, when: &str) -> Event {
    event(
        id,
        "officer_attended",
        reference,
        when,
        json!({"officer": {"name": "PC Jo Reyes", "collar_number": "1234RS"}}),
    )
}

/// Six home burglaries and a robbery, worked out by hand:
/// - Lambeth, October (London): B1 45 min, B2 180 min, B3 never, B6 120 min (reported at
///   00:30 on 1 October in London, still 30 September in UTC);
/// - Hackney, November: B4 30 min (a second visit later does not count), B5 720 min, B8
///   never;
/// - the robbery, attended, is not a burglary and does not count.
async fn the_fixed_data_set(db: &Db) {
    let events = vec![
        burglary("B1", "7100001/26", "2026-10-05T10:00:00Z", "Lambeth"),
        attended("B1a", "7100001/26", "2026-10-05T10:45:00Z"),
        burglary("B2", "7100002/26", "2026-10-20T22:00:00Z", "Lambeth"),
        attended("B2a", "7100002/26", "2026-10-21T01:00:00Z"),
        burglary("B3", "7100003/26", "2026-10-25T09:00:00Z", "Lambeth"),
        burglary("B4", "7100004/26", "2026-11-02T12:00:00Z", "Hackney"),
        attended("B4a", "7100004/26", "2026-11-02T12:30:00Z"),
        attended("B4b", "7100004/26", "2026-11-04T09:00:00Z"),
        burglary("B5", "7100005/26", "2026-11-03T08:00:00Z", "Hackney"),
        attended("B5a", "7100005/26", "2026-11-03T20:00:00Z"),
        burglary("B6", "7100006/26", "2026-09-30T23:30:00Z", "Lambeth"),
        attended("B6a", "7100006/26", "2026-10-01T01:30:00Z"),
        burglary("B8", "7100008/26", "2026-11-20T10:00:00Z", "Hackney"),
        event(
            "R1",
            "reported",
            "7100009/26",
            "2026-11-05T10:00:00Z",
            json!({"offence": "robbery", "borough": "Hackney", "officer": {"name": "DC Moss"},
                   "victims": [person("V-R1", "Kim Lee", "07700 900112")]}),
        ),
        attended("R1a", "7100009/26", "2026-11-05T10:20:00Z"),
    ];
    // Arrival order must not matter: the attendances first.
    let (late, early): (Vec<Event>, Vec<Event>) =
        events.into_iter().partition(|e| e.id.as_str().len() == 2);
    db.ingest(&early, now()).await.unwrap();
    db.ingest(&late, now()).await.unwrap();
}

pub(crate) async fn burglary_attendance_agrees_with_a_hand_count(db: &Db) {
    the_fixed_data_set(db).await;
    let rows = db
        .attendance(&FigureFilter {
            from: "2026-09-01".parse().unwrap(),
            to: "2026-11-30".parse().unwrap(),
            borough: None,
            offence: None,
        })
        .await
        .unwrap();
    let find = |borough: Option<&str>, month: Option<&str>| {
        rows.iter()
            .find(|r| r.borough.as_deref() == borough && r.month.as_deref() == month)
            .unwrap_or_else(|| panic!("no row for {borough:?} {month:?} in {rows:?}"))
    };
    let lambeth = find(Some("Lambeth"), Some("2026-10"));
    assert_eq!((lambeth.reported, lambeth.attended), (4, 3));
    assert_eq!(lambeth.median_minutes, Some(120));
    assert_eq!(lambeth.p90_minutes, Some(180));
    assert!((lambeth.rate.unwrap() - 0.75).abs() < 1e-12);
    let hackney = find(Some("Hackney"), Some("2026-11"));
    assert_eq!((hackney.reported, hackney.attended), (3, 2));
    assert_eq!(hackney.median_minutes, Some(30));
    assert_eq!(hackney.p90_minutes, Some(720));
    let all = find(None, None);
    assert_eq!((all.reported, all.attended), (7, 5));
    assert_eq!(all.median_minutes, Some(120));
    assert_eq!(all.p90_minutes, Some(720));
    assert_eq!(rows.len(), 3, "no September row: B6 is October in London");

    let one_borough = db
        .attendance(&FigureFilter {
            from: "2026-09-01".parse().unwrap(),
            to: "2026-11-30".parse().unwrap(),
            borough: Some("Hackney".into()),
            offence: None,
        })
        .await
        .unwrap();
    assert_eq!(one_borough.last().unwrap().reported, 3);

    let waiting = db.unattended_burglaries(10).await.unwrap();
    let refs: Vec<&str> = waiting.iter().map(|w| w.crime_reference.as_str()).collect();
    assert_eq!(refs, ["7100003/26", "7100008/26"], "oldest first");
}

pub(crate) async fn an_unattended_burglary_becomes_one_task_until_attended(db: &Db) {
    the_fixed_data_set(db).await;
    let when = at("2026-11-20T20:00:00Z");
    // B3 has waited weeks; B8 only ten hours.
    let (opened, closed) = db
        .chase_unattended(TimeDelta::hours(24), when)
        .await
        .unwrap();
    assert_eq!((opened, closed), (1, 0));
    let again = db
        .chase_unattended(TimeDelta::hours(24), when)
        .await
        .unwrap();
    assert_eq!(again, (0, 0), "one task per burglary, however many passes");
    let response = QueueFilter {
        kinds: store::RESPONSE_KINDS.to_vec(),
        limit: 50,
        ..QueueFilter::default()
    };
    let tasks = db.queue(&response).await.unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].crime_reference, "7100003/26");
    assert_eq!(store::team_of(&tasks[0].kind), "response");

    db.ingest(
        &[attended("B3a", "7100003/26", "2026-11-20T21:00:00Z")],
        now(),
    )
    .await
    .unwrap();
    let later = db
        .chase_unattended(TimeDelta::hours(24), at("2026-11-21T12:00:00Z"))
        .await
        .unwrap();
    // B3's task closes itself; B8 has now waited 26 hours and gets one.
    assert_eq!(later, (1, 1));
    let open: Vec<String> = db
        .queue(&response)
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.closed_at.is_none())
        .map(|t| t.crime_reference)
        .collect();
    assert_eq!(open, ["7100008/26"]);
}

fn call(id: &str, when: DateTime<Utc>, answered: bool, wait: i32) -> CallRecord {
    CallRecord {
        provider_call_id: id.into(),
        queue: "helpline".into(),
        caller_index: None,
        offered_at: when,
        outcome: if answered {
            CallOutcome::Answered
        } else {
            CallOutcome::Abandoned
        },
        wait_seconds: wait,
        talk_seconds: if answered { 200 } else { 0 },
        wrap_seconds: if answered { 40 } else { 0 },
    }
}

pub(crate) async fn the_plan_reads_calls_and_rota_and_reports_what_was_achieved(db: &Db) {
    // Four weeks of ten calls every Monday 09:00–09:30, then the planned week itself, which
    // has begun: three calls, two answered in 20 s, one after 90 s... and one hang-up.
    let planned = Week::parse("2026-W47").unwrap();
    let mut calls = Vec::new();
    let mut w = planned;
    for _ in 0..4 {
        w = w.previous();
        for i in 0..10 {
            let when = w.slot_start(18) + TimeDelta::minutes(i * 2);
            calls.push(call(&format!("H-{}-{i}", w.label()), when, true, 10));
        }
    }
    let monday_9 = planned.slot_start(18);
    calls.push(call("P-1", monday_9 + TimeDelta::minutes(1), true, 5));
    calls.push(call("P-2", monday_9 + TimeDelta::minutes(2), true, 20));
    calls.push(call("P-3", monday_9 + TimeDelta::minutes(3), true, 90));
    calls.push(call("P-4", monday_9 + TimeDelta::minutes(4), false, 40));
    let first = db.import_calls(&calls).await.unwrap();
    assert_eq!((first.added, first.already_held), (44, 0));
    let again = db.import_calls(&calls).await.unwrap();
    assert_eq!(
        (again.added, again.already_held),
        (0, 44),
        "importing twice adds nothing"
    );

    // The rota puts 5 on Monday 09:00 and 1 at 09:30.
    db.load_rota(&[(monday_9, 5), (planned.slot_start(19), 1)], now())
        .await
        .unwrap();
    // A second load of the same half hour replaces the first.
    db.load_rota(&[(monday_9, 4)], now()).await.unwrap();

    let policy = CapacityPolicy::default();
    let req = policy.request(planned, false, Vec::new()).unwrap();
    let calendar = db.calendar().await.unwrap();
    let plan = db
        .staffing_plan(&req, &calendar, at("2026-11-18T12:00:00Z"))
        .await
        .unwrap();
    assert_eq!(plan.history_weeks, 4);
    let nine = &plan.intervals[18];
    assert!(
        (nine.calls - 10.0).abs() < 1e-9,
        "ten calls every week: {}",
        nine.calls
    );
    assert_eq!(nine.scheduled, Some(4));
    assert_eq!(nine.gap, Some(4 - i64::from(nine.rostered)));
    assert_eq!(plan.intervals[19].scheduled, Some(1));
    assert_eq!(plan.intervals[20].scheduled, None);
    // 43 answered calls of 200 s talk and 40 s wrap-up teach the handling time; one
    // hang-up is too few to learn patience from, so the configured figure stands.
    assert!(plan.handle_learned && (plan.handle_seconds - 240.0).abs() < 1e-9);
    assert!(!plan.patience_learned);
    assert_eq!(plan.patience_seconds, Some(policy.patience_seconds));
    let achieved = nine.achieved.unwrap();
    assert_eq!(achieved.offered, 4);
    assert_eq!(achieved.answered, 3);
    assert_eq!(
        achieved.answered_in_target, 2,
        "within 20 s: the 5 s and 20 s waits"
    );
    assert_eq!(achieved.abandoned, 1);
    assert_eq!(
        achieved.average_speed_of_answer(),
        Some((5.0 + 20.0 + 90.0) / 3.0)
    );
    // Intervals of the week not yet over have nothing achieved; those over, zero calls.
    assert_eq!(plan.intervals[17].achieved.unwrap().offered, 0);
    assert!(plan.intervals[200].achieved.is_none());

    let weeks = db
        .achieved_by_week(planned.previous(), planned, 20.0)
        .await
        .unwrap();
    assert_eq!(weeks[0].1.offered, 10);
    assert_eq!(weeks[1].1.answered_in_target, 2);
}

/// Subject access lives here for want of a module of its own: it reads every table.
pub(crate) async fn a_subject_access_export_holds_everything_about_them_and_nobody_else(db: &Db) {
    let events = vec![
        event(
            "S1",
            "reported",
            "7300001/26",
            "2026-11-02T10:00:00Z",
            json!({"offence": "robbery", "borough": "Brent", "officer": {"name": "DC Moss"},
                   "victims": [person("VA", "Ada Quill", "07700 900201"),
                               person("VB", "Bo Rennet", "07700 900202")]}),
        ),
        event(
            "S2",
            "arrested",
            "7300001/26",
            "2026-11-03T10:00:00Z",
            json!({"suspect": "S1"}),
        ),
    ];
    db.ingest(&events, now()).await.unwrap();
    let reference = domain::CrimeReference::parse("7300001/26").unwrap();
    let (case_id, ada) = db.portal_victim(&reference, Some(1)).await.unwrap();
    db.issue_portal_access(&reference, Some(1), "helpline", now())
        .await
        .unwrap();
    let got = db.subject_access(ada, now()).await.unwrap().unwrap();
    let text = serde_json::to_string(&got).unwrap();
    assert!(
        text.contains("Ada Quill") && text.contains("900201"),
        "{text}"
    );
    assert!(
        !text.contains("Bo Rennet") && !text.contains("900202"),
        "{text}"
    );
    assert_eq!(got.cases.len(), 1);
    assert_eq!(got.cases[0].case_id, case_id);
    assert_eq!(got.events.len(), 2);
    let tables: Vec<&str> = got.records.iter().map(|(t, _)| t.as_str()).collect();
    for t in ["case_victim", "obligation", "portal_access"] {
        assert!(tables.contains(&t), "{t} missing from {tables:?}");
    }
    // Each obligation with its explanation, written again from its facts as on every page.
    let (_, obligations) = got.records.iter().find(|(t, _)| t == "obligation").unwrap();
    let arrest = obligations
        .iter()
        .find(|o| o["rule_id"] == "P12-arrest")
        .expect("owed an update on the arrest");
    assert_eq!(
        arrest["explanation"],
        "due Tue 10 Nov 2026: suspect arrested, on Tue 3 Nov 2026; standard rights; 5 working days"
    );
    // Secrets that protect them are not copied out: the link's hash, the search digests.
    assert!(
        !text.contains("token_hash") && !text.contains("phone_index"),
        "{text}"
    );
    // Their record reads as a record, not as a string of JSON.
    assert_eq!(got.victim["details"]["name"], "Ada Quill");
    assert!(db.subject_access(999_999, now()).await.unwrap().is_none());
}

/// Retention lives here too: it reaches into every table.
pub(crate) async fn retention_erases_the_old_keeps_the_held_and_the_statistics(db: &Db) {
    let closed = |id: &str, reference: &str| {
        event(
            id,
            "case_closed",
            reference,
            "2018-06-01T10:00:00Z",
            json!({"reason": "No further action"}),
        )
    };
    let report = |id: &str, reference: &str, v: &str, name: &str, phone: &str| {
        event(
            id,
            "reported",
            reference,
            "2018-01-10T10:00:00Z",
            json!({"offence": "theft", "borough": "Ealing", "officer": {"name": "DC Moss"},
                   "victims": [person(v, name, phone)]}),
        )
    };
    let events = vec![
        report("T1", "7500001/18", "VOLD", "Orla Vance", "07700 900301"),
        closed("T1c", "7500001/18"),
        report("T2", "7500002/18", "VHELD", "Hugo Marsh", "07700 900302"),
        closed("T2c", "7500002/18"),
        report("T3", "7500003/18", "VOPEN", "Iris Penn", "07700 900303"),
    ];
    db.ingest(&events, now()).await.unwrap();
    let held_case = super::case(db, "7500002/18").await.case_id;
    db.place_hold(held_case, "Civil claim pending", "legal.team", now())
        .await
        .unwrap();
    // Orla answered a survey by phone, giving her name; her words go, her scores stay.
    let orla_case = super::case(db, "7500001/18").await;
    let named = domain::survey::SurveyResponse::parse(|f| match f {
        "whole_experience" => Some("6".into()),
        "comment" => Some("Orla here: DC Moss never rang me back".into()),
        _ => None,
    })
    .unwrap();
    db.record_phone_survey(
        orla_case.case_id,
        orla_case.victims[0].victim_id,
        "agent",
        &named,
        now(),
    )
    .await
    .unwrap();
    let obligations_before = db.table_counts().await.unwrap();
    let count = |counts: &[store::TableCount], t: &str| {
        counts
            .iter()
            .find(|c| c.table == t)
            .map(|c| c.rows)
            .unwrap()
    };
    let keep = TimeDelta::days(6 * 365);

    let dry = db.run_retention(keep, true, "dpo", now()).await.unwrap();
    assert_eq!((dry.due, dry.held, dry.erased), (2, 1, 0));
    let orla = super::case(db, "7500001/18").await;
    assert_eq!(
        orla.victims[0].record.name.as_str(),
        "Orla Vance",
        "a dry run changes nothing"
    );

    let done = db.run_retention(keep, false, "dpo", now()).await.unwrap();
    assert_eq!((done.erased, done.held), (1, 1));
    assert_eq!(done.events_scrubbed, 1);
    let orla = super::case(db, "7500001/18").await;
    assert_eq!(orla.victims[0].record.name.as_str(), "[erased]");
    assert!(orla.victims[0].record.phone.is_none());
    // Not in the feed's copy either, and not findable by phone any more.
    let text: Vec<String> = orla.events.iter().map(|e| format!("{e:?}")).collect();
    assert!(!text.join(" ").contains("Orla"), "{text:?}");
    let phone = domain::victim::Phone::parse("07700 900301").unwrap();
    assert!(
        db.search_victims(&store::SearchBy::Phone(phone))
            .await
            .unwrap()
            .is_empty()
    );
    // The held and the open are untouched.
    assert_eq!(
        super::case(db, "7500002/18").await.victims[0]
            .record
            .name
            .as_str(),
        "Hugo Marsh"
    );
    assert_eq!(
        super::case(db, "7500003/18").await.victims[0]
            .record
            .name
            .as_str(),
        "Iris Penn"
    );
    let everything = store::FigureFilter {
        from: chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap(),
        borough: None,
        offence: None,
    };
    assert!(
        db.comments(&everything).await.unwrap().is_empty(),
        "her survey comment is erased"
    );
    assert_eq!(db.survey_responses(&everything).await.unwrap().len(), 1);
    // The statistics stand: every case and obligation is still counted.
    let after = db.table_counts().await.unwrap();
    for t in [
        "survey_response",
        "crime_case",
        "obligation",
        "case_event",
        "case_victim",
        "victim",
    ] {
        assert_eq!(count(&obligations_before, t), count(&after, t), "{t}");
    }
    // The erased record still rebuilds: every projection matches its (scrubbed) events.
    let rebuilt = db.rebuild(false, now()).await.unwrap();
    assert_eq!(
        rebuilt.cases_differing + rebuilt.victims_differing,
        0,
        "{rebuilt:?}"
    );
    // A second run finds nothing more; lifting the hold lets the next run erase Hugo.
    assert_eq!(
        db.run_retention(keep, false, "dpo", now())
            .await
            .unwrap()
            .erased,
        0
    );
    db.lift_holds(held_case, "legal.team", now()).await.unwrap();
    assert_eq!(
        db.run_retention(keep, false, "dpo", now())
            .await
            .unwrap()
            .erased,
        1
    );
    assert!(matches!(
        db.verify_audit().await.unwrap(),
        store::AuditCheck::Intact { .. }
    ));
}
