-- The last camt.053 closing per reserve account and business date.
SELECT DISTINCT ON (account, business_date) account, currency, business_date, closing_balance FROM recon.bank_statements WHERE account = ANY(:accounts) AND business_date <= :d AND closing_balance IS NOT NULL ORDER BY account, business_date, (message_type LIKE 'camt.053%') DESC, created_at DESC NULLS LAST
