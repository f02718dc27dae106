-- Bank references: as key matches, but a row reached through two references to two rows is left open.
INSERT INTO pairs
SELECT b_id, l_id, NULL, NULL, $match_key, $confidence, 'confirmed', NULL
FROM (SELECT DISTINCT b_id, l_id, b_amount, l_amount FROM key_groups WHERE nb = 1 AND nl = 1)
WHERE abs(b_amount - l_amount) <= greatest($tol_abs, abs(b_amount) * $tol_pct / 100)
QUALIFY count(*) OVER (PARTITION BY b_id) = 1 AND count(*) OVER (PARTITION BY l_id) = 1
