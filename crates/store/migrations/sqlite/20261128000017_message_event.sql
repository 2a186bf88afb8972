-- Each message's story: every status it took, when, and in our own words why (never the
-- provider's text, never an address).
CREATE TABLE message_event (
    event_id   INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES message (message_id),
    at         TEXT NOT NULL,
    status     TEXT NOT NULL,
    detail     TEXT
);
CREATE INDEX message_event_message ON message_event (message_id, event_id);

-- Written by the database itself, so that no path that moves a message can forget it.
CREATE TRIGGER message_history_insert AFTER INSERT ON message
BEGIN
    INSERT INTO message_event (message_id, at, status, detail)
    VALUES (NEW.message_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NEW.status, NULL);
END;

CREATE TRIGGER message_history_update AFTER UPDATE OF status, attempts ON message
WHEN NEW.status <> OLD.status OR NEW.attempts <> OLD.attempts
BEGIN
    INSERT INTO message_event (message_id, at, status, detail)
    VALUES (NEW.message_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NEW.status, NEW.last_error);
END;
