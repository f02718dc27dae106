-- Key hits for the bank-reference pass: AcctSvcrRef, InstrId or TxId against the ledger's bank reference.
CREATE OR REPLACE TEMP TABLE key_hits AS
SELECT DISTINCT 'B' AS side, id, account, currency, is_rev, k, samount
FROM (SELECT id, account, currency, is_rev, samount, unnest([ref1, ref2, ref3]) AS k FROM bank_rest)
WHERE k IS NOT NULL AND k IN (SELECT ref1 FROM ledger_rest WHERE ref1 IS NOT NULL)
UNION ALL
SELECT 'L' AS side, id, account, currency, is_rev, ref1 AS k, samount FROM ledger_rest WHERE ref1 IS NOT NULL
