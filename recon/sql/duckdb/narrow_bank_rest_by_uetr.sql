-- Open bank rows after the UETR pass: no UETR, or the only row carrying it (every other one was settled).
CREATE OR REPLACE TEMP VIEW bank_rest AS
SELECT * FROM bank_src WHERE uetr IS NULL OR id IN (SELECT id FROM kept WHERE match_key = 'uetr' AND side = 'B')
