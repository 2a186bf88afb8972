-- Administrators' corrections to the built-in England and Wales calendar. Append-only: the
-- latest change for a day is in force, and the highest change_id is the calendar's revision,
-- which every computed deadline records.
CREATE TABLE calendar_change (
    change_id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    day          DATE NOT NULL,
    -- NULL: the day is a working day whatever the rules say; otherwise the holiday's name.
    holiday_name TEXT,
    -- TRUE: the override is withdrawn and the rules apply again.
    reverted     BOOLEAN NOT NULL DEFAULT FALSE,
    changed_by   TEXT NOT NULL,
    changed_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX calendar_change_day ON calendar_change (day, change_id);
