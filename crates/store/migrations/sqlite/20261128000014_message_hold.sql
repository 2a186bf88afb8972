-- A burst of one kind of message (a feed error once told 8,000 victims that offenders were
-- released) is held, not sent: its messages wait with status 'held' until a supervisor
-- releases or discards them.
CREATE TABLE message_hold (
    hold_id      INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    -- The messages of this kind queued from this moment on are the held ones.
    since        TEXT NOT NULL,
    held_at      TEXT NOT NULL,
    held         INTEGER NOT NULL,
    decided_at   TEXT,
    decided_by   TEXT,
    -- 'released' or 'discarded'.
    decision     TEXT
);
CREATE INDEX message_kind ON message (kind, created_at);
