-- The last :n business days with a daily reconciliation, at or before :d.
SELECT DISTINCT business_date FROM recon.balance_checks WHERE run_kind = 'daily' AND business_date <= :d
ORDER BY business_date DESC LIMIT :n
