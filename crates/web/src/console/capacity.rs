//! The helpline's capacity, for supervisors and analysts: next week's staffing plan as a
//! heatmap (day × half hour) with the numbers beside it, what-ifs for our own big sends, the
//! service callers actually got, and the home burglaries still waiting for an officer.

use super::{FieldError, Nav, Staff, forbidden, unavailable};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use chrono_tz::Europe::London;
use domain::capacity::forecast::Send;
use domain::capacity::plan::{Achieved, Interval};
use domain::capacity::week::{SLOTS_PER_DAY, Week, time_label};
use serde::Deserialize;
use store::{AuditEntry, StaffingPlan};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/console/capacity", get(page))
        .route("/console/capacity/plan.csv", get(csv_download))
}

#[derive(Deserialize, Default, Clone)]
struct PlanQuery {
    week: Option<String>,
    model: Option<String>,
    what_if_kind: Option<String>,
    what_if_count: Option<String>,
    what_if_at: Option<String>,
}

/// One row of a service table.
struct ServiceRow {
    label: String,
    offered: u64,
    in_target: String,
    abandoned: String,
    speed: String,
}

fn service_row(label: String, a: &Achieved) -> ServiceRow {
    let pct = |x: Option<f64>| x.map_or_else(|| "-".into(), |v| format!("{:.1}%", v * 100.0));
    ServiceRow {
        label,
        offered: a.offered,
        in_target: pct(a.service_level()),
        abandoned: pct(a.abandonment()),
        speed: a
            .average_speed_of_answer()
            .map_or_else(|| "-".into(), |s| format!("{s:.0} s")),
    }
}

struct WaitingRow {
    crime_reference: String,
    borough: String,
    reported: String,
    hours: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/capacity.html")]
struct CapacityPage {
    nav: Nav,
    week: String,
    erlang_c: bool,
    what_if_kind: String,
    what_if_count: String,
    what_if_at: String,
    query: String,
    errors: Vec<FieldError>,
    plan: Option<StaffingPlan>,
    heatmap: String,
    rows: Vec<Vec<String>>,
    by_day: Vec<ServiceRow>,
    by_week: Vec<ServiceRow>,
    target_seconds: f64,
    service_level: f64,
    waiting: Vec<WaitingRow>,
    /// For roles that do not work cases: how many are waiting in each borough.
    waiting_by_borough: Vec<(String, u64)>,
}

impl CapacityPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

/// The request: next week by default, Erlang A unless asked otherwise.
fn request(state: &AppState, q: &PlanQuery) -> Result<store::PlanRequest, Vec<FieldError>> {
    let mut errors = Vec::new();
    let week = match q.week.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        None => Week::of(Utc::now()).next(),
        Some(raw) => Week::parse(raw).unwrap_or_else(|p| {
            errors.push(FieldError {
                field: "week",
                message: format!("The week {}", p.problem),
            });
            Week::of(Utc::now())
        }),
    };
    let erlang_c = q.model.as_deref() == Some("erlang_c");
    let kind = q.what_if_kind.as_deref().map(str::trim).unwrap_or("");
    let count = q.what_if_count.as_deref().map(str::trim).unwrap_or("");
    let at = q.what_if_at.as_deref().map(str::trim).unwrap_or("");
    let mut what_if = Vec::new();
    if !(kind.is_empty() && count.is_empty() && at.is_empty()) {
        let n = count
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=1_000_000).contains(n));
        if n.is_none() {
            errors.push(FieldError {
                field: "what_if_count",
                message: "Give how many messages, a whole number from 1 to 1,000,000".into(),
            });
        }
        if kind.is_empty() || kind.len() > 64 {
            errors.push(FieldError {
                field: "what_if_kind",
                message: "Choose which kind of message".into(),
            });
        }
        let when = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M")
            .ok()
            .and_then(|t| {
                use chrono::TimeZone as _;
                London.from_local_datetime(&t).earliest()
            });
        if when.is_none() {
            errors.push(FieldError {
                field: "what_if_at",
                message: "Give when they go out, as a date and time in London".into(),
            });
        }
        if let (Some(n), Some(at)) = (n, when) {
            what_if.push(Send {
                at: at.with_timezone(&Utc),
                kind: kind.to_owned(),
                count: f64::from(n),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    state
        .config
        .capacity
        .request(week, erlang_c, what_if)
        .map_err(|p| {
            vec![match p.field.as_str() {
                "what_if_at" => FieldError {
                    field: "what_if_at",
                    message: format!("When they go out {}", p.problem),
                },
                _ => FieldError {
                    field: "week",
                    message: format!(
                        "The capacity settings are wrong: {}: {}",
                        p.field, p.problem
                    ),
                },
            }]
        })
}

fn query_string(req: &store::PlanRequest, q: &PlanQuery) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    s.append_pair("week", &req.week.label());
    if req.erlang_c {
        s.append_pair("model", "erlang_c");
    }
    for (k, v) in [
        ("what_if_kind", &q.what_if_kind),
        ("what_if_count", &q.what_if_count),
        ("what_if_at", &q.what_if_at),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
            s.append_pair(k, v);
        }
    }
    s.finish()
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(String::new, |v| format!("{:.1}", v * 100.0))
}

