-- The search indexes whose values are scattered (digests of phone numbers, email addresses and
-- dates of birth; officers' collar numbers) are keyed first by the row's block of 65,536 ids.
-- Keyed by the value alone, each new victim or case landed on a random page, so a batch of a
-- few thousand new rows touched nearly every page of these indexes and every commit wrote them
-- out again whole: a third of all the bytes an import wrote. New rows now land in the newest
-- block only; a search seeks once per block (about forty in a London year).
DROP INDEX victim_phone_index;
DROP INDEX victim_email_index;
DROP INDEX victim_dob_index;
DROP INDEX crime_case_officer;
CREATE INDEX victim_phone_index ON victim (victim_id >> 16, phone_index)
    WHERE phone_index IS NOT NULL;
CREATE INDEX victim_email_index ON victim (victim_id >> 16, email_index)
    WHERE email_index IS NOT NULL;
CREATE INDEX victim_dob_index ON victim (victim_id >> 16, dob_index)
    WHERE dob_index IS NOT NULL;
CREATE INDEX crime_case_officer ON crime_case (case_id >> 16, officer_collar)
    WHERE officer_collar IS NOT NULL;
