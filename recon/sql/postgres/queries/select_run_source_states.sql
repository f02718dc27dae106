-- The read state of sources whose name matches a pattern: as this run recorded it, else as the partition's
-- latest run that read it (a backfill may read a source in one run and use what it read in another).
SELECT DISTINCT ON (s.key) s.key, s.value ->> 'state' AS state
FROM recon.runs r, jsonb_each(r.sources) s
WHERE r.partition_key = (SELECT partition_key FROM recon.runs WHERE run_id = :r) AND s.key LIKE :p
ORDER BY s.key, r.run_id = :r DESC, r.started_at DESC
