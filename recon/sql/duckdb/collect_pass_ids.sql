-- Rows a pass has settled (matched, proposed or found in a discrepancy), to take out of the open sets.
CREATE OR REPLACE TEMP TABLE pass_ids AS
SELECT 'B' AS side, b_id AS id FROM pairs WHERE match_key = $match_key AND b_id IS NOT NULL
UNION ALL SELECT 'B', rev_b_id FROM pairs WHERE match_key = $match_key AND rev_b_id IS NOT NULL
UNION ALL SELECT 'L', l_id FROM pairs WHERE match_key = $match_key AND l_id IS NOT NULL
UNION ALL SELECT 'L', rev_l_id FROM pairs WHERE match_key = $match_key AND rev_l_id IS NOT NULL
UNION ALL SELECT 'B', unnest(bank_ids) FROM findings WHERE match_key = $match_key
UNION ALL SELECT 'L', unnest(ledger_ids) FROM findings WHERE match_key = $match_key
