-- The ledger rows the normalising view reads: before the UETR pass, every input row.
CREATE OR REPLACE TEMP VIEW ledger_pick AS SELECT * FROM ledger_in
