-- From the first settled pass on, the open bank rows are the stored ones.
CREATE OR REPLACE TEMP VIEW bank_rest AS SELECT * FROM bank_open
