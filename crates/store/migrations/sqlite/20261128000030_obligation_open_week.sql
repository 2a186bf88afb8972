-- The open obligations were indexed by due date. A batch of a London hour's events makes
-- obligations due on two hundred or more different days, and each day's entries end at a
-- different place in that index: every batch rewrote a page for each of those days, and the
-- index cost more than the rest of an obligation's insert and commit together. Indexed by
-- the week they are due instead (weeks counted from 1 January 1970, as `store::obligations::due_week`
-- does), a batch writes at the end of a few dozen runs. The breach pass takes the earliest
-- weeks first and checks the exact date of each (reading the current week's open obligations
-- to do so); a list of what is due sorts the open obligations of the weeks it asks about.
DROP INDEX obligation_open_due;
CREATE INDEX obligation_open_week ON obligation ((unixepoch(due_on) / 604800))
WHERE status = 'open';
