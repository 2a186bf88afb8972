//! The dashboards for supervisors and analysts: Code compliance by rule, borough and month;
//! satisfaction by dimension with its trend and 95% intervals; referral times and outcomes by
//! agency; and the themes of victims' own words. Filters by period, borough and crime type.
//! Every chart is drawn here as SVG with a title and description, beside the table it is drawn
//! from, and every table downloads as CSV with the same numbers.

use super::{FieldError, Nav, Staff, forbidden, unavailable};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{Datelike, Months, NaiveDate, Utc};
use domain::OffenceCategory;
use serde::Deserialize;
use store::{AuditEntry, FigureFilter, GroupBy};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/console/figures", get(page))
        .route("/console/figures/{table}", get(csv_download))
}

#[derive(Deserialize, Default)]
struct FilterQuery {
    from: Option<String>,
    to: Option<String>,
    borough: Option<String>,
    offence: Option<String>,
}

/// A table, the chart drawn from it (if any), and its id for the CSV link.
struct Table {
    id: &'static str,
    title: String,
    columns: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    chart: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/figures.html")]
struct FiguresPage {
    nav: Nav,
    from: String,
    to: String,
    borough: String,
    offence: String,
    offences: Vec<(&'static str, &'static str)>,
    query: String,
    tables: Vec<Table>,
    errors: Vec<FieldError>,
}

impl FiguresPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

/// The filter asked for; the last 12 months (this one included) by default.
fn filter(q: &FilterQuery) -> Result<FigureFilter, Vec<FieldError>> {
    let today = domain::calendar::london_date(Utc::now());
    let mut errors = Vec::new();
    let mut date = |field: &'static str, raw: Option<&str>, default: NaiveDate| match raw
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        None => default,
        Some(r) => NaiveDate::parse_from_str(r, "%Y-%m-%d").unwrap_or_else(|_| {
            errors.push(FieldError {
                field,
                message: format!("The {field} date must be a date like 2026-03-31"),
            });
            default
        }),
    };
    let first = today
        .with_day(1)
        .and_then(|d| d.checked_sub_months(Months::new(11)))
        .unwrap_or(today);
    let from = date("from", q.from.as_deref(), first);
    let to = date("to", q.to.as_deref(), today);
    if from > to {
        errors.push(FieldError {
            field: "to",
            message: "The to date must not be before the from date".into(),
        });
    }
    let offence = q
        .offence
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty());
    if offence.is_some_and(|o| OffenceCategory::parse(o).is_none()) {
        errors.push(FieldError {
            field: "offence",
            message: "Choose a crime type from the list".into(),
        });
    }
    let borough = q
        .borough
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty());
    if borough.is_some_and(|b| b.chars().count() > 60) {
        errors.push(FieldError {
            field: "borough",
            message: "The borough must be at most 60 characters".into(),
        });
    }
    if errors.is_empty() {
        Ok(FigureFilter {
            from,
            to,
            borough: borough.map(str::to_owned),
            offence: offence.map(str::to_owned),
        })
    } else {
        Err(errors)
    }
}

fn number(n: Option<f64>) -> String {
    n.map_or_else(String::new, |v| format!("{v:.1}"))
}

