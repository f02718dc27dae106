-- Staged rows into their table by natural key; a row changes only when its text differs (250.00 vs 250.000).
WITH up AS (
  INSERT INTO recon.{table} AS t ({columns}) SELECT {columns} FROM _stage
  ON CONFLICT ({key}) DO UPDATE SET ({changing}) = ROW({incoming})
  WHERE ROW({current})::text IS DISTINCT FROM ROW({incoming})::text
  RETURNING (xmax = 0) AS ins
)
SELECT count(*) FILTER (WHERE ins), count(*) FILTER (WHERE NOT ins) FROM up
