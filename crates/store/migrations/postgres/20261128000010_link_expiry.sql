-- A victim's link stops working on this date even if nobody reissues it: a card lost years
-- later must not open a case. Links issued before this column existed never expire.
ALTER TABLE portal_access ADD COLUMN expires_at TIMESTAMPTZ;