async fn tables(state: &AppState, f: &FigureFilter) -> Result<Vec<Table>, store::StoreError> {
    let db = &state.db;
    let (by_rule, by_borough, by_month, satisfaction, referrals, comments, attendance) = tokio::join!(
        db.compliance_for(f, GroupBy::Rule),
        db.compliance_for(f, GroupBy::Borough),
        db.compliance_for(f, GroupBy::Month),
        db.satisfaction(f),
        db.referral_figures(f),
        db.comments(f),
        db.attendance(f),
    );
    let mut out = Vec::new();
    for (id, title, c) in [
        ("compliance-rule", "Code compliance by rule", by_rule?),
        (
            "compliance-borough",
            "Code compliance by borough",
            by_borough?,
        ),
        (
            "compliance-month",
            "Code compliance by month due",
            by_month?,
        ),
    ] {
        let chart = bars(
            &format!("{title}: % met on time"),
            "Each bar is the share of obligations met on time, of those met or breached.",
            &c.groups
                .iter()
                .map(|g| (g.group.replace('_', " "), g.on_time_percent, None))
                .collect::<Vec<_>>(),
            100.0,
            "%",
        );
        let mut rows: Vec<Vec<String>> = c
            .groups
            .iter()
            .chain(std::iter::once(&c.total))
            .map(|g| {
                vec![
                    if g.group == "all" {
                        "All".into()
                    } else {
                        g.group.clone()
                    },
                    g.due.to_string(),
                    g.met_on_time.to_string(),
                    g.met_late.to_string(),
                    g.breached.to_string(),
                    g.waived.to_string(),
                    g.not_wanted.to_string(),
                    g.open.to_string(),
                    number(g.on_time_percent),
                ]
            })
            .collect();
        if c.groups.is_empty() {
            rows.clear();
        }
        out.push(Table {
            id,
            title: title.into(),
            columns: vec![
                "Group",
                "Due",
                "Met on time",
                "Met late",
                "Breached",
                "Waived",
                "Not wanted",
                "Open",
                "% on time",
            ],
            rows,
            chart,
        });
    }

    let s = satisfaction?;
    out.push(Table {
        id: "satisfaction",
        title: format!("Satisfaction by question ({} responses)", s.responses),
        columns: vec![
            "Question",
            "Answered",
            "Satisfied",
            "% satisfied",
            "95% interval from",
            "95% interval to",
        ],
        rows: s
            .by_dimension
            .iter()
            .map(|d| {
                vec![
                    super::support::dimension_label(d.dimension).to_owned(),
                    d.answered.to_string(),
                    d.satisfied.to_string(),
                    number(d.percent),
                    number(d.low),
                    number(d.high),
                ]
            })
            .collect(),
        chart: bars(
            "% satisfied by question, with 95% intervals",
            "Satisfied means completely, very or fairly satisfied. The line across each bar \
             shows the range the true figure is likely to be in.",
            &s.by_dimension
                .iter()
                .map(|d| {
                    (
                        super::support::dimension_label(d.dimension).to_owned(),
                        d.percent,
                        d.low.zip(d.high),
                    )
                })
                .collect::<Vec<_>>(),
            100.0,
            "%",
        ),
    });
    out.push(Table {
        id: "satisfaction-month",
        title: "The whole experience: % satisfied by month".into(),
        columns: vec![
            "Month",
            "Answered",
            "Satisfied",
            "% satisfied",
            "95% interval from",
            "95% interval to",
        ],
        rows: s
            .by_month
            .iter()
            .map(|(m, d)| {
                vec![
                    m.clone(),
                    d.answered.to_string(),
                    d.satisfied.to_string(),
                    number(d.percent),
                    number(d.low),
                    number(d.high),
                ]
            })
            .collect(),
        chart: bars(
            "The whole experience: % satisfied by month, with 95% intervals",
            "One bar a month; a wide interval means few answers that month.",
            &s.by_month
                .iter()
                .map(|(m, d)| (m.clone(), d.percent, d.low.zip(d.high)))
                .collect::<Vec<_>>(),
            100.0,
            "%",
        ),
    });

    let referrals = referrals?;
    let directory = &state.config.support_directory;
    let name = |id: &str| directory.name_of(id);
    let max_hours = referrals
        .iter()
        .filter_map(|r| r.median_hours_to_answer)
        .fold(0.0_f64, f64::max);
    out.push(Table {
        id: "referrals",
        title: "Referrals by agency".into(),
        columns: vec![
            "Agency",
            "Made",
            "Waiting for an answer",
            "Accepted",
            "Declined",
            "Closed",
            "Median hours to answer",
            "Support given",
            "Victim did not want support",
            "Could not reach the victim",
            "Referred on",
        ],
        rows: referrals
            .iter()
            .map(|r| {
                let o = |k: &str| r.outcomes.get(k).copied().unwrap_or(0).to_string();
                vec![
                    name(&r.agency),
                    r.made.to_string(),
                    r.waiting.to_string(),
                    r.accepted.to_string(),
                    r.declined.to_string(),
                    r.closed.to_string(),
                    number(r.median_hours_to_answer),
                    o("supported"),
                    o("victim_declined"),
                    o("no_contact"),
                    o("referred_on"),
                ]
            })
            .collect(),
        chart: bars(
            "Median hours for an agency to answer a referral",
            "The middle time from the referral to the agency's answer; the Code allows 2 \
             working days for the referral itself.",
            &referrals
                .iter()
                .map(|r| (name(&r.agency), r.median_hours_to_answer, None))
                .collect::<Vec<_>>(),
            max_hours.max(1.0),
            " h",
        ),
    });

    let attendance = attendance?;
    let minutes = |m: Option<i64>| m.map_or_else(String::new, |m| m.to_string());
    // One row (the total) means no burglary was reported in the period.
    let attendance_rows: Vec<Vec<String>> = if attendance.len() <= 1 {
        Vec::new()
    } else {
        attendance
            .iter()
            .map(|r| {
                vec![
                    r.borough.clone().unwrap_or_else(|| "All".into()),
                    r.month.clone().unwrap_or_else(|| "All".into()),
                    r.reported.to_string(),
                    r.attended.to_string(),
                    number(r.rate.map(|x| x * 100.0)),
                    minutes(r.median_minutes),
                    minutes(r.p90_minutes),
                ]
            })
            .collect()
    };
    out.push(Table {
        id: "attendance",
        title: "Officer attendance at reported home burglaries".into(),
        columns: vec![
            "Borough",
            "Month reported",
            "Reported",
            "Attended",
            "% attended",
            "Median minutes to attend",
            "90th percentile minutes",
        ],
        rows: attendance_rows,
        chart: attendance
            .last()
            .filter(|_| attendance.len() > 1)
            .and_then(|all| {
                bars(
                    "Home burglaries: % attended in the period",
                    "The share of reported home burglaries an officer attended; the promise is all \
                 of them.",
                    &[("All boroughs".to_owned(), all.rate.map(|x| x * 100.0), None)],
                    100.0,
                    "%",
                )
            }),
    });

    let themes = domain::themes::themes(&comments?, 15, 3);
    out.push(Table {
        id: "themes",
        title: "What victims' own words keep coming back to".into(),
        columns: vec![
            "Word or phrase",
            "Comments using it",
            "Some of what they said",
        ],
        rows: themes
            .iter()
            .map(|t| {
                vec![
                    t.phrase.clone(),
                    t.comments.to_string(),
                    t.quotes
                        .iter()
                        .map(|q| format!("“{q}”"))
                        .collect::<Vec<_>>()
                        .join(" "),
                ]
            })
            .collect(),
        chart: None,
    });
    Ok(out)
}

