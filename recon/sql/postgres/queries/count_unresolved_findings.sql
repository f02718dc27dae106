-- Findings of a partition not resolved, per type.
SELECT type, count(*) AS n FROM recon.discrepancies WHERE last_seen_partition = :p AND status <> 'resolved' GROUP BY type ORDER BY type
