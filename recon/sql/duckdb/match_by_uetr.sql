-- Key hits for the UETR pass: every open row with a UETR, originals and reversals kept apart (a view: read twice).
CREATE OR REPLACE TEMP VIEW id_hits AS
SELECT 'B' AS side, id, account, currency, is_rev, uetr AS k, samount FROM bank_rest WHERE uetr IS NOT NULL
UNION ALL
SELECT 'L' AS side, id, account, currency, is_rev, uetr AS k, samount FROM ledger_rest WHERE uetr IS NOT NULL