/// Characters that would end an SVG text or attribute.
pub(super) fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// One bar: its label, its value, and the interval around it.
type Bar = (String, Option<f64>, Option<(f64, f64)>);

/// A horizontal bar chart: one row per (label, value, interval); `None` draws no bar and says
/// "no data". Titled and described for screen readers; the table beside it has the numbers.
fn bars(title: &str, description: &str, rows: &[Bar], max: f64, unit: &str) -> Option<String> {
    if rows.is_empty() {
        return None;
    }
    let (label_w, bar_w, row_h) = (230.0, 360.0, 26.0);
    let width = label_w + bar_w + 70.0;
    let height = row_h * rows.len() as f64 + 10.0;
    let id = format!("chart-{:x}", rand::random::<u32>());
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" \
         viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{}</title>\
         <desc id=\"{id}-d\">{}</desc>",
        xml(title),
        xml(description)
    );
    for (i, (label, value, interval)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 5.0;
        let shown: String = label.chars().take(32).collect();
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\" fill=\"#0b0c0c\">{}</text>",
            label_w - 8.0,
            y + 16.0,
            xml(&shown)
        ));
        match value {
            Some(v) => {
                let w = (v / max).clamp(0.0, 1.0) * bar_w;
                svg.push_str(&format!(
                    "<rect x=\"{label_w}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"#1d70b8\"/>\
                     <text x=\"{:.1}\" y=\"{}\" font-size=\"13\" fill=\"#0b0c0c\">{v:.1}{}</text>",
                    y + 3.0,
                    row_h - 8.0,
                    label_w + w + 6.0,
                    y + 16.0,
                    xml(unit)
                ));
                if let Some((low, high)) = interval {
                    let x1 = label_w + (low / max).clamp(0.0, 1.0) * bar_w;
                    let x2 = label_w + (high / max).clamp(0.0, 1.0) * bar_w;
                    let mid = y + row_h / 2.0 - 1.0;
                    svg.push_str(&format!(
                        "<line x1=\"{x1:.1}\" x2=\"{x2:.1}\" y1=\"{mid}\" y2=\"{mid}\" \
                         stroke=\"#0b0c0c\" stroke-width=\"2\"/>"
                    ));
                }
            }
            None => svg.push_str(&format!(
                "<text x=\"{label_w}\" y=\"{}\" font-size=\"13\" fill=\"#505a5f\">no data</text>",
                y + 16.0
            )),
        }
    }
    svg.push_str("</svg>");
    Some(svg)
}

