-- The victim's own access to their case: a link (its token hashed here) for one victim in one
-- case, a second factor before anything personal is shown, and sessions after that.
CREATE TABLE portal_access (
    access_id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         BIGINT NOT NULL,
    victim_id       BIGINT NOT NULL,
    -- SHA-256 of the link's 256-bit random token: the token itself is never stored.
    token_hash      TEXT NOT NULL UNIQUE,
    issued_at       TIMESTAMPTZ NOT NULL,
    issued_by       TEXT NOT NULL,
    -- Reissuing revokes the previous link.
    revoked_at      TIMESTAMPTZ,
    -- Wrong second factors in a row; kept here so a lockout holds across instances and restarts.
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMPTZ,
    FOREIGN KEY (case_id, victim_id) REFERENCES case_victim (case_id, victim_id)
);
CREATE INDEX portal_access_victim ON portal_access (case_id, victim_id);

CREATE TABLE portal_session (
    session_hash TEXT PRIMARY KEY,
    access_id    BIGINT NOT NULL REFERENCES portal_access (access_id),
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    ended_at     TIMESTAMPTZ
);

-- Every attempt to verify, for audit. No token, date or address: only which access (when the
-- token matched one) and what happened.
CREATE TABLE portal_attempt (
    attempt_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    access_id  BIGINT REFERENCES portal_access (access_id),
    at         TIMESTAMPTZ NOT NULL,
    outcome    TEXT NOT NULL
);
