-- Matched and proposed pairs: b_id/l_id, or two ids of one side for a reversal netted with its original.
CREATE OR REPLACE TEMP TABLE pairs (b_id UINTEGER, l_id UINTEGER, rev_b_id UINTEGER, rev_l_id UINTEGER,
    match_key VARCHAR, confidence DECIMAL(5, 4), status VARCHAR, match_group VARCHAR)
