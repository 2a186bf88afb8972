-- A way of reaching a victim that the provider said does not work (a number that does not
-- exist, a mailbox that bounces). Messages skip it for the next safe way; a person checks the
-- details with the victim. Not a safety restriction: the way is safe, just broken.
CREATE TABLE channel_failure (
    failure_id  INTEGER PRIMARY KEY,
    victim_id   INTEGER NOT NULL REFERENCES victim (victim_id),
    channel     TEXT NOT NULL,
    -- SHA-256 of the address or number that failed (never the address itself): a new one
    -- from the victim is not blocked by the old one's failure.
    detail_hash TEXT NOT NULL,
    failed_at   TEXT NOT NULL,
    cleared_at  TEXT
);
CREATE INDEX channel_failure_victim ON channel_failure (victim_id) WHERE cleared_at IS NULL;
