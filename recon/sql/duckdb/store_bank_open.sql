-- Open bank rows after the UETR pass, normalised and stored once: the Parquet or Arrow input is not scanned
-- again; the EndToEndId pass and the weaker ones read and shrink this table.
CREATE OR REPLACE TEMP TABLE bank_open AS SELECT * FROM bank_src
