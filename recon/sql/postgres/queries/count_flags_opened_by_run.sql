-- Breakers and payout suspensions a run opened, per kind.
SELECT kind, count(*) AS n FROM recon.circuit_breakers WHERE opened_by_run_id = :r GROUP BY kind ORDER BY kind
