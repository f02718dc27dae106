-- From the first settled pass on, the open ledger rows are the stored ones.
CREATE OR REPLACE TEMP VIEW ledger_rest AS SELECT * FROM ledger_open
