-- Rows of the statements just read again that the new read no longer holds (an anti-join on the stage).
DELETE FROM recon.{table} t
WHERE t.business_date = ANY(CAST(:ds AS date[])) AND t.statement_key = ANY(CAST(:k AS text[]))
  AND NOT EXISTS (SELECT 1 FROM _stage s WHERE ({stage_key}) = ({table_key}))
