-- What no pass settled: in transit within its timing window, missing on the other side after it.
SELECT 'B' AS side, CAST(id AS BIGINT) AS id, bday(CAST($as_of AS DATE)) - bday AS age,
       CASE WHEN bday(CAST($as_of AS DATE)) - bday <= $timing THEN 'in_transit' ELSE 'missing_in_ledger' END AS state
FROM bank_rest
UNION ALL
SELECT 'L' AS side, CAST(id AS BIGINT) AS id, bday(CAST($as_of AS DATE)) - bday AS age,
       CASE WHEN bday(CAST($as_of AS DATE)) - bday <= $timing THEN 'in_transit' ELSE 'missing_at_bank' END AS state
FROM ledger_rest
