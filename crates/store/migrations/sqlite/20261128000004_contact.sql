-- Contacts with victims, and an obligation's life after it is made: met by a contact, breached
-- when its day has passed, waived (with a reason and an approver) or not wanted by the victim.

-- A contact with one victim about one case: a call, a message, a letter, a visit. It meets the
-- obligations it carried the information of. No free text here: what was said lives in the
-- helpline's contact log, which is encrypted.
CREATE TABLE contact (
    contact_id  INTEGER PRIMARY KEY,
    -- The reporting system and its own id for the contact: a resend is a no-op.
    source      TEXT NOT NULL,
    source_contact_id TEXT NOT NULL,
    case_id     INTEGER NOT NULL,
    victim_id   INTEGER NOT NULL,
    occurred_at TEXT NOT NULL,
    channel     TEXT NOT NULL,
    -- informed: the victim was told; attempted: nobody reached (meets nothing).
    outcome     TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    FOREIGN KEY (case_id, victim_id) REFERENCES case_victim (case_id, victim_id),
    UNIQUE (source, source_contact_id)
);
CREATE INDEX contact_case ON contact (case_id, victim_id, occurred_at);

-- SQLite cannot change a table's constraints in place: the obligation table is made again.
-- An obligation is owed to a victim of its case: one check against the link instead of one
-- against the case and another against the victim.
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
    FOREIGN KEY (case_id, victim_id) REFERENCES case_victim (case_id, victim_id)
);
INSERT INTO obligation_new (obligation_id, case_id, victim_id, rule_id, code_right, source,
    source_event_id, due_on, enhanced, reasons, explanation, rule_set, calendar, status,
    created_at)
SELECT obligation_id, case_id, victim_id, rule_id, code_right, source, source_event_id, due_on,
    enhanced, reasons, explanation, rule_set, calendar, status, created_at
FROM obligation;
DROP TABLE obligation;
ALTER TABLE obligation_new RENAME TO obligation;
CREATE INDEX obligation_case ON obligation (case_id, victim_id);
-- The breach pass looks only at open obligations. Compliance reports scan the table: an index
-- on the due date alone cost a quarter of an obligation's insert, and a report is rare.
CREATE INDEX obligation_open_due ON obligation (due_on) WHERE status = 'open';

-- Work for a person: opened by the system (a breached obligation) and, later, by staff.
CREATE TABLE task (
    task_id       INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    case_id       INTEGER NOT NULL REFERENCES crime_case (case_id),
    victim_id     INTEGER REFERENCES victim (victim_id),
    obligation_id INTEGER REFERENCES obligation (obligation_id),
    due_at        TEXT NOT NULL,
    opened_at     TEXT NOT NULL,
    closed_at     TEXT,
    -- One task per breached obligation, however many passes run.
    UNIQUE (kind, obligation_id)
);
CREATE INDEX task_open ON task (due_at) WHERE closed_at IS NULL;
