-- The difference each account's last statement closed with: the daily balance check of that business date.
SELECT account, currency, business_date AS closed_on, diff AS baseline_diff
FROM recon.balance_checks
WHERE run_kind = 'daily' AND business_date = ANY(:dates) AND tier <> 'unknown' AND diff IS NOT NULL
