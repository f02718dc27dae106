-- A temporary staging table shaped like the columns written to a table of the output store.
CREATE TEMP TABLE {stage} ON COMMIT DROP AS SELECT {columns} FROM recon.{table} WITH NO DATA
