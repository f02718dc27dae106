-- A ledger reversal nets out the original it names (reversal_of) when neither is matched to the bank.
INSERT INTO pairs
SELECT NULL, o.id, NULL, r.id, 'reversal', $confidence, 'confirmed', NULL
FROM ledger_rest r
JOIN ledger_rest o ON o.txn_id = r.reversal_of AND o.account = r.account AND o.currency = r.currency
WHERE NOT o.is_rev AND o.samount = -r.samount
QUALIFY count(*) OVER (PARTITION BY r.id) = 1 AND count(*) OVER (PARTITION BY o.id) = 1
