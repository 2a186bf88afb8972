//! HTTP tests against the real server bound to a port, on a fresh database each.

mod browser;
mod capacity;
mod console;
mod fake_notify;
mod helpers;
mod ingest;
mod leaflet;
mod notify;
mod obligations;
mod pages;
mod portal;
#[path = "../support/private_postgres.rs"]
mod private_postgres;
mod security;
mod sso;
mod support;
