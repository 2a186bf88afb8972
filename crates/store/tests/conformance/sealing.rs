//! Field encryption on both databases: what is stored about a victim cannot be read without
//! the keys, and a new key seals everything again while the old values stay readable.

use super::{case, event, now, person};
use domain::contact::{ContactChannel, ContactOutcome};
use domain::staff::{Role, Username};
use serde_json::json;
use store::{Db, NewLogEntry, NewStaffUser, Sealer};

const NAME: &str = "Orla Quennell";
const PHONE_DIGITS: &str = "900311";
const NOTE: &str = "Orla said her neighbour saw him at the door";

/// Every sealed column's stored text, as a copy of the database would show it.
async fn stored_text(db: &Db) -> String {
    let mut all = String::new();
    for c in store::SEALED_COLUMNS {
        let sql = match db {
            Db::Sqlite(_) => format!(
                "SELECT {0} FROM {1} WHERE {0} IS NOT NULL",
                c.column, c.table
            ),
            Db::Postgres(_) => format!(
                "SELECT {0}::text FROM {1} WHERE {0} IS NOT NULL",
                c.column, c.table
            ),
        };
        let rows: Vec<String> = match db {
            Db::Sqlite(s) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_all(&s.reader)
                .await
                .unwrap(),
            Db::Postgres(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_all(&p.pool)
                .await
                .unwrap(),
        };
        all.push_str(&rows.join("\n"));
        all.push('\n');
    }
    all
}

pub(crate) async fn personal_data_is_sealed_and_a_new_key_seals_it_again(db: &Db) {
    let reference = "7600001/26";
    let mut victim = person("VSEAL", NAME, &format!("07700 {PHONE_DIGITS}"));
    victim["email"] = json!("orla.q@example.org");
    db.ingest(
        &[
            event(
                "S1",
                "reported",
                reference,
                "2026-03-02T10:00:00Z",
                json!({"offence": "burglary_residential", "borough": "Hackney",
                       "officer": {"name": "DC Moss"}, "victims": [victim]}),
            ),
            event(
                "S2",
                "released_on_bail",
                reference,
                "2026-03-04T10:00:00Z",
                json!({"suspect": "S1", "bail_until": "2026-04-01",
                       "conditions": ["Not to contact Orla Quennell"]}),
            ),
        ],
        now(),
    )
    .await
    .unwrap();
    let detail = case(db, reference).await;
    let victim_id = detail.victims[0].victim_id;
    let agent = db
        .create_staff_user(
            NewStaffUser {
                username: Username::parse("seal.agent").unwrap(),
                display_name: "Seal Agent".into(),
                role: Role::HelplineAgent,
                team: None,
                collar_number: None,
                password: "a long enough password".into(),
            },
            now(),
        )
        .await
        .unwrap();
    db.log_contact(
        &NewLogEntry {
            form_id: "form-seal-1".into(),
            case_id: detail.case_id,
            victim_id,
            crime_reference: detail.state.crime_reference.clone(),
            victim_ref: detail.victims[0].record.victim_ref.clone(),
            call_id: None,
            user_id: agent.user.user_id,
            username: "seal.agent".into(),
            channel: ContactChannel::Phone,
            direction: "inbound",
            who: "victim",
            outcome: ContactOutcome::Attempted,
            told: Vec::new(),
            note: NOTE.into(),
            callback: Some((
                now() + chrono::TimeDelta::days(1),
                Some("after nine when the children sleep".into()),
            )),
            corrects: None,
        },
        now(),
    )
    .await
    .unwrap();

    let words = "Thank you. Quennell is my name, please write to my sister instead";
    db.record_feedback(
        detail.case_id,
        victim_id,
        &domain::feedback::Feedback::parse(Some("4"), Some(words)).unwrap(),
        "portal",
        now(),
    )
    .await
    .unwrap();
    // Feedback without words stays without: nothing to seal.
    db.record_feedback(
        detail.case_id,
        victim_id,
        &domain::feedback::Feedback::parse(Some("5"), None).unwrap(),
        "portal",
        now(),
    )
    .await
    .unwrap();

    // A needs assessment: an interpreter in a rare language could single someone out.
    let answers = domain::support::NeedsAssessment {
        intimidated: true,
        interpreter: Some("Tigrinya".into()),
        ..Default::default()
    };
    db.save_assessment(
        detail.case_id,
        victim_id,
        domain::support::AssessedBy::Staff,
        "seal.agent",
        &answers,
        now(),
    )
    .await
    .unwrap();

    // The victim asks for a call back, saying when is safe.
    let when = "after six when he has gone out";
    assert!(
        db.request_callback(detail.case_id, victim_id, Some(when), now())
            .await
            .unwrap()
    );

    // A survey taken by phone, anonymous: the answers count, the words name someone.
    let survey_words = "PC Arbuthnot was kind to me and my son Declan";
    let survey = domain::survey::SurveyResponse::parse(|f| match f {
        "whole_experience" => Some("2".into()),
        "comment" => Some(survey_words.into()),
        "anonymous" => Some("yes".into()),
        _ => None,
    })
    .unwrap();
    assert!(survey.anonymous);
    db.record_phone_survey(detail.case_id, victim_id, "seal.agent", &survey, now())
        .await
        .unwrap();

    // What a copy of the database holds: no name, number, email or note in any sealed column.
    let raw = stored_text(db).await;
    for secret in [
        NAME,
        "Quennell",
        PHONE_DIGITS,
        "orla.q@example",
        "neighbour",
        "gone out",
        "children",
        "Tigrinya",
        "Declan",
        // With the authenticator secret, anyone could make the agent's sign-in codes.
        agent.totp_secret.as_str(),
    ] {
        assert!(
            !raw.contains(secret),
            "{secret} is readable in the database"
        );
    }
    // Everyone with the key reads it all as before.
    assert_eq!(
        case(db, reference).await.victims[0].record.name.as_str(),
        NAME
    );
    let log = db.contact_log(detail.case_id, victim_id).await.unwrap();
    assert_eq!(log[0].note, NOTE);
    assert!(
        log[0]
            .follow_up
            .as_deref()
            .is_some_and(|f| f.contains("after nine when the children sleep")),
        "{:?}",
        log[0].follow_up
    );
    let given = db
        .feedback_of_victim(detail.case_id, victim_id)
        .await
        .unwrap();
    assert_eq!(given[0].comment.as_deref(), Some(words));
    assert_eq!(given[1].comment, None);
    let assessed = db.assessments(detail.case_id, victim_id).await.unwrap();
    assert_eq!(assessed[0].answers, answers);
    let tasks = db.tasks_of_victim(detail.case_id, victim_id).await.unwrap();
    let callback = tasks.iter().find(|t| t.preferred_time.is_some()).unwrap();
    assert_eq!(callback.preferred_time.as_deref(), Some(when));
    let task = db.task(callback.task_id).await.unwrap().unwrap();
    assert_eq!(task.preferred_time.as_deref(), Some(when));

    // A new key: everything is sealed again under it, and none is left under the old one.
    let old = db.sealer().keys();
    let old_id = old.active_id().to_owned();
    let rotated_keys = old.with_new_key();
    let new_id = rotated_keys.active_id().to_owned();
    let before: i64 = db.key_use().await.unwrap().iter().map(|u| u.values).sum();
    assert!(
        db.key_use()
            .await
            .unwrap()
            .iter()
            .all(|u| u.key_id.as_deref() == Some(old_id.as_str())),
        "everything was sealed under the first key"
    );
    let rotated = db.clone().with_sealer(Sealer::new(rotated_keys.clone()));
    let report = rotated.reseal().await.unwrap();
    assert_eq!(report.total() as i64, before);
    assert_eq!(report.skipped, 0);
    let uses = rotated.key_use().await.unwrap();
    assert!(
        uses.iter()
            .all(|u| u.key_id.as_deref() == Some(new_id.as_str())),
        "{uses:?}"
    );
    assert_eq!(
        rotated.reseal().await.unwrap().total(),
        0,
        "a second pass has nothing to do"
    );

    // The old key can then go: the new one alone reads everything, the same as before.
    let only_new = db
        .clone()
        .with_sealer(Sealer::new(rotated_keys.without(&old_id).unwrap()));
    let again = case(&only_new, reference).await;
    assert_eq!(again.victims[0].record.name.as_str(), NAME);
    assert_eq!(again.state, detail.state);
    assert_eq!(again.events.len(), 2);
    assert_eq!(
        only_new
            .contact_log(detail.case_id, victim_id)
            .await
            .unwrap()[0]
            .note,
        NOTE
    );
    assert_eq!(
        only_new
            .feedback_of_victim(detail.case_id, victim_id)
            .await
            .unwrap()[0]
            .comment
            .as_deref(),
        Some(words)
    );
    let everything = store::FigureFilter {
        from: chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap(),
        borough: None,
        offence: None,
    };
    let comments = only_new.comments(&everything).await.unwrap();
    assert!(comments.iter().any(|c| c == survey_words), "{comments:?}");
    // The agent still signs in with the authenticator set up before the new key.
    let code = store::totp_code(&agent.totp_secret, now()).unwrap();
    let signed_in = only_new
        .sign_in("seal.agent", "a long enough password", &code, now())
        .await
        .unwrap();
    assert!(
        matches!(signed_in, store::SignIn::SignedIn { .. }),
        "{signed_in:?}"
    );
    let rebuilt = only_new.rebuild(false, now()).await.unwrap();
    assert_eq!(rebuilt.cases_differing, 0);

    // Without the new key, the values do not open, and the error names the key, not the data.
    let stale = db.clone().with_sealer(Sealer::new((*old).clone()));
    let err = stale
        .case_by_reference(&detail.state.crime_reference)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains(&new_id), "{err}");
    assert!(!err.contains("Orla"), "{err}");

    // Resealing does not open the contact log to edits: not in the clear, and not with a
    // value sealed under the key the note is already under.
    let note_column = *store::SEALED_COLUMNS
        .iter()
        .find(|c| c.label() == "contact_log.note")
        .unwrap();
    let forged = rotated.sealer().seal_text(note_column, "rewritten");
    for value in ["rewritten".to_owned(), forged] {
        let edit = "UPDATE contact_log SET note = $1";
        let refused = match db {
            Db::Sqlite(s) => sqlx::query(edit)
                .bind(&value)
                .execute(&s.writer)
                .await
                .is_err(),
            Db::Postgres(p) => sqlx::query(edit)
                .bind(&value)
                .execute(&p.pool)
                .await
                .is_err(),
        };
        assert!(refused, "the contact log is still append-only");
    }
}
