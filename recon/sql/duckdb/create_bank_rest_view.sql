-- Once stored, the open bank rows are read from the table (which each later pass shrinks).
CREATE OR REPLACE TEMP VIEW bank_rest AS SELECT * FROM bank_open