/// The plan's rows, as the table and the CSV show them.
const COLUMNS: [&str; 14] = [
    "Interval",
    "Starts (UTC)",
    "Calls expected",
    "Of which call-backs after our messages",
    "Agents needed",
    "Agents to roster",
    "On the rota",
    "Gap (rota minus roster)",
    "% answered in target, as planned",
    "% answered in target, with the rota",
    "% hanging up, as planned",
    "Calls offered",
    "% answered in target, achieved",
    "% hung up, achieved",
];

fn row(i: &Interval) -> Vec<String> {
    let opt = |x: Option<u32>| x.map_or_else(String::new, |n| n.to_string());
    vec![
        i.label.clone(),
        i.starts_at.to_rfc3339(),
        format!("{:.1}", i.calls),
        format!("{:.1}", i.induced_calls),
        i.required.to_string(),
        i.rostered.to_string(),
        opt(i.scheduled),
        i.gap.map_or_else(String::new, |g| g.to_string()),
        pct(i.expected.map(|p| p.service_level)),
        pct(i.expected_with_rota.map(|p| p.service_level)),
        pct(i.expected.and_then(|p| p.abandonment)),
        i.achieved
            .map_or_else(String::new, |a| a.offered.to_string()),
        pct(i.achieved.and_then(|a| a.service_level())),
        pct(i.achieved.and_then(|a| a.abandonment())),
    ]
}

/// The plan as CSV (a byte-order mark first, so spreadsheets read UTF-8).
pub fn plan_csv(plan: &StaffingPlan) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(COLUMNS);
    for i in &plan.intervals {
        let _ = w.write_record(row(i));
    }
    let body = w.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&body))
}

