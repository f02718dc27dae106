-- Keep only ledger rows no pass has settled yet.
CREATE OR REPLACE TEMP TABLE ledger_open AS
SELECT * FROM ledger_rest l ANTI JOIN (SELECT id FROM pass_ids WHERE side = 'L') p ON p.id = l.id
