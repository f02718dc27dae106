-- Key hits for the batch pass: bank batch / payment-information id against the ledger's batch id.
CREATE OR REPLACE TEMP TABLE key_hits AS
SELECT 'B' AS side, id, account, currency, false AS is_rev, batch_id AS k, samount
FROM bank_rest WHERE batch_id IS NOT NULL
UNION ALL
SELECT 'L' AS side, id, account, currency, false AS is_rev, batch_id AS k, samount
FROM ledger_rest WHERE batch_id IS NOT NULL
