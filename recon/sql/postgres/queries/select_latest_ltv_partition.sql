-- The latest business day with LTV positions.
SELECT max(partition_key) AS p FROM recon.ltv_positions
