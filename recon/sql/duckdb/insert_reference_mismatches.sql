-- Bank references with differing amounts: amount_mismatch, unless a row was matched or is ambiguous.
INSERT INTO findings
SELECT 'amount_mismatch', account, currency, $match_key || ':' || k || CASE WHEN is_rev THEN ':reversal' ELSE '' END,
       b_amount, l_amount, [b_id], [l_id], $match_key
FROM key_groups
WHERE nb = 1 AND nl = 1 AND abs(b_amount - l_amount) > greatest($tol_abs, abs(b_amount) * $tol_pct / 100)
  AND b_id NOT IN (SELECT b_id FROM pairs WHERE match_key = $match_key)
  AND l_id NOT IN (SELECT l_id FROM pairs WHERE match_key = $match_key)
QUALIFY count(*) OVER (PARTITION BY b_id) = 1 AND count(*) OVER (PARTITION BY l_id) = 1
