//! Capacity: how many people the helpline needs, when, and whether it had them.
//!
//! Time is planned in half hours of the London day, a week at a time from Monday 00:00, the
//! way a rota is written.

pub mod erlang;
pub mod forecast;
pub mod plan;
pub mod week;
