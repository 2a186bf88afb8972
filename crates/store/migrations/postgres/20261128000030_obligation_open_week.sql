-- The open obligations were indexed by due date. A batch of a London hour's events makes
-- obligations due on two hundred or more different days, and each day's entries end at a
-- different place in that index: every batch changed a page for each of those days. Indexed
-- by the week they are due instead (weeks counted from 1 January 1970, as `store::obligations::due_week`
-- does, and as SQLite's index counts them), a batch writes at the end of a few dozen runs.
-- The breach pass takes the earliest weeks first and checks the exact date of each (reading
-- the current week's open obligations to do so); a list of what is due sorts the open
-- obligations of the weeks it asks about.
DROP INDEX obligation_open_due;
CREATE INDEX obligation_open_week ON obligation (((due_on - DATE '1970-01-01') / 7))
WHERE status = 'open';