fn query_string(f: &FigureFilter) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("from", &f.from.to_string());
    q.append_pair("to", &f.to.to_string());
    if let Some(b) = &f.borough {
        q.append_pair("borough", b);
    }
    if let Some(o) = &f.offence {
        q.append_pair("offence", o);
    }
    q.finish()
}

async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<FilterQuery>,
) -> Response {
    if !staff.user.role.reads_figures() {
        return forbidden();
    }
    let offences = OffenceCategory::ALL
        .iter()
        .map(|o| (o.as_str(), o.label()))
        .collect();
    let mut page = FiguresPage {
        nav: Nav::of(&staff),
        from: q.from.clone().unwrap_or_default(),
        to: q.to.clone().unwrap_or_default(),
        borough: q.borough.clone().unwrap_or_default(),
        offence: q.offence.clone().unwrap_or_default(),
        offences,
        query: String::new(),
        tables: Vec::new(),
        errors: Vec::new(),
    };
    let f = match filter(&q) {
        Ok(f) => f,
        Err(errors) => {
            page.errors = errors;
            return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
        }
    };
    // Quotes of victims' words are shown: recorded, like any view of what victims said.
    let entry = AuditEntry {
        action: "viewed figures".into(),
        detail: query_string(&f),
        ..AuditEntry::default()
    };
    if let Err(r) = staff.audit(&state, entry).await {
        return r;
    }
    page.tables = match tables(&state, &f).await {
        Ok(t) => t,
        Err(e) => return unavailable(&e),
    };
    page.from = f.from.to_string();
    page.to = f.to.to_string();
    page.query = query_string(&f);
    page.into_response()
}

async fn csv_download(
    State(state): State<AppState>,
    staff: Staff,
    Path(table): Path<String>,
    Query(q): Query<FilterQuery>,
) -> Response {
    if !staff.user.role.reads_figures() {
        return forbidden();
    }
    let Some(id) = table.strip_suffix(".csv") else {
        return super::not_found();
    };
    let f = match filter(&q) {
        Ok(f) => f,
        Err(errors) => {
            let message: Vec<String> = errors.into_iter().map(|e| e.message).collect();
            return (StatusCode::UNPROCESSABLE_ENTITY, message.join("\n")).into_response();
        }
    };
    let all = match tables(&state, &f).await {
        Ok(t) => t,
        Err(e) => return unavailable(&e),
    };
    let Some(t) = all.into_iter().find(|t| t.id == id) else {
        return super::not_found();
    };
    let entry = AuditEntry {
        action: "downloaded figures".into(),
        detail: format!("{id}; {}", query_string(&f)),
        ..AuditEntry::default()
    };
    if let Err(r) = staff.audit(&state, entry).await {
        return r;
    }
    let body = match to_csv(&t) {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "writing a CSV failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let disposition = format!(
        "attachment; filename=\"victimcare-{id}-{}-to-{}.csv\"",
        f.from, f.to
    );
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
            ),
        ],
        body,
    )
        .into_response()
}

/// The table as CSV, with a byte-order mark so that spreadsheets read it as UTF-8. A cell a
/// spreadsheet would run as a formula (victims' words can start with "=") is quoted with an
/// apostrophe, so opening the file never runs anything.
fn to_csv(t: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    w.write_record(&t.columns)?;
    for row in &t.rows {
        w.write_record(row.iter().map(|cell| {
            if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{cell}")
            } else {
                cell.clone()
            }
        }))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
