-- The contact log's one exception for key rotation, narrowed: the note and the follow-up may
-- each be sealed again only under another key (or sealed for the first time), never given
-- back to an erased entry and never replaced by the same key's value from another row.
CREATE OR REPLACE FUNCTION contact_log_erasure_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND ((NEW.note = '[erased]' AND NEW.told = '[erased]' AND NEW.follow_up IS NULL)
            OR (NEW.told = OLD.told
                AND (NEW.note = OLD.note
                     OR (OLD.note <> '[erased]' AND substr(NEW.note, 1, 4) = 'vc1:'
                         AND (substr(OLD.note, 1, 4) <> 'vc1:'
                              OR substr(NEW.note, 5, 8) <> substr(OLD.note, 5, 8))))
                AND (NEW.follow_up IS NOT DISTINCT FROM OLD.follow_up
                     OR (OLD.follow_up IS NOT NULL AND substr(NEW.follow_up, 1, 4) = 'vc1:'
                         AND (substr(OLD.follow_up, 1, 4) <> 'vc1:'
                              OR substr(NEW.follow_up, 5, 8) <> substr(OLD.follow_up, 5, 8))))))
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
