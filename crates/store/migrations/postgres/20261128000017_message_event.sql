-- Each message's story: every status it took, when, and in our own words why (never the
-- provider's text, never an address).
CREATE TABLE message_event (
    event_id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id BIGINT NOT NULL REFERENCES message (message_id),
    at         TIMESTAMPTZ NOT NULL,
    status     TEXT NOT NULL,
    detail     TEXT
);
CREATE INDEX message_event_message ON message_event (message_id, event_id);

-- Written by the database itself, so that no path that moves a message can forget it.
CREATE FUNCTION message_history() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO message_event (message_id, at, status, detail)
        VALUES (NEW.message_id, clock_timestamp(), NEW.status, NULL);
    ELSIF NEW.status IS DISTINCT FROM OLD.status OR NEW.attempts <> OLD.attempts THEN
        INSERT INTO message_event (message_id, at, status, detail)
        VALUES (NEW.message_id, clock_timestamp(), NEW.status, NEW.last_error);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER message_history AFTER INSERT OR UPDATE OF status, attempts ON message
FOR EACH ROW EXECUTE FUNCTION message_history();
