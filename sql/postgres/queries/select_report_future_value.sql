-- Per account and currency, the signed booked camt.052 entries of :d reported up to the latest report
-- created before :end, each entry once (a bank's reports may repeat the day's entries), whose value date
-- is after :d: in the report's balance, yet in transit.
WITH reports AS (
  SELECT s.statement_key, s.account, coalesce(s.statement_created_at, s.created_at) AS cutoff
  FROM recon.bank_statements s
  WHERE s.message_type LIKE 'camt.052%' AND s.business_date = :d
    AND coalesce(s.statement_created_at, s.created_at) < :end
), entries AS (
  SELECT DISTINCT ON (e.account, e.entry_currency,
                      coalesce(e.entry_acct_svcr_ref, e.entry_ref, e.statement_key || '#' || e.entry_seq))
         e.account, e.entry_currency AS currency, e.entry_direction, e.entry_amount, e.value_date, e.status
  FROM recon.bank_entries e JOIN reports r USING (statement_key)
  ORDER BY e.account, e.entry_currency,
           coalesce(e.entry_acct_svcr_ref, e.entry_ref, e.statement_key || '#' || e.entry_seq), r.cutoff DESC
)
SELECT account, currency,
       sum(CASE WHEN entry_direction = 'DBIT' THEN -entry_amount ELSE entry_amount END) AS amount
FROM entries
WHERE status = 'BOOK' AND value_date > :d
GROUP BY account, currency
