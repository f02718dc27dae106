-- A business date's rows of statements that counted at its last load and no longer do.
DELETE FROM recon.{table} t
WHERE t.business_date = CAST(:d AS date) AND t.statement_key = ANY(CAST(:gone AS text[]))
