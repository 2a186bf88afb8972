-- When the provider said the message reached the phone or mailbox (text messages and Notify
-- email report it; SMTP does not, so an email counts once the server takes it).
ALTER TABLE message ADD COLUMN delivered_at TEXT;
