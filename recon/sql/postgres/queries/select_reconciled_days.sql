-- Business days reconciled by a daily run up to a date.
SELECT DISTINCT business_date FROM recon.balance_checks WHERE run_kind = 'daily' AND business_date <= :d ORDER BY business_date DESC LIMIT :n
