-- Entries booked since an account's last closing (notifications and statements, once each).
SELECT DISTINCT ON (statement_key, entry_seq) statement_key, entry_seq, account, currency, direction, amount,
       business_date
FROM (
  SELECT n.statement_key, n.entry_seq, n.account, n.currency, n.direction, n.amount, n.business_date, 0 AS pref
  FROM recon.notification_entries n
  WHERE n.status = 'BOOK' AND n.business_date <= :d AND coalesce(n.notified_at, '-infinity') < :end
    AND (CAST(:a AS text) IS NULL OR n.account = :a)
    AND (CAST(:after AS date) IS NULL OR n.business_date > :after)
  UNION ALL
  SELECT e.statement_key, e.entry_seq, e.account, e.entry_currency, e.entry_direction, e.entry_amount,
         e.business_date, 1
  FROM recon.bank_entries e JOIN recon.bank_statements s USING (statement_key)
  WHERE e.message_type LIKE 'camt.054%' AND e.status = 'BOOK' AND e.business_date <= :d
    AND coalesce(s.statement_created_at, s.created_at) < :end
    AND (CAST(:a AS text) IS NULL OR e.account = :a)
    AND (CAST(:after AS date) IS NULL OR e.business_date > :after)
) m
ORDER BY statement_key, entry_seq, pref
