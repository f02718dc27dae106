-- Open ledger rows after the UETR pass (no UETR, or the only row carrying it), stored once: the Parquet or
-- Arrow input is not scanned again; the EndToEndId pass and the weaker ones read and shrink this table.
CREATE OR REPLACE TEMP TABLE ledger_open AS
SELECT * FROM ledger_src WHERE uetr IS NULL OR id IN (SELECT id FROM kept WHERE match_key = 'uetr' AND side = 'L')
