-- The staff side: accounts and their sessions, the audit log, calls (the helpline's and the
-- telephony platform's), the contact log, and the lookup digests that search uses.

CREATE TABLE staff_user (
    user_id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL,
    team            TEXT,
    -- An officer in the case sees the cases whose officer has this collar number.
    collar_number   TEXT,
    password_hash   TEXT NOT NULL,
    totp_secret     TEXT NOT NULL,
    -- The 30-second step of the last code accepted: a code works once.
    totp_last_step  BIGINT NOT NULL DEFAULT 0,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    disabled_at     TIMESTAMPTZ
);

-- Only a SHA-256 of the session id is kept: a copy of the table opens nobody's session.
CREATE TABLE staff_session (
    session_hash TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES staff_user (user_id),
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    ended_at     TIMESTAMPTZ
);
-- One account per collar number: two would each see the other's cases.
CREATE UNIQUE INDEX staff_user_collar ON staff_user (collar_number) WHERE collar_number IS NOT NULL;

CREATE INDEX staff_session_user ON staff_session (user_id) WHERE ended_at IS NULL;

-- Append-only and chained: each record holds the SHA-256 of the one before, so an edited,
-- removed or inserted record breaks every hash after it (`victimcare audit verify`). Ids are
-- given in order under a lock, so the chain has no gaps.
CREATE TABLE audit_log (
    audit_id  BIGINT PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    case_id   BIGINT,
    victim_id BIGINT,
    reason    TEXT,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_case ON audit_log (case_id, audit_id);
CREATE INDEX audit_actor ON audit_log (actor, audit_id);
CREATE INDEX audit_at ON audit_log (at);
CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION append_only();

-- A call as the telephony platform saw it: for screen-pop and the capacity figures. The
-- caller's number is kept only as its lookup digest.
CREATE TABLE telephony_call (
    telephony_call_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_call_id  TEXT NOT NULL UNIQUE,
    queue             TEXT NOT NULL,
    caller_index      BIGINT,
    agent             TEXT,
    offered_at        TIMESTAMPTZ NOT NULL,
    -- offered, answered, abandoned
    outcome           TEXT NOT NULL,
    wait_seconds      INTEGER,
    talk_seconds      INTEGER,
    wrap_seconds      INTEGER,
    ended_at          TIMESTAMPTZ
);
CREATE INDEX telephony_call_offered ON telephony_call (offered_at);

-- A member of staff dealing with one victim of one case: on the phone, or working a task.
-- How the person was verified decides what may be said.
CREATE TABLE staff_call (
    call_id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id           BIGINT NOT NULL REFERENCES staff_user (user_id),
    case_id           BIGINT NOT NULL,
    victim_id         BIGINT NOT NULL,
    telephony_call_id BIGINT REFERENCES telephony_call (telephony_call_id),
    reason            TEXT,
    started_at        TIMESTAMPTZ NOT NULL,
    verification      TEXT,
    verified_at       TIMESTAMPTZ,
    failed_checks     INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (case_id, victim_id) REFERENCES case_victim (case_id, victim_id)
);
CREATE INDEX staff_call_victim ON staff_call (case_id, victim_id, started_at);

-- What staff told a victim and what happened. Never edited: a correction is a new entry
-- naming the one it corrects.
CREATE TABLE contact_log (
    entry_id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id    BIGINT NOT NULL,
    victim_id  BIGINT NOT NULL,
    call_id    BIGINT REFERENCES staff_call (call_id),
    contact_id BIGINT REFERENCES contact (contact_id),
    user_id    BIGINT NOT NULL REFERENCES staff_user (user_id),
    at         TIMESTAMPTZ NOT NULL,
    channel    TEXT NOT NULL,
    direction  TEXT NOT NULL,
    who        TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    told       TEXT NOT NULL,
    note       TEXT NOT NULL,
    follow_up  TEXT,
    corrects   BIGINT REFERENCES contact_log (entry_id),
    FOREIGN KEY (case_id, victim_id) REFERENCES case_victim (case_id, victim_id)
);
CREATE INDEX contact_log_victim ON contact_log (case_id, victim_id, entry_id);
CREATE TRIGGER contact_log_no_change BEFORE UPDATE OR DELETE ON contact_log
FOR EACH ROW EXECUTE FUNCTION append_only();

-- Work queues: who holds a task, what came of it, and when the victim would like the call.
ALTER TABLE task ADD COLUMN owner_id BIGINT REFERENCES staff_user (user_id);
ALTER TABLE task ADD COLUMN claimed_at TIMESTAMPTZ;
ALTER TABLE task ADD COLUMN outcome TEXT;
ALTER TABLE task ADD COLUMN closed_by TEXT;
ALTER TABLE task ADD COLUMN preferred_time TEXT;

-- Keyed digests (the first 64 bits of HMAC-SHA-256, as integers) of the phone number, email address and date of birth, so
-- search finds a victim without scanning or exposing the plain values. `lookup_key` names
-- the key that made them: rows made under another key are made again at start-up.
ALTER TABLE victim ADD COLUMN phone_index BIGINT;
ALTER TABLE victim ADD COLUMN email_index BIGINT;
ALTER TABLE victim ADD COLUMN dob_index BIGINT;
ALTER TABLE victim ADD COLUMN lookup_key TEXT;
CREATE INDEX victim_phone_index ON victim (phone_index) WHERE phone_index IS NOT NULL;
CREATE INDEX victim_email_index ON victim (email_index) WHERE email_index IS NOT NULL;
CREATE INDEX victim_dob_index ON victim (dob_index) WHERE dob_index IS NOT NULL;

-- An officer's own cases, found by the collar number of the officer in the case: a column
-- written with the case row (an index on an expression over the case's JSON would parse it
-- on every write).
ALTER TABLE crime_case ADD COLUMN officer_collar TEXT;
UPDATE crime_case SET officer_collar = state -> 'officer' ->> 'collar_number';
CREATE INDEX crime_case_officer ON crime_case (officer_collar) WHERE officer_collar IS NOT NULL;
