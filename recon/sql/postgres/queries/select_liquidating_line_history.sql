-- LTV history up to a partition of the lines in a liquidating band in it.
SELECT partition_key, credit_line_id, band, cutoff, assets FROM recon.ltv_positions
WHERE partition_key <= :p AND credit_line_id IN (
    SELECT credit_line_id FROM recon.ltv_positions WHERE partition_key = :p AND band = ANY(:bands))
ORDER BY credit_line_id, partition_key
