-- Once stored, the open ledger rows are read from the table (which each later pass shrinks).
CREATE OR REPLACE TEMP VIEW ledger_rest AS SELECT * FROM ledger_open
