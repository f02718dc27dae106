-- Breakers and payout suspensions for what was found, one open per scope and kind.
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
ON CONFLICT (scope_type, scope_id, kind) WHERE status = 'open' DO NOTHING
RETURNING b.breaker_id, b.scope_type, b.scope_id, b.kind, b.tier, b.reason
