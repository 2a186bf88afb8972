-- A burst of one kind of message (a feed error once told 8,000 victims that offenders were
-- released) is held, not sent: its messages wait with status 'held' until a supervisor
-- releases or discards them.
CREATE TABLE message_hold (
    hold_id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT NOT NULL,
    -- The messages of this kind queued from this moment on are the held ones.
    since        TIMESTAMPTZ NOT NULL,
    held_at      TIMESTAMPTZ NOT NULL,
    held         INTEGER NOT NULL,
    decided_at   TIMESTAMPTZ,
    decided_by   TEXT,
    -- 'released' or 'discarded'.
    decision     TEXT
);
CREATE INDEX message_kind ON message (kind, created_at);
