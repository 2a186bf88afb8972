-- Ways a victim told us are not safe, from their own page. Their own record, apart from the
-- details the crime recording system sends: a later feed update cannot make a way safe
-- again. Only a person, after checking with the victim, lifts one.
CREATE TABLE victim_restriction (
    restriction_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    victim_id      BIGINT NOT NULL REFERENCES victim (victim_id),
    channel        TEXT NOT NULL,
    set_at         TIMESTAMPTZ NOT NULL,
    set_by         TEXT NOT NULL,
    lifted_at      TIMESTAMPTZ,
    lifted_by      TEXT
);
CREATE INDEX victim_restriction_victim ON victim_restriction (victim_id) WHERE lifted_at IS NULL;
