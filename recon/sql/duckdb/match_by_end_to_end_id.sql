-- Key hits for the EndToEndId pass (NOTPROVIDED was already turned into no id); a view: read twice.
CREATE OR REPLACE TEMP VIEW id_hits AS
SELECT 'B' AS side, id, account, currency, is_rev, e2e AS k, samount FROM bank_rest WHERE e2e IS NOT NULL
UNION ALL
SELECT 'L' AS side, id, account, currency, is_rev, e2e AS k, samount FROM ledger_rest WHERE e2e IS NOT NULL
