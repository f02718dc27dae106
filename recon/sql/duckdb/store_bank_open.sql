-- Open bank rows after the EndToEndId pass, stored once: the weaker passes read them several times.
CREATE OR REPLACE TEMP TABLE bank_open AS
SELECT * FROM bank_rest
WHERE e2e IS NULL OR id IN (SELECT id FROM kept WHERE match_key = 'end_to_end_id' AND side = 'B')
