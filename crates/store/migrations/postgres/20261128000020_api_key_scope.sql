-- What each key may do: `feed` (the crime recording system's events and contacts, and the
-- reports read with them: every key made before scopes existed) or `telephony` (calls and
-- screen-pop, which look victims up by phone number). One scope per key: least privilege.
ALTER TABLE api_key ADD COLUMN scope TEXT NOT NULL DEFAULT 'feed';
