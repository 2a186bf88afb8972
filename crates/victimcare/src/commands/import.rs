//! `victimcare import FILE.jsonl`: one event per line, checked exactly as the API checks them,
//! stored a batch per transaction. Stopping part-way loses nothing and a rerun skips what is
//! already stored, so an import can always be run again.

use anyhow::Context as _;
use chrono::Utc;
use domain::Event;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::Instant;
use store::Db;
use tokio::sync::mpsc;

/// How many problems an import prints before it stops listing them.
const SHOWN_PROBLEMS: usize = 20;

struct Batch {
    events: Vec<Event>,
    /// The line each event came from.
    lines: Vec<u64>,
    first_line: u64,
    last_line: u64,
    bytes_read: u64,
}

enum Read {
    Batch(Batch),
    Invalid {
        problems: Vec<(u64, String, String)>,
        first_line: u64,
    },
    Failed {
        line: u64,
        error: std::io::Error,
    },
}

/// Reads and checks lines on a thread of its own while the previous batch is being written.
fn reader(file: std::fs::File, batch_size: usize, tx: mpsc::Sender<Read>) {
    let mut lines = BufReader::with_capacity(1 << 20, file);
    let mut line_no = 0_u64;
    let mut bytes_read = 0_u64;
    let mut buf = String::new();
    loop {
        let now = Utc::now();
        let mut events = Vec::with_capacity(batch_size);
        let mut event_lines = Vec::with_capacity(batch_size);
        let mut problems = Vec::new();
        let first_line = line_no + 1;
        while events.len() + problems.len() < batch_size {
            buf.clear();
            match lines.read_line(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    bytes_read += n as u64;
                    line_no += 1;
                }
                Err(error) => {
                    let _ = tx.blocking_send(Read::Failed {
                        line: line_no + 1,
                        error,
                    });
                    return;
                }
            }
            let text = buf.trim();
            if text.is_empty() {
                continue;
            }
            match Event::parse(text, now) {
                Ok(e) => {
                    events.push(e);
                    event_lines.push(line_no);
                }
                Err(found) => {
                    for p in found {
                        problems.push((line_no, p.field, p.problem));
                    }
                }
            }
        }
        let message = if problems.is_empty() {
            if events.is_empty() {
                return;
            }
            Read::Batch(Batch {
                events,
                lines: event_lines,
                first_line,
                last_line: line_no,
                bytes_read,
            })
        } else {
            Read::Invalid {
                problems,
                first_line,
            }
        };
        let stop = matches!(message, Read::Invalid { .. });
        if tx.blocking_send(message).is_err() || stop {
            return;
        }
    }
}

pub async fn import(db: &Db, path: &Path, batch_size: usize, quiet: bool) -> anyhow::Result<()> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let progress = if quiet {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::new(size);
        bar.set_style(
            ProgressStyle::with_template(
                "{elapsed_precise} [{wide_bar}] {percent}% {msg} ETA {eta}",
            )
            .expect("a valid template")
            .progress_chars("=> "),
        );
        bar
    };
    let (tx, mut rx) = mpsc::channel(2);
    let reading = std::thread::spawn(move || reader(file, batch_size, tx));

    let started = Instant::now();
    let (mut lines, mut accepted, mut duplicates) = (0_u64, 0_u64, 0_u64);
    let mut failure = None;
    while let Some(read) = rx.recv().await {
        match read {
            Read::Batch(batch) => {
                let stored = db.ingest(&batch.events, Utc::now()).await;
                if let Err(store::StoreError::ConflictingResend { indexes }) = &stored {
                    progress.abandon();
                    for i in indexes.iter().take(SHOWN_PROBLEMS) {
                        println!(
                            "  line {}: id {}",
                            batch.lines[*i],
                            web::api::RESENT_DIFFERENT
                        );
                    }
                    anyhow::bail!(
                        "stopped: the batch of lines {} to {} reuses ids of different events and was not stored. \
                         Everything before it is stored",
                        batch.first_line,
                        batch.last_line
                    );
                }
                let outcome = stored
                    .with_context(|| {
                        format!(
                            "storing lines {} to {} failed; lines before them are stored, so run the import again to carry on",
                            batch.first_line, batch.last_line
                        )
                    })?;
                lines = batch.last_line;
                accepted += outcome.accepted;
                duplicates += outcome.duplicates;
                let rate =
                    (accepted + duplicates) as f64 / started.elapsed().as_secs_f64().max(1e-9);
                progress.set_position(batch.bytes_read);
                progress.set_message(format!("{} events, {rate:.0}/s", accepted + duplicates));
            }
            Read::Invalid {
                problems,
                first_line,
            } => {
                failure = Some((problems, first_line));
                break;
            }
            Read::Failed { line, error } => {
                progress.abandon();
                return Err(error).with_context(|| {
                    format!(
                        "cannot read line {line} of {}; the batches before it are stored, so correct the file and run the import again (stored events are skipped)",
                        path.display()
                    )
                });
            }
        }
    }
    drop(rx);
    let _ = reading.join();
    progress.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let rate = (accepted + duplicates) as f64 / seconds.max(1e-9);
    println!(
        "Read {lines} lines of {}: {accepted} new events stored, {duplicates} already held, in {seconds:.1} s ({rate:.0} events/s).",
        path.display()
    );
    if let Some((problems, first_line)) = failure {
        for (line, field, problem) in problems.iter().take(SHOWN_PROBLEMS) {
            if field.is_empty() {
                println!("  line {line}: {problem}");
            } else {
                println!("  line {line}: {field} {problem}");
            }
        }
        if problems.len() > SHOWN_PROBLEMS {
            println!("  … and {} more problems", problems.len() - SHOWN_PROBLEMS);
        }
        anyhow::bail!(
            "stopped: the batch starting at line {first_line} has invalid events and was not stored. \
             Everything before it is stored. Correct the file and run the import again; \
             events already stored are skipped"
        );
    }
    Ok(())
}
