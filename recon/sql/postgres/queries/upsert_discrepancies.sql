-- What a detector found, upserted by key: a later partition's view wins, a backfill of an older one only
-- widens first and last seen (partitions compare by recon.partition_rank: a day after its intraday windows).
WITH cleared AS (
  -- Seen before the statement runs: findings the data had cleared and that are back now alert again.
  SELECT d.discrepancy_key FROM recon.discrepancies d JOIN _found f USING (discrepancy_key)
  WHERE d.resolution = 'cleared_by_data'
), up AS (
  INSERT INTO recon.discrepancies AS d (discrepancy_key, type, detector, scope_type, scope_id, natural_key,
      severity, action, currency, amount, summary, details, first_seen_partition, last_seen_partition,
      first_run_id, last_run_id, last_seen_cutoff)
  SELECT discrepancy_key, type, :detector, scope_type, scope_id, natural_key, severity, action, currency,
         amount, summary, details::jsonb, :p, :p, :run, :run, CAST(:cutoff AS timestamptz)
  FROM _found
  ON CONFLICT (discrepancy_key) DO UPDATE SET
      severity = CASE WHEN recon.partition_rank(EXCLUDED.last_seen_partition) >= recon.partition_rank(d.last_seen_partition) THEN EXCLUDED.severity ELSE d.severity END,
      action = CASE WHEN recon.partition_rank(EXCLUDED.last_seen_partition) >= recon.partition_rank(d.last_seen_partition) THEN EXCLUDED.action ELSE d.action END,
      amount = CASE WHEN recon.partition_rank(EXCLUDED.last_seen_partition) >= recon.partition_rank(d.last_seen_partition) THEN EXCLUDED.amount ELSE d.amount END,
      summary = CASE WHEN recon.partition_rank(EXCLUDED.last_seen_partition) >= recon.partition_rank(d.last_seen_partition) THEN EXCLUDED.summary ELSE d.summary END,
      details = CASE WHEN recon.partition_rank(EXCLUDED.last_seen_partition) >= recon.partition_rank(d.last_seen_partition) THEN EXCLUDED.details ELSE d.details END,
      detector = EXCLUDED.detector,
      first_seen_partition = CASE WHEN recon.partition_rank(EXCLUDED.first_seen_partition)
                                       < recon.partition_rank(d.first_seen_partition)
                                  THEN EXCLUDED.first_seen_partition ELSE d.first_seen_partition END,
      last_seen_partition = CASE WHEN recon.partition_rank(EXCLUDED.last_seen_partition) >= recon.partition_rank(d.last_seen_partition) THEN EXCLUDED.last_seen_partition ELSE d.last_seen_partition END,
      last_seen_at = now(),
      last_run_id = EXCLUDED.last_run_id,
      last_seen_cutoff = GREATEST(d.last_seen_cutoff, EXCLUDED.last_seen_cutoff),
      times_reopened = d.times_reopened + CASE WHEN d.resolution = 'cleared_by_data' THEN 1 ELSE 0 END,
      -- found again after the data had cleared it: open again; people's own statuses stay.
      status = CASE WHEN d.resolution = 'cleared_by_data' THEN 'open' ELSE d.status END,
      status_note = CASE WHEN d.resolution = 'cleared_by_data' THEN NULL ELSE d.status_note END,
      status_by = CASE WHEN d.resolution = 'cleared_by_data' THEN NULL ELSE d.status_by END,
      status_at = CASE WHEN d.resolution = 'cleared_by_data' THEN NULL ELSE d.status_at END,
      resolution = CASE WHEN d.resolution = 'cleared_by_data' THEN NULL ELSE d.resolution END
  RETURNING (xmax = 0) AS ins, d.discrepancy_key, d.type, d.severity, d.summary, d.scope_type, d.scope_id
)
SELECT count(*) FILTER (WHERE ins) AS inserted, count(*) FILTER (WHERE NOT ins) AS updated,
       coalesce(jsonb_agg(jsonb_build_object('discrepancy_key', discrepancy_key, 'type', type,
                'severity', severity, 'summary', summary, 'scope_type', scope_type, 'scope_id', scope_id))
                FILTER (WHERE (ins OR discrepancy_key IN (SELECT discrepancy_key FROM cleared))
                        AND (severity = 'critical' OR type = 'source_unavailable')), '[]') AS alerts
FROM up
