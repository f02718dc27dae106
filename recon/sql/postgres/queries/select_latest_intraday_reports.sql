-- Per account and currency, the latest camt.052 report of :d created before :end: its booked balance
-- (ITBD, or CLBD when the report closes the day; the last one the report holds) at the report's cut-off.
SELECT DISTINCT ON (s.account, b.currency)
       s.account, b.currency, b.amount AS balance, s.statement_key AS report_key,
       coalesce(s.statement_created_at, s.created_at) AS cutoff
FROM recon.bank_statements s
JOIN recon.bank_balances b USING (statement_key)
WHERE s.message_type LIKE 'camt.052%' AND s.business_date = :d
  AND b.balance_type IN ('ITBD', 'CLBD')
  AND coalesce(s.statement_created_at, s.created_at) < :end
ORDER BY s.account, b.currency, coalesce(s.statement_created_at, s.created_at) DESC, s.statement_key DESC,
         b.position DESC
