-- Field encryption. The contact log stays append-only; besides erasure, the one change allowed
-- is a note sealed again under a newer key (`victimcare keys rotate`), nothing else moving.
DROP TRIGGER contact_log_no_update;
CREATE TRIGGER contact_log_no_update BEFORE UPDATE ON contact_log
WHEN NOT (((NEW.note = '[erased]' AND NEW.told = '[erased]' AND NEW.follow_up IS NULL)
           OR (NEW.note LIKE 'vc1:%' AND NEW.told = OLD.told
               AND NEW.follow_up IS OLD.follow_up))
          AND NEW.entry_id = OLD.entry_id AND NEW.case_id = OLD.case_id
          AND NEW.victim_id = OLD.victim_id AND NEW.at = OLD.at
          AND NEW.outcome = OLD.outcome AND NEW.user_id = OLD.user_id
          AND NEW.channel = OLD.channel AND NEW.direction = OLD.direction AND NEW.who = OLD.who
          AND NEW.call_id IS OLD.call_id AND NEW.contact_id IS OLD.contact_id
          AND NEW.corrects IS OLD.corrects)
BEGIN SELECT RAISE(ABORT, 'the contact log is append-only: record a correction'); END;
