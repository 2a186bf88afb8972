//! victimcare's domain: the words of the Victims' Code world as Rust types, and the pure rules
//! that act on them. Nothing here does I/O, so every rule is testable in microseconds.

/// The plumbing of a validated string newtype: `as_str`, `Display`, and the `TryFrom<String>`
/// / `Into<String>` pair that serde uses, so that deserialising runs the type's `parse`.
macro_rules! string_newtype {
    ($name:ident) => {
        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }
        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

pub mod calendar;
pub mod capacity;
pub mod case;
pub mod code;
pub mod contact;
pub mod crime_reference;
pub mod delivery;
pub mod enhanced;
pub mod event;
pub mod feedback;
pub mod ingest;
pub mod offence;
pub mod panel;
pub mod phase;
pub mod pin;
pub mod problem;
pub mod projection;
pub mod staff;
pub mod support;
pub mod survey;
pub mod text;
pub mod themes;
pub mod victim;

pub use crime_reference::CrimeReference;
pub use event::{Event, EventBody, EventType, Payload};
pub use offence::OffenceCategory;
pub use phase::Phase;
pub use problem::Problem;
pub use projection::CaseState;
