-- Wrong answers over the link's whole life. The count in a row starts again after a right
-- answer; this one does not, so a guesser who waits between the victim's own visits still
-- runs out of tries.
ALTER TABLE portal_access ADD COLUMN total_failures INTEGER NOT NULL DEFAULT 0;
