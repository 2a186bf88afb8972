-- What the force owes each victim of a case, by when, and why: made by the Code engine from
-- the case's events in the same transaction that stores them. One per victim, rule and event.
CREATE TABLE obligation (
    obligation_id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         BIGINT NOT NULL REFERENCES crime_case (case_id),
    victim_id       BIGINT NOT NULL REFERENCES victim (victim_id),
    rule_id         TEXT NOT NULL,
    code_right      SMALLINT NOT NULL,
    source          TEXT NOT NULL,
    source_event_id TEXT NOT NULL,
    due_on          DATE NOT NULL,
    enhanced        BOOLEAN NOT NULL,
    reasons         JSONB NOT NULL,
    explanation     TEXT NOT NULL,
    rule_set        TEXT NOT NULL,
    calendar        TEXT NOT NULL,
    status          TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
-- No unique key: ingest makes obligations only for events it has just stored for the first
-- time, under its lock, so each (victim, rule, event) is made once; a five-column text key
-- cost more than all the rest of an obligation's insert.
CREATE INDEX obligation_case ON obligation (case_id, victim_id);
CREATE INDEX obligation_due ON obligation (status, due_on);
