-- Administrators' corrections to the built-in England and Wales calendar. Append-only: the
-- latest change for a day is in force, and the highest change_id is the calendar's revision,
-- which every computed deadline records.
CREATE TABLE calendar_change (
    change_id    INTEGER PRIMARY KEY,
    day          TEXT NOT NULL,
    -- NULL: the day is a working day whatever the rules say; otherwise the holiday's name.
    holiday_name TEXT,
    -- NULL with holiday_name NULL and reverted = 1: the override is withdrawn, the rules apply.
    reverted     INTEGER NOT NULL DEFAULT 0,
    changed_by   TEXT NOT NULL,
    changed_at   TEXT NOT NULL
);
CREATE INDEX calendar_change_day ON calendar_change (day, change_id);
