-- A detector's open findings that a complete read of the partition no longer finds.
UPDATE recon.discrepancies d
SET status = 'resolved', resolution = 'cleared_by_data', status_by = 'system', status_at = now(),
    status_note = 'no longer found in partition ' || :p || ' (run ' || :run || ')'
WHERE d.detector = :detector AND d.status = ANY(:open_statuses)
  AND recon.partition_rank(d.last_seen_partition) <= recon.partition_rank(:p)
  AND (d.last_seen_cutoff IS NULL OR d.last_seen_cutoff <= CAST(:cutoff AS timestamptz))
  AND NOT EXISTS (SELECT 1 FROM _found f WHERE f.discrepancy_key = d.discrepancy_key)
