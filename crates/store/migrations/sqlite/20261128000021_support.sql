-- Support and the victim's voice: needs assessments (every version kept), referrals to support
-- agencies with their consent and outcome, and the satisfaction survey.

CREATE TABLE needs_assessment (
    assessment_id INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL,
    victim_id     INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    -- 'staff' (the full form) or 'victim' (the short one on their page).
    assessed_by   TEXT NOT NULL,
    -- The member of staff's sign-in name, or 'victim'.
    taken_by      TEXT NOT NULL,
    taken_at      TEXT NOT NULL,
    -- The answers as JSON: personal data, never logged.
    answers       TEXT NOT NULL,
    UNIQUE (case_id, victim_id, version),
    FOREIGN KEY (case_id, victim_id) REFERENCES case_victim (case_id, victim_id)
);

-- What the latest staff assessment says about enhanced rights, read by the Code engine with
-- the victim's details: 1 vulnerable, 2 intimidated, 4 persistently targeted.
ALTER TABLE victim ADD COLUMN assessed_factors INTEGER NOT NULL DEFAULT 0;

CREATE TABLE referral (
    referral_id    INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL,
    victim_id      INTEGER NOT NULL,
    -- The agency's id in the support directory.
    agency         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('sent', 'accepted', 'declined', 'closed')),
    basis          TEXT NOT NULL CHECK (basis IN ('consent', 'opt_out')),
    -- JSON lists: what the victim agreed the agency may see, and the help they asked for.
    shares         TEXT NOT NULL,
    needs          TEXT NOT NULL,
    safety_checked INTEGER NOT NULL,
    made_by        TEXT NOT NULL,
    made_at        TEXT NOT NULL,
    answered_at    TEXT,
    answered_by    TEXT,
    decline_reason TEXT,
    outcome        TEXT,
    outcome_note   TEXT,
    closed_at      TEXT,
    -- When the unanswered referral became a task.
    chased_at      TEXT,
    FOREIGN KEY (case_id, victim_id) REFERENCES case_victim (case_id, victim_id)
);
-- One open referral per victim and agency: a second would reach the agency twice.
CREATE UNIQUE INDEX referral_open ON referral (victim_id, agency)
    WHERE status IN ('sent', 'accepted');
CREATE INDEX referral_agency ON referral (agency, referral_id);
CREATE INDEX referral_waiting ON referral (made_at) WHERE status = 'sent';

-- The referral that met a support-referral obligation.
ALTER TABLE obligation ADD COLUMN referral_id INTEGER;

-- A key with scope 'agency' acts for this agency only.
ALTER TABLE api_key ADD COLUMN agency TEXT;

-- One invitation per victim, case and moment (six weeks after report, a charge decision, the
-- case's end), sent through the outbox like any message.
CREATE TABLE survey_invitation (
    invitation_id INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL,
    victim_id     INTEGER NOT NULL,
    moment        TEXT NOT NULL,
    invited_at    TEXT NOT NULL,
    -- No time is kept: it would link an anonymous response back to the invitation.
    answered      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (case_id, victim_id, moment),
    FOREIGN KEY (case_id, victim_id) REFERENCES case_victim (case_id, victim_id)
);
CREATE INDEX survey_invitation_victim ON survey_invitation (victim_id, invited_at);

-- A response. An anonymous one has no case, victim or staff member, and only the month: the
-- borough and crime type are kept for the breakdowns.
CREATE TABLE survey_response (
    response_id      INTEGER PRIMARY KEY,
    case_id          INTEGER,
    victim_id        INTEGER,
    moment           TEXT NOT NULL,
    channel          TEXT NOT NULL CHECK (channel IN ('portal', 'phone')),
    month            TEXT NOT NULL,
    borough          TEXT,
    offence          TEXT,
    ease_of_contact  INTEGER CHECK (ease_of_contact BETWEEN 1 AND 7),
    actions_taken    INTEGER CHECK (actions_taken BETWEEN 1 AND 7),
    kept_informed    INTEGER CHECK (kept_informed BETWEEN 1 AND 7),
    treatment        INTEGER CHECK (treatment BETWEEN 1 AND 7),
    whole_experience INTEGER CHECK (whole_experience BETWEEN 1 AND 7),
    comment          TEXT,
    recorded_by      TEXT,
    CHECK ((case_id IS NULL) = (victim_id IS NULL))
);
CREATE INDEX survey_response_month ON survey_response (month);
