-- A breaker or payout suspension cleared by a person.
UPDATE recon.circuit_breakers SET status = 'cleared', cleared_by = :b, cleared_reason = :r, cleared_at = now() WHERE breaker_id = :id AND status = 'open' RETURNING breaker_id, scope_type, scope_id, kind
