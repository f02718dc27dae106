-- Discrepancies worst first, each filter applied only when given (no status: the open ones, 'all': every one).
SELECT discrepancy_key, type, severity, status, scope_type, scope_id, currency, amount, summary,
       first_seen_partition, last_seen_partition, status_by, status_note, resolution, detector
FROM recon.discrepancies
WHERE CASE WHEN CAST(:status AS text) IS NULL THEN status = ANY(:open_statuses)
           WHEN :status = 'all' THEN true ELSE status = :status END
  AND (CAST(:type AS text) IS NULL OR type = :type)
  AND (CAST(:severity AS text) IS NULL OR severity = :severity)
  AND (CAST(:scope_id AS text) IS NULL OR scope_id = :scope_id)
ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'unknown' THEN 1 WHEN 'significant' THEN 2 WHEN 'minor' THEN 3
         ELSE 4 END, last_seen_partition DESC, discrepancy_key
LIMIT :lim
