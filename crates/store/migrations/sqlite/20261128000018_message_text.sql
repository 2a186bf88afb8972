-- Administrators' wording of the messages to victims, over the translation files' defaults.
-- Every change is a new row (who, when, what), so what a victim was sent can be traced; a row
-- with no text puts the file's wording back.
CREATE TABLE message_text (
    text_id INTEGER PRIMARY KEY,
    lang    TEXT NOT NULL,
    key     TEXT NOT NULL,
    text    TEXT,
    set_at  TEXT NOT NULL,
    set_by  TEXT NOT NULL
);
CREATE INDEX message_text_key ON message_text (lang, key, text_id);
