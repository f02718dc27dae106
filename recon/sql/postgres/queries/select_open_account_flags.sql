-- An account's open breakers and payout suspensions.
SELECT breaker_id, kind FROM recon.circuit_breakers
WHERE scope_type = 'account' AND scope_id = :a AND status = 'open'
ORDER BY (kind = 'circuit_breaker') DESC, breaker_id
