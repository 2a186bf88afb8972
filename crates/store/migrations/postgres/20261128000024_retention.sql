-- Retention: legal holds, and the erasure of a victim's personal data once the policy says
-- it is no longer needed. Statistics (cases, obligations, anonymous answers) stay.

CREATE TABLE legal_hold (
    hold_id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id   BIGINT NOT NULL REFERENCES crime_case (case_id),
    reason    TEXT NOT NULL,
    placed_by TEXT NOT NULL,
    placed_at TIMESTAMPTZ NOT NULL,
    lifted_at TIMESTAMPTZ,
    lifted_by TEXT
);
CREATE INDEX legal_hold_case ON legal_hold (case_id) WHERE lifted_at IS NULL;

-- When the victim's personal data was erased under the retention policy.
ALTER TABLE victim ADD COLUMN erased_at TIMESTAMPTZ;

-- The contact log stays append-only, except for the one change erasure makes: its free
-- text becomes "[erased]" and nothing else moves.
CREATE FUNCTION contact_log_erasure_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.note = '[erased]' AND NEW.told = '[erased]'
       AND NEW.follow_up IS NULL AND NEW.entry_id = OLD.entry_id
       AND NEW.case_id = OLD.case_id AND NEW.victim_id = OLD.victim_id AND NEW.at = OLD.at
       AND NEW.outcome = OLD.outcome AND NEW.user_id = OLD.user_id
       AND NEW.channel = OLD.channel AND NEW.direction = OLD.direction AND NEW.who = OLD.who
       AND NEW.call_id IS NOT DISTINCT FROM OLD.call_id
       AND NEW.contact_id IS NOT DISTINCT FROM OLD.contact_id
       AND NEW.corrects IS NOT DISTINCT FROM OLD.corrects THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'contact_log is append-only';
END;
$$;
DROP TRIGGER contact_log_no_change ON contact_log;
CREATE TRIGGER contact_log_no_change BEFORE UPDATE OR DELETE ON contact_log
FOR EACH ROW EXECUTE FUNCTION contact_log_erasure_only();
