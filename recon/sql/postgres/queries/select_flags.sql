-- Breakers and payout suspensions, open ones only unless all are asked for, of one scope when given.
SELECT breaker_id, scope_type, scope_id, kind, tier, status, reason, discrepancy_key,
       opened_at, cleared_by, cleared_reason, cleared_at FROM recon.circuit_breakers
WHERE (:all OR status = 'open') AND (CAST(:scope AS text) IS NULL OR scope_id = :scope)
ORDER BY opened_at, breaker_id
