-- Several candidates: every pair is a proposal for a person to confirm, confidence shared among them.
INSERT INTO pairs
SELECT b_id, l_id, NULL, NULL, 'amount_date', CAST($proposal / greatest(nb, nl) AS DECIMAL(5, 4)), 'proposed', NULL
FROM candidates WHERE nb > 1 OR nl > 1
