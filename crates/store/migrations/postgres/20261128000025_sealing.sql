-- Field encryption. The contact log stays append-only; besides erasure, the one change allowed
-- is a note sealed again under a newer key (`victimcare keys rotate`), nothing else moving.
CREATE OR REPLACE FUNCTION contact_log_erasure_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND ((NEW.note = '[erased]' AND NEW.told = '[erased]' AND NEW.follow_up IS NULL)
            OR (NEW.note LIKE 'vc1:%' AND NEW.told = OLD.told
                AND NEW.follow_up IS NOT DISTINCT FROM OLD.follow_up))
       AND NEW.entry_id = OLD.entry_id
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
