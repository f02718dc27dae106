-- The demo's LTV positions of a partition.
SELECT credit_line_id, currency, debt, collateral_value, ltv, band FROM recon.ltv_positions WHERE partition_key = :p ORDER BY credit_line_id
