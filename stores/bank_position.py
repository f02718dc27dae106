"""The bank position inside a business day, as the intraday job and tier 1 both compute it: the last
camt.053 closing balance before the day plus the booked camt.054 movements since, each movement once
whether it came as a file or over JetStream (a notification is one entry: statement_key + entry_seq)."""

from __future__ import annotations

# Per account and currency: the last closing balance strictly before :d.
LAST_CLOSING = """
SELECT DISTINCT ON (account, currency) account, currency, closing_balance AS balance, business_date AS closed_on
FROM recon.bank_statements
WHERE message_type LIKE 'camt.053%' AND business_date < :d AND closing_balance IS NOT NULL
  AND (CAST(:a AS text) IS NULL OR account = :a)
ORDER BY account, currency, business_date DESC, coalesce(statement_created_at, created_at) DESC NULLS LAST
"""

# Booked notified movements up to :d notified before :end, from files and from tier 1, each entry once.
# :after (nullable) skips what is not newer than the oldest last statement: the cost follows what is new.
# Tier 1's copy is preferred (it is what the listener checked); a file copy only fills what it lacks.
BOOKED_SINCE = """
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
"""

# How many booked notifications tier 1 holds for a day before :end (the intraday job reports it).
TIER1_HELD = """
SELECT count(*) AS n FROM recon.notification_entries
WHERE status = 'BOOK' AND business_date = :d AND coalesce(notified_at, '-infinity') < :end
"""
