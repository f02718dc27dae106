-- Open bank rows after the EndToEndId pass: no EndToEndId, or the only row carrying it.
CREATE OR REPLACE TEMP TABLE bank_open AS
SELECT * FROM bank_open WHERE e2e IS NULL OR id IN (SELECT id FROM kept WHERE match_key = 'end_to_end_id' AND side = 'B')
