-- One row on each side share the key and agree on the signed amount within tolerance: confirmed.
INSERT INTO pairs
SELECT b_id, l_id, NULL, NULL, $match_key, $confidence, 'confirmed', NULL
FROM key_groups
WHERE nb = 1 AND nl = 1 AND abs(b_amount - l_amount) <= greatest($tol_abs, abs(b_amount) * $tol_pct / 100)
