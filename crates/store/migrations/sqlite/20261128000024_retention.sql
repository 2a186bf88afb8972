-- Retention: legal holds, and the erasure of a victim's personal data once the policy says
-- it is no longer needed. Statistics (cases, obligations, anonymous answers) stay.

CREATE TABLE legal_hold (
    hold_id   INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES crime_case (case_id),
    reason    TEXT NOT NULL,
    placed_by TEXT NOT NULL,
    placed_at TEXT NOT NULL,
    lifted_at TEXT,
    lifted_by TEXT
);
CREATE INDEX legal_hold_case ON legal_hold (case_id) WHERE lifted_at IS NULL;

-- When the victim's personal data was erased under the retention policy.
ALTER TABLE victim ADD COLUMN erased_at TEXT;

-- The contact log stays append-only, except for the one change erasure makes: its free
-- text becomes "[erased]" and nothing else moves.
DROP TRIGGER contact_log_no_update;
CREATE TRIGGER contact_log_no_update BEFORE UPDATE ON contact_log
WHEN NOT (NEW.note = '[erased]' AND NEW.told = '[erased]' AND NEW.follow_up IS NULL
          AND NEW.entry_id = OLD.entry_id AND NEW.case_id = OLD.case_id
          AND NEW.victim_id = OLD.victim_id AND NEW.at = OLD.at
          AND NEW.outcome = OLD.outcome AND NEW.user_id = OLD.user_id
          AND NEW.channel = OLD.channel AND NEW.direction = OLD.direction AND NEW.who = OLD.who
          AND NEW.call_id IS OLD.call_id AND NEW.contact_id IS OLD.contact_id
          AND NEW.corrects IS OLD.corrects)
BEGIN SELECT RAISE(ABORT, 'the contact log is append-only: record a correction'); END;
