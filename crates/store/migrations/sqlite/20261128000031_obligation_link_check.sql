-- no-transaction
-- An obligation is owed to a victim of its case. The foreign key said so by checking each new
-- row against case_victim: at more than a million obligations a year, a tenth of writing them.
-- Ingest and the scheduler now check every obligation of a batch against case_victim in one
-- query, in the same transaction, before writing any (store::bulk), as on PostgreSQL; nothing
-- deletes or re-keys a link, so a check when the obligation is made holds for its whole life.
--
-- SQLite cannot drop a constraint, so the table is made again, in SQLite's documented way:
-- with foreign keys off (which only works outside a transaction, hence this file runs
-- outside the migrator's), the keys of tasks and messages that name `obligation`
-- name the new table once it has the old one's name. Its columns keep their order.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE obligation_new (
    obligation_id   INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL,
    victim_id       INTEGER NOT NULL,
    rule_id         TEXT NOT NULL,
    code_right      INTEGER NOT NULL,
    source          TEXT NOT NULL,
    source_event_id TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    enhanced        INTEGER NOT NULL,
    reasons         TEXT NOT NULL,
    explanation     TEXT NOT NULL,
    rule_set        TEXT NOT NULL,
    calendar        TEXT NOT NULL,
    status          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    -- When it stopped being open: met (the contact's time), waived or not wanted.
    closed_at       TEXT,
    -- For a met obligation: was it met by the end of its due day (London time)?
    on_time         INTEGER,
    contact_id      INTEGER REFERENCES contact (contact_id),
    -- Set by the breach pass; kept when a late contact then meets it ("met late").
    breached_at     TEXT,
    waiver_reason   TEXT,
    waived_by       TEXT,
    approved_by     TEXT,
    -- The referral that met a support-referral obligation.
    referral_id     INTEGER,
    -- The event that set the case facts the victim's rights were judged on.
    facts_source    TEXT,
    facts_event     TEXT
);
INSERT INTO obligation_new (obligation_id, case_id, victim_id, rule_id, code_right, source,
    source_event_id, due_on, enhanced, reasons, explanation, rule_set, calendar, status,
    created_at, closed_at, on_time, contact_id, breached_at, waiver_reason, waived_by,
    approved_by, referral_id, facts_source, facts_event)
SELECT obligation_id, case_id, victim_id, rule_id, code_right, source, source_event_id,
    due_on, enhanced, reasons, explanation, rule_set, calendar, status, created_at, closed_at,
    on_time, contact_id, breached_at, waiver_reason, waived_by, approved_by, referral_id,
    facts_source, facts_event
FROM obligation;
DROP TABLE obligation;
ALTER TABLE obligation_new RENAME TO obligation;
CREATE INDEX obligation_case ON obligation (case_id, victim_id);
CREATE INDEX obligation_open_week ON obligation ((unixepoch(due_on) / 604800))
WHERE status = 'open';
COMMIT;
PRAGMA foreign_keys = ON;
