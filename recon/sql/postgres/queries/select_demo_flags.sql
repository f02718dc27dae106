-- The demo week's open breakers and payout suspensions.
SELECT b.breaker_id, b.scope_type, b.scope_id, b.kind, b.tier, b.reason, b.opened_at, d.type,
       d.first_seen_partition
FROM recon.circuit_breakers b JOIN recon.discrepancies d USING (discrepancy_key)
WHERE b.status = 'open' AND (d.last_seen_partition = ANY(:keys) OR d.first_seen_partition = ANY(:keys))
ORDER BY b.kind, b.scope_type, b.scope_id
