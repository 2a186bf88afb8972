-- An obligation is owed to a victim of its case. The foreign key said so by checking each new
-- row against case_victim and locking the link row it found: at more than a million
-- obligations an hour that was two fifths of writing them. Ingest and the scheduler now check
-- every obligation of a batch against case_victim in one query, in the same transaction,
-- before writing any (store::bulk); nothing deletes or re-keys a link, so a check when the
-- obligation is made holds for its whole life. SQLite keeps its key: there the check is an
-- index probe without a lock, and a small share of the write.
ALTER TABLE obligation DROP CONSTRAINT obligation_case_victim;
