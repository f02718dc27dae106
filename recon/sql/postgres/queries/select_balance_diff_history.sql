-- Balance differences per account over the report's days.
SELECT business_date, account, currency, diff, pct, tier FROM recon.balance_checks WHERE run_kind = 'daily' AND business_date = ANY(:days) ORDER BY account, business_date
