//! `victimcare capacity …`: the queueing maths, call records, the rota, staffing plans and
//! burglary attendance.

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone as _, Utc};
use chrono_tz::Europe::London;
use domain::Problem;
use domain::capacity::erlang::{self, Model, Target, Traffic};
use domain::capacity::forecast::Send;
use domain::capacity::week::Week;
use serde::Serialize;
use std::io::Write as _;
use std::path::Path;
use store::{CallOutcome, CallRecord, CapacityPolicy, Db, FigureFilter};

/// What `capacity erlang` prints.
#[derive(Debug, Serialize)]
pub struct ErlangAnswer {
    pub agents_raw: u32,
    pub agents: u32,
    pub service_level: f64,
    pub occupancy: f64,
    pub waiting_probability: f64,
    pub average_speed_of_answer_seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abandonment: Option<f64>,
}

/// The inputs of `capacity erlang`, as given on the command line.
#[derive(Debug, Clone, Copy)]
pub struct ErlangQuestion {
    pub calls: f64,
    pub interval_minutes: f64,
    pub aht_seconds: f64,
    pub target_answer_seconds: f64,
    pub service_level: f64,
    pub max_occupancy: Option<f64>,
    pub shrinkage: f64,
    pub patience_seconds: Option<f64>,
    pub max_abandonment: Option<f64>,
}

fn flag(p: Problem) -> anyhow::Error {
    anyhow::anyhow!("--{}: {}", p.field.replace('_', "-"), p.problem)
}

pub fn answer(q: &ErlangQuestion) -> anyhow::Result<ErlangAnswer> {
    let traffic =
        Traffic::parse(q.calls, q.interval_minutes * 60.0, q.aht_seconds).map_err(flag)?;
    if q.max_abandonment.is_some() && q.patience_seconds.is_none() {
        anyhow::bail!("--max-abandonment needs --patience-seconds: with Erlang C nobody hangs up");
    }
    let target = Target::parse(
        q.target_answer_seconds,
        q.service_level,
        q.max_occupancy,
        q.max_abandonment,
    )
    .map_err(flag)?;
    let shrinkage = erlang::parse_shrinkage(q.shrinkage).map_err(flag)?;
    let model = match q.patience_seconds {
        Some(p) => Model::erlang_a(p).map_err(flag)?,
        None => Model::ErlangC,
    };
    let p = erlang::fewest_agents(&traffic, &target, model)?;
    Ok(ErlangAnswer {
        agents_raw: p.agents,
        agents: erlang::rostered(p.agents, shrinkage),
        service_level: p.service_level,
        occupancy: p.occupancy,
        waiting_probability: p.waiting_probability,
        average_speed_of_answer_seconds: p.average_wait_seconds,
        abandonment: p.abandonment,
    })
}

pub fn erlang(q: &ErlangQuestion) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string(&answer(q)?)?);
    Ok(())
}

/// A moment from a file: RFC 3339, or London wall-clock time (`2026-12-07 09:00[:00]`, a
/// `T` allowed for the space).
pub fn parse_when(raw: &str) -> Result<DateTime<Utc>, String> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    let spaced = raw.replacen('T', " ", 1);
    let naive = NaiveDateTime::parse_from_str(&spaced, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(&spaced, "%Y-%m-%d %H:%M"))
        .map_err(|_| {
            "must be a date and time such as 2026-12-07 09:00 (London) or RFC 3339".to_owned()
        })?;
    London
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| "is in the hour the clocks skip in spring".to_owned())
}

fn seconds(raw: &str) -> Result<i32, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(0);
    }
    match raw.parse::<i32>() {
        Ok(n) if (0..=86_400).contains(&n) => Ok(n),
        _ => Err("must be a whole number of seconds from 0 to 86,400".to_owned()),
    }
}

/// A CSV reader over `text` and its header line (cells trimmed).
fn csv_with_header(text: &str) -> Result<(csv::Reader<&[u8]>, csv::StringRecord), Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| vec![format!("the header line cannot be read: {e}")])?
        .clone();
    Ok((rdr, headers))
}

