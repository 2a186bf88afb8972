-- The victims' panel: volunteers for focus and advisory groups, the sessions staff arrange,
-- and who was invited to each. Withdrawing deletes the volunteer and every invitation of
-- theirs in one transaction: they are on no list from that moment.

CREATE TABLE panel_member (
    victim_id     BIGINT PRIMARY KEY REFERENCES victim (victim_id),
    -- The case they joined from: its crime type, borough and phase are the criteria.
    case_id       BIGINT NOT NULL REFERENCES crime_case (case_id),
    joined_at     TIMESTAMPTZ NOT NULL,
    -- JSON list of focus_group, advisory_group, online, in_person.
    activities    TEXT NOT NULL,
    -- The way they asked to be invited (a channel); checked against their safe ways each time.
    contact_by    TEXT NOT NULL,
    accessibility TEXT,
    -- Optional, in their own words.
    gender        TEXT,
    ethnicity     TEXT
);

CREATE TABLE panel_session (
    session_id  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title       TEXT NOT NULL,
    activity    TEXT NOT NULL,
    held_on     DATE NOT NULL,
    places      INTEGER NOT NULL,
    criteria    TEXT NOT NULL,
    balance_by  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE panel_invitation (
    session_id BIGINT NOT NULL REFERENCES panel_session (session_id),
    victim_id  BIGINT NOT NULL,
    grp        TEXT NOT NULL,
    PRIMARY KEY (session_id, victim_id)
);
CREATE INDEX panel_invitation_victim ON panel_invitation (victim_id);
