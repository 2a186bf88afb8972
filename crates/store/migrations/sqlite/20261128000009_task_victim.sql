-- A victim's open tasks, looked up on every page of their portal (is a callback waiting?).
CREATE INDEX task_victim_open ON task (case_id, victim_id, kind) WHERE closed_at IS NULL;
