-- A key value carried by one row only settles nothing: that row stays open for the weaker passes.
INSERT INTO kept
SELECT $match_key, CASE WHEN nb = 1 THEN 'B' ELSE 'L' END, coalesce(b_id, l_id) FROM key_groups WHERE nb + nl = 1
