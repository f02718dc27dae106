-- The dates of a business day: their statement (camt.053) entries of some accounts, with the keys notifications link on.
SELECT {columns} FROM recon.bank_entries e
WHERE e.business_date = ANY(CAST(:ds AS date[])) AND e.message_type LIKE 'camt.053.%'
  AND e.account = ANY(CAST(:a AS text[])) AND e.statement_key = ANY(CAST(:k AS text[]))
