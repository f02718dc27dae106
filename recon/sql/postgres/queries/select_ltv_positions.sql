-- A business day's LTV positions, worst band first, only the given bands when any are given.
SELECT credit_line_id, currency, debt, collateral_value, yield_cushion_value, collateral_value_with_cushion, ltv,
       ltv_with_cushion, threshold_watch, threshold_margin_call, threshold_partial_liquidation,
       threshold_full_liquidation, band, liquidation_value, topup_value, effective_target_ltv, reason, assets,
       stellar_ledger, cutoff, run_id
FROM recon.ltv_positions
WHERE partition_key = :p AND (CAST(:bands AS text[]) IS NULL OR band = ANY(:bands))
ORDER BY CASE band WHEN 'full_liquidation' THEN 0 WHEN 'partial_liquidation' THEN 1 WHEN 'unknown' THEN 2
         WHEN 'margin_call' THEN 3 WHEN 'watch' THEN 4 ELSE 5 END, ltv DESC NULLS FIRST, credit_line_id
