//! Checking a batch of events before anything is written: a batch is all good or not at all.

use crate::event::Event;
use crate::problem::Problem;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::value::RawValue;

/// The most events one request or one import step may carry.
pub const MAX_BATCH: usize = 10_000;

/// A problem with one event of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchProblem {
    /// The event's position in the batch, from 0; `None` for a problem with the batch itself.
    pub index: Option<usize>,
    pub field: String,
    pub problem: String,
}

/// Parses every event of a batch. Either all are valid, or every problem of every event is
/// returned (capped at `max_problems`, so a wholly wrong file does not produce a wholly huge
/// answer).
pub fn parse_batch(
    events: &[&RawValue],
    now: DateTime<Utc>,
    max_problems: usize,
) -> Result<Vec<Event>, Vec<BatchProblem>> {
    let mut parsed = Vec::with_capacity(events.len());
    let mut problems = Vec::new();
    for (index, raw) in events.iter().enumerate() {
        match Event::parse(raw.get(), now) {
            Ok(event) => parsed.push(event),
            Err(found) => {
                problems.extend(
                    found
                        .into_iter()
                        .map(|Problem { field, problem }| BatchProblem {
                            index: Some(index),
                            field,
                            problem,
                        }),
                );
                if problems.len() >= max_problems {
                    problems.truncate(max_problems);
                    break;
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(parsed)
    } else {
        Err(problems)
    }
}
