-- Capacity: the rota, call-backs after our messages, and officers' attendance at burglaries.

-- People on the helpline's rota for each half hour (loaded from the rota CSV). A second load
-- of the same interval replaces the first.
CREATE TABLE rota (
    interval_start TEXT PRIMARY KEY,
    agents         INTEGER NOT NULL CHECK (agents >= 0),
    loaded_at      TEXT NOT NULL
);

-- Calls from a number, in time order: who phoned after a message.
CREATE INDEX telephony_call_caller ON telephony_call (caller_index, offered_at)
    WHERE caller_index IS NOT NULL;
CREATE INDEX message_sent ON message (sent_at) WHERE sent_at IS NOT NULL;

-- When an officer first came to the scene (from `officer_attended`).
ALTER TABLE crime_case ADD COLUMN attended_at TEXT;
UPDATE crime_case SET attended_at = json_extract(state, '$.attended.at');
-- The live list of home burglaries nobody has attended, oldest first.
CREATE INDEX crime_case_unattended ON crime_case (reported_at)
    WHERE offence = 'burglary_residential' AND attended_at IS NULL;
CREATE INDEX crime_case_offence_reported ON crime_case (offence, reported_at);

-- One chase per unattended burglary, however many passes run.
CREATE UNIQUE INDEX task_unattended_once ON task (case_id) WHERE kind = 'burglary_unattended';
