-- Contacts with victims, and an obligation's life after it is made: met by a contact, breached
-- when its day has passed, waived (with a reason and an approver) or not wanted by the victim.

-- A contact with one victim about one case: a call, a message, a letter, a visit. It meets the
-- obligations it carried the information of. No free text here: what was said lives in the
-- helpline's contact log, which is encrypted.
CREATE TABLE contact (
    contact_id  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The reporting system and its own id for the contact: a resend is a no-op.
    source      TEXT NOT NULL,
    source_contact_id TEXT NOT NULL,
    case_id     BIGINT NOT NULL,
    victim_id   BIGINT NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    channel     TEXT NOT NULL,
    -- informed: the victim was told; attempted: nobody reached (meets nothing).
    outcome     TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (case_id, victim_id) REFERENCES case_victim (case_id, victim_id),
    UNIQUE (source, source_contact_id)
);
CREATE INDEX contact_case ON contact (case_id, victim_id, occurred_at);

-- An obligation is owed to a victim of its case: one check against the link instead of one
-- against the case and another against the victim.
ALTER TABLE obligation
    DROP CONSTRAINT obligation_case_id_fkey,
    DROP CONSTRAINT obligation_victim_id_fkey,
    ADD CONSTRAINT obligation_case_victim
        FOREIGN KEY (case_id, victim_id) REFERENCES case_victim (case_id, victim_id),
    -- When it stopped being open: met (the contact's time), waived or not wanted.
    ADD COLUMN closed_at TIMESTAMPTZ,
    -- For a met obligation: was it met by the end of its due day (London time)?
    ADD COLUMN on_time BOOLEAN,
    ADD COLUMN contact_id BIGINT REFERENCES contact (contact_id),
    -- Set by the breach pass; kept when a late contact then meets it ("met late").
    ADD COLUMN breached_at TIMESTAMPTZ,
    ADD COLUMN waiver_reason TEXT,
    ADD COLUMN waived_by TEXT,
    ADD COLUMN approved_by TEXT;

-- The breach pass looks only at open obligations. Compliance reports scan the table: an index
-- on the due date alone cost a quarter of an obligation's insert, and a report is rare.
DROP INDEX obligation_due;
CREATE INDEX obligation_open_due ON obligation (due_on) WHERE status = 'open';

-- Work for a person: opened by the system (a breached obligation) and, later, by staff.
CREATE TABLE task (
    task_id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          TEXT NOT NULL,
    case_id       BIGINT NOT NULL REFERENCES crime_case (case_id),
    victim_id     BIGINT REFERENCES victim (victim_id),
    obligation_id BIGINT REFERENCES obligation (obligation_id),
    due_at        TIMESTAMPTZ NOT NULL,
    opened_at     TIMESTAMPTZ NOT NULL,
    closed_at     TIMESTAMPTZ,
    -- One task per breached obligation, however many passes run.
    UNIQUE (kind, obligation_id)
);
CREATE INDEX task_open ON task (due_at) WHERE closed_at IS NULL;
