-- Breakers and payout suspensions opened by :last and still open, or opened from :first to :last.
SELECT b.breaker_id, b.scope_type, b.scope_id, b.kind, b.tier, b.status, b.reason, b.opened_at, d.type,
       d.first_seen_partition, recon.flag_business_date(b.opened_by_run_id, b.discrepancy_key) AS opened_on
FROM recon.circuit_breakers b LEFT JOIN recon.discrepancies d USING (discrepancy_key)
WHERE recon.flag_business_date(b.opened_by_run_id, b.discrepancy_key) <= :last
  AND (b.status = 'open' OR recon.flag_business_date(b.opened_by_run_id, b.discrepancy_key) >= :first)
ORDER BY b.kind, b.scope_type, b.scope_id
