-- One entry against all items of its batch (either way round), sums agreeing within tolerance: confirmed.
INSERT INTO pairs
SELECT b.id, l.id, NULL, NULL, 'batch', $confidence, 'confirmed', g.k
FROM key_groups g
JOIN key_hits b ON b.side = 'B' AND b.account = g.account AND b.currency = g.currency AND b.k = g.k
JOIN key_hits l ON l.side = 'L' AND l.account = g.account AND l.currency = g.currency AND l.k = g.k
WHERE ((g.nb = 1 AND g.nl >= 1) OR (g.nl = 1 AND g.nb >= 1))
  AND abs(g.b_amount - g.l_amount) <= greatest($tol_abs, abs(g.b_amount) * $tol_pct / 100)