/// A week as a grid: a row a day, a column a half hour. With a rota, each cell is coloured by
/// the gap (red short, green covered); without, by the agents needed. Every cell also says
/// its number, and the table below holds them all, so colour is never the only signal.
fn heatmap(plan: &StaffingPlan, week: Week) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let (left, top, cell) = (90.0, 30.0, 22.0);
    let width = left + cell * SLOTS_PER_DAY as f64 + 10.0;
    let height = top + cell * 7.0 + 10.0;
    let with_rota = plan.intervals.iter().any(|i| i.scheduled.is_some());
    let peak = plan
        .intervals
        .iter()
        .map(|i| i.required)
        .max()
        .unwrap_or(1)
        .max(1);
    let title = if with_rota {
        format!(
            "Rota against need, {}: each cell is people on the rota minus people to roster",
            plan.week
        )
    } else {
        format!("Agents needed each half hour, {}", plan.week)
    };
    let desc = if with_rota {
        "Red cells are half hours short of people, green ones are covered; the number is the \
         gap. The table below has every figure."
    } else {
        "Darker cells need more agents on the phones; the number is the agents needed. The \
         table below has every figure."
    };
    let mut svg = format!(
        "<svg class=\"chart heatmap\" role=\"img\" aria-labelledby=\"heat-t heat-d\" \
         viewBox=\"0 0 {width} {height}\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"heat-t\">{}</title><desc id=\"heat-d\">{}</desc>",
        super::figures::xml(&title),
        desc
    );
    for h in (0..SLOTS_PER_DAY).step_by(4) {
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" fill=\"#0b0c0c\">{}</text>",
            left + h as f64 * cell,
            top - 10.0,
            time_label(h)
        ));
    }
    for (d, name) in DAYS.iter().enumerate() {
        let y = top + d as f64 * cell;
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"12\" fill=\"#0b0c0c\">{} {}</text>",
            left - 8.0,
            y + 15.0,
            name,
            week.day(d).format("%-d %b")
        ));
        for h in 0..SLOTS_PER_DAY {
            let i = &plan.intervals[d * SLOTS_PER_DAY + h];
            let x = left + h as f64 * cell;
            let (fill, text, ink) = match (with_rota, i.gap) {
                (true, Some(g)) if g < 0 => ("#d4351c", g.to_string(), "#ffffff"),
                (true, Some(g)) => ("#00703c", format!("+{g}"), "#ffffff"),
                (true, None) => ("#f3f2f1", "?".to_owned(), "#0b0c0c"),
                (false, _) => {
                    let share = f64::from(i.required) / f64::from(peak);
                    if share > 0.55 {
                        ("#003078", i.required.to_string(), "#ffffff")
                    } else if share > 0.25 {
                        ("#1d70b8", i.required.to_string(), "#ffffff")
                    } else {
                        ("#d2e2f1", i.required.to_string(), "#0b0c0c")
                    }
                }
            };
            svg.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" \
                 stroke=\"#ffffff\"><title>{}: {} needed, {} to roster{}</title></rect>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"8\" \
                 fill=\"{ink}\">{text}</text>",
                cell,
                cell,
                i.label,
                i.required,
                i.rostered,
                i.scheduled
                    .map_or_else(String::new, |s| format!(", {s} on the rota")),
                x + cell / 2.0,
                y + cell / 2.0 + 3.0,
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Why a plan was not made: a problem with what was asked, or a failure already answered.
enum NoPlan {
    Refused(Vec<String>),
    Failed(Response),
}

/// Records that the plan was looked at (`action`), then makes it.
async fn audited_plan(
    state: &AppState,
    staff: &Staff,
    req: &store::PlanRequest,
    action: &str,
    now: chrono::DateTime<Utc>,
) -> Result<StaffingPlan, NoPlan> {
    let entry = AuditEntry {
        action: action.into(),
        detail: req.week.label(),
        ..AuditEntry::default()
    };
    staff.audit(state, entry).await.map_err(NoPlan::Failed)?;
    let calendar = state
        .db
        .calendar()
        .await
        .map_err(|e| NoPlan::Failed(unavailable(&e)))?;
    match state.db.staffing_plan(req, &calendar, now).await {
        Ok(p) => Ok(p),
        Err(store::StoreError::Refused(problems)) => Err(NoPlan::Refused(
            problems.into_iter().map(|p| p.problem).collect(),
        )),
        Err(e) => Err(NoPlan::Failed(unavailable(&e))),
    }
}

async fn page(State(state): State<AppState>, staff: Staff, Query(q): Query<PlanQuery>) -> Response {
    if !staff.user.role.reads_figures() {
        return forbidden();
    }
    let policy = state.config.capacity.clone();
    let mut page = CapacityPage {
        nav: Nav::of(&staff),
        week: q.week.clone().unwrap_or_default(),
        erlang_c: q.model.as_deref() == Some("erlang_c"),
        what_if_kind: q.what_if_kind.clone().unwrap_or_default(),
        what_if_count: q.what_if_count.clone().unwrap_or_default(),
        what_if_at: q.what_if_at.clone().unwrap_or_default(),
        query: String::new(),
        errors: Vec::new(),
        plan: None,
        heatmap: String::new(),
        rows: Vec::new(),
        by_day: Vec::new(),
        by_week: Vec::new(),
        target_seconds: policy.target_answer_seconds,
        service_level: policy.service_level * 100.0,
        waiting: Vec::new(),
        waiting_by_borough: Vec::new(),
    };
    let req = match request(&state, &q) {
        Ok(r) => r,
        Err(errors) => {
            page.errors = errors;
            return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
        }
    };
    let now = Utc::now();
    let plan = match audited_plan(&state, &staff, &req, "viewed staffing plan", now).await {
        Ok(p) => p,
        Err(NoPlan::Refused(problems)) => {
            page.errors = problems
                .into_iter()
                .map(|p| FieldError {
                    field: "week",
                    message: format!("No plan can be made: {p}"),
                })
                .collect();
            return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
        }
        Err(NoPlan::Failed(r)) => return r,
    };
    // Service achieved: each day of this week so far, and the eight weeks before it.
    for d in 0..7 {
        let mut day = Achieved::default();
        let mut any = false;
        for i in &plan.intervals[d * SLOTS_PER_DAY..(d + 1) * SLOTS_PER_DAY] {
            if let Some(a) = i.achieved {
                day.add(&a);
                any = true;
            }
        }
        if any {
            page.by_day.push(service_row(
                req.week.day(d).format("%a %-d %b").to_string(),
                &day,
            ));
        }
    }
    if let Some(total) = plan.achieved {
        page.by_day.push(service_row("The week".into(), &total));
    }
    let last = req.week.previous();
    let first = (0..7).fold(last, |w, _| w.previous());
    match state
        .db
        .achieved_by_week(first, last, req.target.answer_seconds())
        .await
    {
        Ok(weeks) => {
            page.by_week = weeks
                .iter()
                .filter(|(w, _)| w.start() <= now)
                .map(|(w, a)| service_row(w.label(), a))
                .collect();
        }
        Err(e) => return unavailable(&e),
    }
    match state.db.unattended_burglaries(100).await {
        // Figures-only roles see how many, by borough; the cases are for those who work them.
        Ok(list) if !staff.user.role.opens_cases() => {
            let mut by_borough: std::collections::BTreeMap<String, u64> =
                std::collections::BTreeMap::new();
            for u in &list {
                *by_borough
                    .entry(u.borough.clone().unwrap_or_default())
                    .or_default() += 1;
            }
            page.waiting_by_borough = by_borough.into_iter().collect();
        }
        Ok(list) => {
            page.waiting = list
                .into_iter()
                .map(|u| WaitingRow {
                    crime_reference: u.crime_reference,
                    borough: u.borough.unwrap_or_default(),
                    reported: u
                        .reported_at
                        .with_timezone(&London)
                        .format("%a %-d %b %Y %H:%M")
                        .to_string(),
                    hours: (now - u.reported_at).num_hours().max(0),
                })
                .collect();
        }
        Err(e) => return unavailable(&e),
    }
    page.heatmap = heatmap(&plan, req.week);
    page.rows = plan.intervals.iter().map(row).collect();
    page.query = query_string(&req, &q);
    page.week = req.week.label();
    page.plan = Some(plan);
    page.into_response()
}

async fn csv_download(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<PlanQuery>,
) -> Response {
    if !staff.user.role.reads_figures() {
        return forbidden();
    }
    let req = match request(&state, &q) {
        Ok(r) => r,
        Err(errors) => {
            let message: Vec<String> = errors.into_iter().map(|e| e.message).collect();
            return (StatusCode::UNPROCESSABLE_ENTITY, message.join("\n")).into_response();
        }
    };
    let plan =
        match audited_plan(&state, &staff, &req, "downloaded staffing plan", Utc::now()).await {
            Ok(p) => p,
            Err(NoPlan::Refused(problems)) => {
                return (StatusCode::UNPROCESSABLE_ENTITY, problems.join("\n")).into_response();
            }
            Err(NoPlan::Failed(r)) => return r,
        };
    let disposition = format!(
        "attachment; filename=\"victimcare-staffing-plan-{}.csv\"",
        req.week.label()
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
        plan_csv(&plan),
    )
        .into_response()
}
