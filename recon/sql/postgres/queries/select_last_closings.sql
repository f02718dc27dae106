-- Each account's last camt.053 closing before a day.
SELECT DISTINCT ON (account, currency) account, currency, closing_balance AS balance, business_date AS closed_on
FROM recon.bank_statements
WHERE message_type LIKE 'camt.053%' AND business_date < :d AND closing_balance IS NOT NULL
  AND (CAST(:a AS text) IS NULL OR account = :a)
ORDER BY account, currency, business_date DESC, coalesce(statement_created_at, created_at) DESC NULLS LAST
