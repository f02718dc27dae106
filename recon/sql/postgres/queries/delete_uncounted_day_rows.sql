-- The dates of a business day: their rows of statements that counted at its last load and no longer do.
DELETE FROM recon.{table} t
WHERE t.business_date = ANY(CAST(:ds AS date[])) AND t.statement_key = ANY(CAST(:gone AS text[]))
