-- Before any pass every bank row is open.
CREATE OR REPLACE TEMP VIEW bank_rest AS SELECT * FROM bank_src
