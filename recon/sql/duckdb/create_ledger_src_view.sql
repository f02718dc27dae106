-- Before any pass every ledger row is open.
CREATE OR REPLACE TEMP VIEW ledger_rest AS SELECT * FROM ledger_src
