-- Each account's last camt.053 closing balance of a business day.
SELECT DISTINCT ON (account, currency) account, currency, closing_balance AS balance
FROM recon.bank_statements
WHERE business_date = :d AND message_type LIKE 'camt.053%' AND closing_balance IS NOT NULL
ORDER BY account, currency, created_at DESC NULLS LAST, statement_key DESC
