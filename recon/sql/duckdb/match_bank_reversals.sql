-- A bank reversal nets out its original bank entry (same references, opposite amount) when neither is matched.
INSERT INTO pairs
SELECT o.id, NULL, r.id, NULL, 'reversal', $confidence, 'confirmed', NULL
FROM bank_rest r
JOIN bank_rest o ON o.account = r.account AND o.currency = r.currency AND o.samount = -r.samount
WHERE r.is_rev AND NOT o.is_rev AND o.bday <= r.bday
  AND (o.uetr = r.uetr OR o.e2e = r.e2e OR o.ref1 = r.ref1 OR o.ref2 = r.ref2 OR o.ref3 = r.ref3)
QUALIFY count(*) OVER (PARTITION BY r.id) = 1 AND count(*) OVER (PARTITION BY o.id) = 1
