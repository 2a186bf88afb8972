-- An obligation kept, as JSON, the reasons for its victim's enhanced rights and the event that
-- set the case facts they were judged on: about 110 bytes, nearly half of each row, at more
-- than one obligation per event. Now the reasons are a JSON list of names ("[]" for standard
-- rights) and the event is named by two short columns; when it happened is read
-- from the event itself (events are never deleted). Readers put the same JSON back together.
ALTER TABLE obligation ADD COLUMN facts_source TEXT;
ALTER TABLE obligation ADD COLUMN facts_event TEXT;
UPDATE obligation
SET facts_source = json_extract(reasons, '$.case_facts_set_by.source'),
    facts_event = json_extract(reasons, '$.case_facts_set_by.event'),
    reasons = COALESCE(json_extract(reasons, '$.reasons'), '[]')
WHERE json_type(reasons) = 'object';