/// Reads call detail records; every problem is listed with its line and column.
pub fn read_calls(text: &str, lookup: &store::LookupKey) -> Result<Vec<CallRecord>, Vec<String>> {
    let (mut rdr, headers) = csv_with_header(text)?;
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let required = [
        "call_id",
        "start_time",
        "wait_seconds",
        "talk_seconds",
        "outcome",
    ];
    let missing: Vec<String> = required
        .iter()
        .filter(|c| col(c).is_none())
        .map(|c| format!("the header has no `{c}` column"))
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let (id, start, wait, talk, outcome) = (
        col("call_id"),
        col("start_time"),
        col("wait_seconds"),
        col("talk_seconds"),
        col("outcome"),
    );
    let (queue, caller, wrap) = (col("queue"), col("caller"), col("wrap_seconds"));
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("");
        let mut bad = |field: &str, problem: String| {
            errors.push(format!("line {line}, {field}: {problem}"));
        };
        let call_id = get(id);
        if call_id.is_empty() || call_id.len() > 128 {
            bad(
                "call_id",
                "must be the platform's id of the call, 1 to 128 characters".into(),
            );
            continue;
        }
        let offered_at = match parse_when(get(start)) {
            Ok(t) => t,
            Err(p) => {
                bad("start_time", p);
                continue;
            }
        };
        let outcome = match CallOutcome::parse(get(outcome)) {
            Ok(o) => o,
            Err(p) => {
                bad("outcome", p);
                continue;
            }
        };
        let caller_index = match get(caller) {
            "" | "withheld" | "anonymous" => None,
            raw => match domain::victim::Phone::parse(raw) {
                Ok(p) => Some(lookup.phone(&p)),
                Err(_) => {
                    // Never echo the number: it is personal data.
                    bad("caller", "is not a phone number we can read".into());
                    continue;
                }
            },
        };
        let (w, t, r) = (seconds(get(wait)), seconds(get(talk)), seconds(get(wrap)));
        let (w, t, r) = match (w, t, r) {
            (Ok(w), Ok(t), Ok(r)) => (w, t, r),
            (Err(p), _, _) => {
                bad("wait_seconds", p);
                continue;
            }
            (_, Err(p), _) => {
                bad("talk_seconds", p);
                continue;
            }
            (_, _, Err(p)) => {
                bad("wrap_seconds", p);
                continue;
            }
        };
        let queue = match get(queue) {
            "" => "helpline",
            q => q,
        };
        out.push(CallRecord {
            provider_call_id: call_id.to_owned(),
            queue: queue.chars().take(64).collect(),
            caller_index,
            offered_at,
            outcome,
            wait_seconds: w,
            talk_seconds: if outcome == CallOutcome::Answered {
                t
            } else {
                0
            },
            wrap_seconds: if outcome == CallOutcome::Answered {
                r
            } else {
                0
            },
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn fail_with(problems: Vec<String>) -> anyhow::Error {
    let shown: Vec<String> = problems.iter().take(20).cloned().collect();
    let more = problems.len().saturating_sub(shown.len());
    let mut msg = format!("nothing was imported:\n  {}", shown.join("\n  "));
    if more > 0 {
        msg.push_str(&format!("\n  … and {more} more"));
    }
    anyhow::anyhow!(msg)
}

pub async fn import_calls(db: &Db, file: &Path) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let rows = read_calls(&text, db.lookup()).map_err(fail_with)?;
    let done = db.import_calls(&rows).await?;
    println!(
        "Imported {} calls ({} already held).",
        done.added, done.already_held
    );
    Ok(())
}

/// Reads a rota: people on the phones per half hour.
pub fn read_rota(text: &str) -> Result<Vec<(DateTime<Utc>, u32)>, Vec<String>> {
    let (mut rdr, headers) = csv_with_header(text)?;
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(start), Some(agents)) = (col("interval_start"), col("agents")) else {
        return Err(vec![
            "the header must name the columns interval_start and agents".to_owned(),
        ]);
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let at = match parse_when(rec.get(start).unwrap_or("")) {
            Ok(t) if Week::of(t).slot_start(Week::of(t).slot_of(t).unwrap_or(0)) == t => t,
            Ok(_) => {
                errors.push(format!(
                    "line {line}, interval_start: must be the start of a half hour (:00 or :30)"
                ));
                continue;
            }
            Err(p) => {
                errors.push(format!("line {line}, interval_start: {p}"));
                continue;
            }
        };
        match rec.get(agents).unwrap_or("").parse::<u32>() {
            Ok(n) if n <= 10_000 => out.push((at, n)),
            _ => errors.push(format!(
                "line {line}, agents: must be a whole number of people from 0 to 10,000"
            )),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

pub async fn rota(db: &Db, file: &Path) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let rows = read_rota(&text).map_err(fail_with)?;
    let n = db.load_rota(&rows, Utc::now()).await?;
    println!("Loaded the rota for {n} half hours.");
    Ok(())
}

/// Reads `KIND:COUNT:WHEN`.
pub fn parse_what_if(raw: &str) -> Result<Send, String> {
    let mut parts = raw.splitn(3, ':');
    let (Some(kind), Some(count), Some(when)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(
            "--what-if must be KIND:COUNT:WHEN, such as charged:5000:2026-12-07T09:00".to_owned(),
        );
    };
    let kind = kind.trim();
    if kind.is_empty() || kind.len() > 64 {
        return Err("--what-if: the kind of message is missing".to_owned());
    }
    let count: u32 = count
        .trim()
        .parse()
        .ok()
        .filter(|n| *n <= 1_000_000)
        .ok_or("--what-if: the count must be a whole number up to 1,000,000")?;
    let at = parse_when(when).map_err(|p| format!("--what-if: the time {p}"))?;
    Ok(Send {
        at,
        kind: kind.to_owned(),
        count: f64::from(count),
    })
}

pub async fn plan(
    db: &Db,
    policy: &CapacityPolicy,
    week: &str,
    erlang_c: bool,
    what_if: &[String],
    csv: bool,
) -> anyhow::Result<()> {
    let week = Week::parse(week).map_err(flag)?;
    let sends = what_if
        .iter()
        .map(|w| parse_what_if(w))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!(e))?;
    let req = policy
        .request(week, erlang_c, sends)
        .map_err(|p| anyhow::anyhow!("--{}: {}", p.field.replace('_', "-"), p.problem))?;
    let calendar = db.calendar().await?;
    let plan = db.staffing_plan(&req, &calendar, Utc::now()).await?;
    // Written with `?`, so a closed pipe (`| head`) ends the command instead of panicking.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if csv {
        write!(out, "{}", web::console::capacity::plan_csv(&plan))?;
        return Ok(());
    }
    writeln!(
        out,
        "Staffing plan for {} ({}), from {} weeks of calls. Handling time {:.0} s ({}); {}.",
        plan.week,
        if erlang_c { "Erlang C" } else { "Erlang A" },
        plan.history_weeks,
        plan.handle_seconds,
        if plan.handle_learned {
            "learned"
        } else {
            "configured"
        },
        match plan.patience_seconds {
            Some(p) => format!(
                "patience {p:.0} s ({})",
                if plan.patience_learned {
                    "learned"
                } else {
                    "configured"
                }
            ),
            None => "callers never hang up".to_owned(),
        }
    )?;
    if let Some(a) = &plan.accuracy {
        writeln!(
            out,
            "Forecast error on held-out weeks {}: {:.1}% (seasonal-naive {:.1}%).",
            a.weeks.join(", "),
            a.wape * 100.0,
            a.naive_wape * 100.0
        )?;
    }
    writeln!(
        out,
        "{:<10} {:>8} {:>8} {:>8} {:>8} {:>6} {:>6} {:>9} {:>9}",
        "interval", "calls", "of them", "needed", "rostered", "rota", "gap", "plan SL", "achieved"
    )?;
    for i in &plan.intervals {
        writeln!(
            out,
            "{:<10} {:>8.1} {:>8.1} {:>8} {:>8} {:>6} {:>6} {:>9} {:>9}",
            i.label,
            i.calls,
            i.induced_calls,
            i.required,
            i.rostered,
            i.scheduled.map_or("-".into(), |n| n.to_string()),
            i.gap.map_or("-".into(), |g| g.to_string()),
            i.expected
                .map_or("-".into(), |p| format!("{:.1}%", p.service_level * 100.0)),
            i.achieved
                .and_then(|a| a.service_level())
                .map_or("-".into(), |s| format!("{:.1}%", s * 100.0)),
        )?;
    }
    let short: Vec<&str> = plan
        .intervals
        .iter()
        .filter(|i| i.gap.is_some_and(|g| g < 0))
        .map(|i| i.label.as_str())
        .collect();
    if !short.is_empty() {
        writeln!(out, "Short of people in {} half hours.", short.len())?;
    }
    out.flush()?;
    Ok(())
}

pub async fn attendance(
    db: &Db,
    from: NaiveDate,
    to: NaiveDate,
    borough: Option<String>,
) -> anyhow::Result<()> {
    anyhow::ensure!(from <= to, "--from must not be after --to");
    let rows = db
        .attendance(&FigureFilter {
            from,
            to,
            borough,
            offence: None,
        })
        .await?;
    println!("Home burglaries reported from {from} to {to}:");
    println!(
        "{:<24} {:<8} {:>9} {:>9} {:>8} {:>12} {:>12}",
        "borough", "month", "reported", "attended", "rate", "median (min)", "90th (min)"
    );
    for r in &rows {
        println!(
            "{:<24} {:<8} {:>9} {:>9} {:>8} {:>12} {:>12}",
            r.borough
                .as_deref()
                .unwrap_or(if r.month.is_none() { "All" } else { "-" }),
            r.month.as_deref().unwrap_or("all"),
            r.reported,
            r.attended,
            r.rate.map_or("-".into(), |x| format!("{:.1}%", x * 100.0)),
            r.median_minutes.map_or("-".into(), |m| m.to_string()),
            r.p90_minutes.map_or("-".into(), |m| m.to_string()),
        );
    }
    let waiting = db.unattended_burglaries(50).await?;
    println!("Not yet attended (oldest first): {}", waiting.len());
    for w in waiting {
        println!(
            "  {}  {}  reported {}",
            w.crime_reference,
            w.borough.as_deref().unwrap_or("-"),
            w.reported_at
                .with_timezone(&London)
                .format("%a %e %b %Y %H:%M")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup() -> store::LookupKey {
        store::LookupKey::parse_hex(&"ab".repeat(32)).unwrap()
    }

    #[test]
    fn call_records_are_read_with_the_number_only_as_a_digest() {
        let csv = "call_id,start_time,queue,caller,wait_seconds,talk_seconds,wrap_seconds,outcome\n\
                   C1,2026-12-07 09:03:10,helpline,07700 900123,12,240,30,answered\n\
                   C2,2026-12-07T09:05:00Z,helpline,,75,,,abandoned\n";
        let rows = read_calls(csv, &lookup()).unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows[0].caller_index.is_some());
        assert_eq!(rows[0].offered_at.to_rfc3339(), "2026-12-07T09:03:10+00:00");
        assert_eq!((rows[1].wait_seconds, rows[1].talk_seconds), (75, 0));
    }

    #[test]
    fn a_bad_call_record_names_its_line_and_field_and_never_the_number() {
        let csv = "call_id,start_time,caller,wait_seconds,talk_seconds,outcome\n\
                   C1,yesterday,,1,1,answered\n\
                   C2,2026-12-07 09:00,not a phone 99,1,1,answered\n\
                   C3,2026-12-07 09:00,,-4,1,answered\n\
                   C4,2026-12-07 09:00,,1,1,hung up\n";
        let errors = read_calls(csv, &lookup()).unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].starts_with("line 2, start_time"));
        assert!(errors[1].starts_with("line 3, caller") && !errors[1].contains("99"));
        assert!(errors[2].starts_with("line 4, wait_seconds"));
        assert!(errors[3].starts_with("line 5, outcome"));
    }

    #[test]
    fn a_rota_row_must_start_on_a_half_hour() {
        let rows =
            read_rota("interval_start,agents\n2026-12-07 09:00,12\n2026-12-07 09:30,14\n").unwrap();
        assert_eq!(rows[1].1, 14);
        let errors = read_rota("interval_start,agents\n2026-12-07 09:10,12\n2026-12-07 09:30,x\n")
            .unwrap_err();
        assert!(errors[0].contains("line 2, interval_start"));
        assert!(errors[1].contains("line 3, agents"));
    }

    #[test]
    fn what_if_reads_kind_count_and_time() {
        let s = parse_what_if("charged:5000:2026-12-07T09:00").unwrap();
        assert_eq!((s.kind.as_str(), s.count), ("charged", 5000.0));
        assert_eq!(s.at.to_rfc3339(), "2026-12-07T09:00:00+00:00");
        assert!(parse_what_if("charged:lots:2026-12-07T09:00").is_err());
        assert!(parse_what_if("charged").is_err());
    }

    #[test]
    fn the_erlang_answer_applies_shrinkage_after_the_maths() {
        let q = ErlangQuestion {
            calls: 100.0,
            interval_minutes: 30.0,
            aht_seconds: 180.0,
            target_answer_seconds: 20.0,
            service_level: 0.8,
            max_occupancy: None,
            shrinkage: 0.3,
            patience_seconds: None,
            max_abandonment: None,
        };
        let a = answer(&q).unwrap();
        assert_eq!(a.agents, erlang::rostered(a.agents_raw, 0.3));
        assert!(a.abandonment.is_none());
        let with_patience = answer(&ErlangQuestion {
            patience_seconds: Some(120.0),
            ..q
        })
        .unwrap();
        assert!(with_patience.abandonment.is_some());
    }
}
