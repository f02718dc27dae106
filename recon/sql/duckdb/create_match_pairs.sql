-- Matched and proposed pairs: b_id/l_id, or two ids of one side for a reversal netted with its original.
-- Pass and status as enums: one byte per pair instead of a string.
CREATE OR REPLACE TEMP TABLE pairs (b_id UINTEGER, l_id UINTEGER, rev_b_id UINTEGER, rev_l_id UINTEGER,
    match_key ENUM('uetr', 'end_to_end_id', 'bank_reference', 'batch', 'reversal', 'amount_date'),
    confidence DECIMAL(5, 4), status ENUM('confirmed', 'proposed'), match_group VARCHAR)
