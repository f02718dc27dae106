-- The entries of the camt.052 reports of :d created before :end, each entry once (a bank's reports may
-- repeat the day's entries): what the latest report's balance already holds, with reference and value date.
SELECT DISTINCT ON (e.account, e.entry_currency,
                    coalesce(e.entry_acct_svcr_ref, e.entry_ref, e.statement_key || '#' || e.entry_seq))
       e.account, e.entry_currency AS currency, coalesce(e.entry_acct_svcr_ref, e.entry_ref) AS ref,
       e.entry_direction AS direction, e.entry_amount AS amount, e.value_date, e.status
FROM recon.bank_entries e
JOIN recon.bank_statements s USING (statement_key)
WHERE s.message_type LIKE 'camt.052%' AND s.business_date = :d
  AND coalesce(s.statement_created_at, s.created_at) < :end
ORDER BY e.account, e.entry_currency,
         coalesce(e.entry_acct_svcr_ref, e.entry_ref, e.statement_key || '#' || e.entry_seq),
         coalesce(s.statement_created_at, s.created_at) DESC
