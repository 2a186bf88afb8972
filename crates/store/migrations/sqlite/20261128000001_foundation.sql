-- The foundation: cases, their victims, their events, and the keys that may send events.
-- Timestamps are TEXT in RFC 3339 UTC, written by Rust only, so they sort as text.
-- JSON columns are TEXT. Booleans are 0/1.

-- One row per crime record. Everything but the key columns is the projection of the case's
-- events: `state` holds all of it, the other columns are copies kept for lists and filters.
CREATE TABLE crime_case (
    case_id          INTEGER PRIMARY KEY,
    crime_reference  TEXT NOT NULL UNIQUE,
    offence          TEXT,
    home_office_code TEXT,
    domestic_abuse   INTEGER NOT NULL DEFAULT 0,
    hate_crime       INTEGER NOT NULL DEFAULT 0,
    borough          TEXT,
    reported_at      TEXT,
    phase            TEXT NOT NULL,
    phase_since      TEXT NOT NULL,
    outcome          TEXT,
    state            TEXT NOT NULL,
    event_count      INTEGER NOT NULL,
    last_occurred_at TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX crime_case_phase ON crime_case (phase, case_id);

-- A person or organisation harmed by crime, identified by the recording system's reference.
-- `details` is the latest record the feed sent (by occurred_at): personal data, kept only here.
CREATE TABLE victim (
    victim_id     INTEGER PRIMARY KEY,
    victim_ref    TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,
    details       TEXT NOT NULL,
    details_as_of TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE case_victim (
    case_id   INTEGER NOT NULL REFERENCES crime_case (case_id),
    victim_id INTEGER NOT NULL REFERENCES victim (victim_id),
    PRIMARY KEY (case_id, victim_id)
) WITHOUT ROWID;
CREATE INDEX case_victim_victim ON case_victim (victim_id);

-- Append-only. (source, source_event_id) is unique so that a resent event is a no-op.
CREATE TABLE case_event (
    event_id        INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES crime_case (case_id),
    source          TEXT NOT NULL,
    source_event_id TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    occurred_at     TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    ingested_at     TEXT NOT NULL,
    payload         TEXT NOT NULL,
    UNIQUE (source, source_event_id)
);
CREATE INDEX case_event_case ON case_event (case_id, event_id);

-- Keys for systems that call the API. Only a SHA-256 of the key is kept: keys are 256 random
-- bits, so a slow password hash would add nothing but latency.
CREATE TABLE api_key (
    api_key_id INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    key_hash   TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
