-- The read state of a run's sources whose name matches a pattern.
SELECT key, value ->> 'state' AS state FROM recon.runs, jsonb_each(sources) WHERE run_id = :r AND key LIKE :p
