-- The PIN a victim chose for their own page, per victim in a case, so reissuing the link keeps
-- it. Argon2id hash only. Once a PIN is set, the date of birth no longer opens the page.
CREATE TABLE portal_pin (
    case_id   BIGINT NOT NULL,
    victim_id BIGINT NOT NULL,
    pin_hash  TEXT NOT NULL,
    set_at    TIMESTAMPTZ NOT NULL,
    -- "victim" from their own page, or the member of staff who set it on the victim's word.
    set_by    TEXT NOT NULL,
    PRIMARY KEY (case_id, victim_id),
    FOREIGN KEY (case_id, victim_id) REFERENCES case_victim (case_id, victim_id)
);

-- What victims tell us about the service, from their own page (and later surveys).
CREATE TABLE feedback (
    feedback_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     BIGINT NOT NULL,
    victim_id   BIGINT NOT NULL,
    given_at    TIMESTAMPTZ NOT NULL,
    channel     TEXT NOT NULL,
    -- 1 (very unhappy) to 5 (very happy) with how we kept them informed.
    rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    -- Their own words, if any: personal data, never logged.
    comment     TEXT,
    FOREIGN KEY (case_id, victim_id) REFERENCES case_victim (case_id, victim_id)
);
CREATE INDEX feedback_given ON feedback (given_at);
