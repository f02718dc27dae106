-- One entry against its batch's items whose sums disagree beyond tolerance: amount_mismatch on the batch.
INSERT INTO findings
SELECT 'amount_mismatch', g.account, g.currency, 'batch:' || g.k, g.b_amount, g.l_amount,
       (SELECT list(h.id ORDER BY h.id) FROM key_hits h WHERE h.side = 'B' AND h.account = g.account
          AND h.currency = g.currency AND h.k = g.k),
       (SELECT list(h.id ORDER BY h.id) FROM key_hits h WHERE h.side = 'L' AND h.account = g.account
          AND h.currency = g.currency AND h.k = g.k),
       'batch'
FROM key_groups g
WHERE ((g.nb = 1 AND g.nl >= 1) OR (g.nl = 1 AND g.nb >= 1))
  AND abs(g.b_amount - g.l_amount) > greatest($tol_abs, abs(g.b_amount) * $tol_pct / 100)
