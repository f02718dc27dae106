-- Open ledger rows after the UETR pass: no UETR, or the only row carrying it (every other one was settled).
CREATE OR REPLACE TEMP VIEW ledger_rest AS
SELECT * FROM ledger_src WHERE uetr IS NULL OR id IN (SELECT id FROM kept WHERE match_key = 'uetr' AND side = 'L')
