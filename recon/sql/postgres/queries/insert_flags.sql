-- Breakers and payout suspensions for what was found, one open per scope and kind. An open flag's tier and
-- reason are those of its finding's first sighting: a backfill of an earlier day that sees it first (days
-- run newest first or side by side) gives it that day's, as running the days in order would have.
WITH up AS (
  INSERT INTO recon.circuit_breakers AS b (scope_type, scope_id, kind, tier, reason, discrepancy_key,
                                           opened_by_run_id)
  SELECT DISTINCT ON (f.scope_type, f.scope_id, k.kind)
         f.scope_type, f.scope_id, k.kind, f.severity, f.summary, f.discrepancy_key, :run
  FROM _found f
  JOIN recon.discrepancies d USING (discrepancy_key)
  CROSS JOIN LATERAL (SELECT CASE f.action WHEN 'circuit_breaker' THEN 'circuit_breaker'
                                           ELSE 'payout_suspension' END AS kind) k
  WHERE f.action IN ('circuit_breaker', 'suspend_payouts') AND d.status <> 'resolved'
  ORDER BY f.scope_type, f.scope_id, k.kind, f.discrepancy_key
  ON CONFLICT (scope_type, scope_id, kind) WHERE status = 'open' DO UPDATE SET
      tier = EXCLUDED.tier, reason = EXCLUDED.reason
  WHERE b.discrepancy_key = EXCLUDED.discrepancy_key AND (b.tier, b.reason) <> (EXCLUDED.tier, EXCLUDED.reason)
    AND EXISTS (SELECT 1 FROM recon.discrepancies x WHERE x.discrepancy_key = EXCLUDED.discrepancy_key
                AND x.first_seen_partition = :p)
  RETURNING (b.xmax = 0) AS opened, b.breaker_id, b.scope_type, b.scope_id, b.kind, b.tier, b.reason
)
SELECT breaker_id, scope_type, scope_id, kind, tier, reason FROM up WHERE opened
