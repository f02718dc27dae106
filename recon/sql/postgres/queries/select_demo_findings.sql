-- The demo week's findings.
SELECT discrepancy_key, type, severity, status, scope_type, scope_id, natural_key, currency, amount, summary,
       first_seen_partition, last_seen_partition
FROM recon.discrepancies WHERE last_seen_partition = ANY(:keys) OR first_seen_partition = ANY(:keys)
ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'unknown' THEN 1 WHEN 'significant' THEN 2
                       WHEN 'minor' THEN 3 ELSE 4 END, type, scope_id, natural_key
