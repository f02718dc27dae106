-- Keep only bank rows no pass has settled yet.
CREATE OR REPLACE TEMP TABLE bank_open AS
SELECT * FROM bank_rest b ANTI JOIN (SELECT id FROM pass_ids WHERE side = 'B') p ON p.id = b.id
