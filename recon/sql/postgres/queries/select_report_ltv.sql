-- A business day's LTV positions for the report.
SELECT credit_line_id, currency, debt, collateral_value, yield_cushion_value, ltv, ltv_with_cushion, band FROM recon.ltv_positions WHERE partition_key = :p ORDER BY credit_line_id
