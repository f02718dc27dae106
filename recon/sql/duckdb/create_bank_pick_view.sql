-- The bank rows the normalising view reads: before the UETR pass, every input row.
CREATE OR REPLACE TEMP VIEW bank_pick AS SELECT * FROM bank_in
