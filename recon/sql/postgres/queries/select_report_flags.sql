-- Breakers and payout suspensions for the report.
SELECT b.breaker_id, b.scope_type, b.scope_id, b.kind, b.tier, b.status, d.type,
       recon.flag_business_date(b.opened_by_run_id, b.discrepancy_key) AS opened_on
FROM recon.circuit_breakers b LEFT JOIN recon.discrepancies d USING (discrepancy_key)
WHERE recon.flag_business_date(b.opened_by_run_id, b.discrepancy_key) <= :d
  AND (b.status = 'open' OR recon.flag_business_date(b.opened_by_run_id, b.discrepancy_key) = :d)
ORDER BY b.kind, b.scope_type, b.scope_id
