-- One discrepancy with its details.
SELECT discrepancy_key, type, severity, status, scope_type, scope_id, currency, amount, summary,
       first_seen_partition, last_seen_partition, status_by, status_note, resolution, detector, details
FROM recon.discrepancies WHERE discrepancy_key = :k
