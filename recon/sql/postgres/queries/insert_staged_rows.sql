-- Staged rows into their table by natural key, when every column is part of the key.
WITH up AS (
  INSERT INTO recon.{table} AS t ({columns}) SELECT {columns} FROM _stage
  ON CONFLICT ({key}) DO NOTHING
  RETURNING (xmax = 0) AS ins
)
SELECT count(*) FILTER (WHERE ins), count(*) FILTER (WHERE NOT ins) FROM up
