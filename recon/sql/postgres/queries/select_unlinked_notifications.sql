-- Notified entries of the last days, of the given accounts, not linked to another day's statement.
SELECT {columns} FROM recon.bank_entries e
WHERE e.message_type NOT LIKE 'camt.053.%' AND e.account = ANY(CAST(:a AS text[]))
  AND e.business_date BETWEEN CAST(:d AS date) - :w AND CAST(:d AS date)
  AND NOT EXISTS (SELECT 1 FROM recon.bank_entry_links l
                  WHERE l.notification_entry_key = e.entry_key AND l.business_date <> CAST(:d AS date))
