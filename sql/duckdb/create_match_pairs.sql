-- Matched and proposed pairs: b_id/l_id, or two ids of one side for a reversal netted with its original.
CREATE OR REPLACE TEMP TABLE pairs (b_id BIGINT, l_id BIGINT, rev_b_id BIGINT, rev_l_id BIGINT,
    match_key VARCHAR, confidence DECIMAL(5, 4), status VARCHAR, match_group VARCHAR)
