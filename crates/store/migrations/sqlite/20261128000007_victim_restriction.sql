-- Ways a victim told us are not safe, from their own page. Their own record, apart from the
-- details the crime recording system sends: a later feed update cannot make a way safe
-- again. Only a person, after checking with the victim, lifts one.
CREATE TABLE victim_restriction (
    restriction_id INTEGER PRIMARY KEY,
    victim_id      INTEGER NOT NULL REFERENCES victim (victim_id),
    channel        TEXT NOT NULL,
    set_at         TEXT NOT NULL,
    set_by         TEXT NOT NULL,
    lifted_at      TEXT,
    lifted_by      TEXT
);
CREATE INDEX victim_restriction_victim ON victim_restriction (victim_id) WHERE lifted_at IS NULL;
