//! The victimcare binary's library: configuration, start-up, and one module per subcommand.

pub mod cli;
mod commands;
pub mod config;
pub mod startup;
mod telemetry;
pub mod worker;
