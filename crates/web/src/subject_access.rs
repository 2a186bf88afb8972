//! The readable copy of everything held about a victim, in their language: their details,
//! their cases, what has happened in them, and every other record, each under a heading that
//! says what it is. The machine-readable copy is the same data as JSON.

use crate::i18n::{Lang, Texts};
use askama::Template;
use serde_json::Value;
use store::SubjectAccess;

/// One line of a record: what it is, and the value as text.
pub struct Field {
    pub name: String,
    pub value: String,
}

pub struct Section {
    pub title: String,
    pub rows: Vec<Vec<Field>>,
}

pub struct CaseRow {
    pub reference: String,
    pub crime: String,
    pub area: String,
    pub stage: String,
    pub reported: String,
}

pub struct EventRow {
    pub when: String,
    pub what: String,
}

#[derive(Template)]
#[template(path = "subject_access.html")]
struct AccessPage {
    t: Texts,
    lang: &'static str,
    dir: &'static str,
    intro: String,
    details: Vec<Field>,
    cases: Vec<CaseRow>,
    events: Vec<EventRow>,
    sections: Vec<Section>,
}

/// A value as a person reads it: text as it is, a list or record as indented lines.
fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Number(n) => n.to_string(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    }
}

fn fields(v: &Value) -> Vec<Field> {
    match v {
        Value::Object(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| Field {
                name: k.replace('_', " "),
                value: plain(v),
            })
            .collect(),
        other => vec![Field {
            name: String::new(),
            value: plain(other),
        }],
    }
}

/// The document as a complete HTML page.
pub fn render(access: &SubjectAccess, lang: Lang) -> Result<String, askama::Error> {
    let t = Texts::new(lang);
    let london = |at: chrono::DateTime<chrono::Utc>| {
        at.with_timezone(&chrono_tz::Europe::London)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    let details = match access.victim.get("details") {
        Some(d) => fields(d),
        None => fields(&access.victim),
    };
    AccessPage {
        t,
        lang: lang.code(),
        dir: lang.dir(),
        intro: t.with(
            "access-intro",
            &[(
                "date",
                access.exported_at.format("%Y-%m-%d").to_string().into(),
            )],
        ),
        details,
        cases: access
            .cases
            .iter()
            .map(|c| CaseRow {
                reference: c.crime_reference.clone(),
                crime: c
                    .offence
                    .as_deref()
                    .and_then(domain::OffenceCategory::parse)
                    .map(|o| o.label().to_owned())
                    .unwrap_or_default(),
                area: c.borough.clone().unwrap_or_default(),
                stage: c.phase.replace('_', " "),
                reported: c.reported_at.map(london).unwrap_or_default(),
            })
            .collect(),
        events: access
            .events
            .iter()
            .map(|e| EventRow {
                when: london(e.occurred_at),
                what: t.get(&format!("event-{}", e.event_type)),
            })
            .collect(),
        sections: access
            .records
            .iter()
            .map(|(table, rows)| {
                let key = format!("access-section-{table}");
                Section {
                    title: if t.has(&key) || Texts::new(Lang::EnGb).has(&key) {
                        t.get(&key)
                    } else {
                        format!(
                            "{} ({})",
                            t.get("access-section-other"),
                            table.replace('_', " ")
                        )
                    },
                    rows: rows.iter().map(fields).collect(),
                }
            })
            .collect(),
    }
    .render()
}
