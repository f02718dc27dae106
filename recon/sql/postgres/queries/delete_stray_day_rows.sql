-- The dates of a business day: their rows of any statement outside the counted ones (a day loaded before choices were kept).
DELETE FROM recon.{table} t
WHERE t.business_date = ANY(CAST(:ds AS date[])) AND t.statement_key <> ALL(CAST(:counted AS text[]))
