-- The outbox: a message to a victim about an event of their case, written in the same
-- transaction as the event and the obligations it meets, so a crash cannot lose it. A worker
-- claims due messages (a lease), decides the channel from the contact agreement at that
-- moment, sends, and records the outcome. The words are made at sending, in the victim's
-- language: nothing personal is stored here.
CREATE TABLE message (
    message_id      INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL,
    victim_id       INTEGER NOT NULL,
    -- The event the message tells of, and so its kind (the template).
    source          TEXT NOT NULL,
    source_event_id TEXT NOT NULL,
    kind            TEXT NOT NULL,
    -- queued, sending, sent, failed (given up: a task), person (handed to a person: a task).
    status          TEXT NOT NULL,
    channel         TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until     TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    -- The provider's reference, and the template and language the words were made from.
    provider_ref    TEXT,
    template        TEXT,
    language        TEXT,
    -- What went wrong last, in our words (never the provider's text, which may quote an
    -- address).
    last_error      TEXT,
    UNIQUE (case_id, victim_id, source, source_event_id),
    FOREIGN KEY (case_id, victim_id) REFERENCES case_victim (case_id, victim_id)
);
CREATE INDEX message_due ON message (next_attempt_at) WHERE status IN ('queued', 'sending');

-- A message that could not go by itself is work for a person: which one, and why.
ALTER TABLE task ADD COLUMN message_id INTEGER REFERENCES message (message_id);
ALTER TABLE task ADD COLUMN reason TEXT;
