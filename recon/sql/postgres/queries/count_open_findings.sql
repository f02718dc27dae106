-- Findings still open after a partition, by type and severity.
SELECT type, severity, count(*) AS n FROM recon.discrepancies
WHERE last_seen_partition = :p AND status = ANY(:open_statuses) GROUP BY 1, 2 ORDER BY 1, 2
