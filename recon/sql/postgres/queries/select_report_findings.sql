-- Findings seen on a business day for the report.
SELECT discrepancy_key, type, severity, status, scope_type, scope_id, natural_key, currency, amount, summary,
       first_seen_partition, last_seen_partition
FROM recon.discrepancies
WHERE left(first_seen_partition, 10)::date <= :d AND left(last_seen_partition, 10)::date >= :d
ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'unknown' THEN 1 WHEN 'significant' THEN 2
                       WHEN 'minor' THEN 3 ELSE 4 END, type, scope_id, natural_key
