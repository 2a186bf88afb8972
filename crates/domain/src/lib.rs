//! victimcare's domain: the words of the Victims' Code world as Rust types, and the pure rules
//! that act on them. Nothing here does I/O, so every rule is testable in microseconds.

pub mod case;
pub mod crime_reference;
pub mod event;
pub mod ingest;
pub mod offence;
pub mod phase;
pub mod problem;
pub mod projection;
pub mod text;
pub mod victim;

pub use crime_reference::CrimeReference;
pub use event::{Event, EventBody, EventType, Payload};
pub use offence::OffenceCategory;
pub use phase::Phase;
pub use problem::Problem;
pub use projection::CaseState;
