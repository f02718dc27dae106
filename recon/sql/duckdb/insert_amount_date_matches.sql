-- Exactly one candidate on each side: confirmed, more confident when booked the same business day.
INSERT INTO pairs
SELECT b_id, l_id, NULL, NULL, 'amount_date', CASE WHEN gap = 0 THEN $same_day ELSE $within_window END,
       'confirmed', NULL
FROM candidates WHERE nb = 1 AND nl = 1
