-- Every pair the passes made, matched or proposed.
SELECT b_id, l_id, rev_b_id, rev_l_id, match_key, confidence, status, match_group FROM pairs
