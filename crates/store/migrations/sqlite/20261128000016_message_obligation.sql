-- A message made for one obligation rather than an event: the periodic update ("no news, we
-- are still working on it"), queued for the morning before it is due and not sent if someone
-- has updated the victim by then.
ALTER TABLE message ADD COLUMN obligation_id INTEGER REFERENCES obligation (obligation_id);
