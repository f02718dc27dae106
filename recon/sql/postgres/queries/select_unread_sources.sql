-- What a partition did not read completely, and the verdicts it left unknown.
SELECT 'chain read' AS what, chain || ':' || asset AS key, coalesce(error, status) AS why
FROM recon.chain_reads WHERE partition_key = :p AND status <> 'complete'
UNION ALL
SELECT 'unknown verdict', scope_type || ':' || scope_id || ':' || natural_key, summary
FROM recon.discrepancies
WHERE type = 'source_unavailable' AND last_seen_partition = :p AND status = ANY(:open_statuses)
UNION ALL
SELECT 'source ' || (s.value ->> 'state'), s.key, coalesce(s.value ->> 'reason', '')
FROM recon.runs r, jsonb_each(r.sources) s
WHERE r.run_id = :run AND s.value ->> 'state' <> 'complete'
ORDER BY 1, 2
