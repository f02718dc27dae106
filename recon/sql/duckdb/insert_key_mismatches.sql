-- One row on each side share the key but the signed amounts differ beyond tolerance: amount_mismatch.
INSERT INTO findings
SELECT 'amount_mismatch', account, currency, $match_key || ':' || k || CASE WHEN is_rev THEN ':reversal' ELSE '' END,
       b_amount, l_amount, [b_id], [l_id], $match_key
FROM key_groups
WHERE nb = 1 AND nl = 1 AND abs(b_amount - l_amount) > greatest($tol_abs, abs(b_amount) * $tol_pct / 100)
