-- Rule sets an administrator loaded, each in force from its effective date. The built-in
-- `vcop-2021/1` is always there and needs no row. Append-only: a correction is a new version.
CREATE TABLE rule_set (
    rule_set_row_id INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    version         INTEGER NOT NULL,
    effective_from  TEXT NOT NULL,
    body            TEXT NOT NULL,
    loaded_by       TEXT NOT NULL,
    loaded_at       TEXT NOT NULL,
    UNIQUE (name, version)
);
