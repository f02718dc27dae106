-- Booked notified movements of days up to :d (after :after) notified before :end, each entry once, with
-- when the bank notified it and its value date. Tier 1's copy is preferred, a file copy fills what it
-- lacks; a tier 1 entry takes its reference and value date from its file copy when the bank dropped one.
SELECT DISTINCT ON (statement_key, entry_seq) account, currency, direction, amount, business_date,
       notified_at, value_date, ref
FROM (
  SELECT n.statement_key, n.entry_seq, n.account, n.currency, n.direction, n.amount, n.business_date,
         n.notified_at, f.value_date, coalesce(f.entry_acct_svcr_ref, f.entry_ref) AS ref, 0 AS pref
  FROM recon.notification_entries n
  LEFT JOIN recon.bank_entries f ON f.entry_key = n.entry_key
  WHERE n.status = 'BOOK' AND n.business_date <= :d AND coalesce(n.notified_at, '-infinity') < :end
    AND n.business_date > :after
  UNION ALL
  SELECT e.statement_key, e.entry_seq, e.account, e.entry_currency, e.entry_direction, e.entry_amount,
         e.business_date, coalesce(s.statement_created_at, s.created_at), e.value_date,
         coalesce(e.entry_acct_svcr_ref, e.entry_ref), 1
  FROM recon.bank_entries e JOIN recon.bank_statements s USING (statement_key)
  WHERE e.message_type LIKE 'camt.054%' AND e.status = 'BOOK' AND e.business_date <= :d
    AND coalesce(s.statement_created_at, s.created_at) < :end
    AND e.business_date > :after
) m
ORDER BY statement_key, entry_seq, pref
