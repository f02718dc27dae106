-- The rows of one table of the output store.
SELECT count(*) FROM recon.{table}
