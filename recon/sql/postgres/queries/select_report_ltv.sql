-- Per credit line of one business day: debt, collateral, the yield cushion apart, LTV with and without it, band.
SELECT credit_line_id, currency, debt, collateral_value, yield_cushion_value, ltv, ltv_with_cushion, band
FROM recon.ltv_positions WHERE partition_key = :p ORDER BY credit_line_id
