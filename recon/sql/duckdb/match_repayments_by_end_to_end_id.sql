-- Repayments, pass 2: same EndToEndId (never NOTPROVIDED) and currency, the id once on each side; amounts compared.
WITH b AS (
    SELECT entry_key, currency, amount, end_to_end_id,
           count(*) OVER (PARTITION BY end_to_end_id) AS seen
    FROM bank_open
    WHERE end_to_end_id IS NOT NULL AND upper(trim(end_to_end_id)) NOT IN ('', 'NOTPROVIDED')
), l AS (
    SELECT repayment_id, credit_line_id, currency, amount, end_to_end_id,
           count(*) OVER (PARTITION BY end_to_end_id) AS seen
    FROM ledger_open
    WHERE end_to_end_id IS NOT NULL AND upper(trim(end_to_end_id)) NOT IN ('', 'NOTPROVIDED')
)
SELECT b.entry_key, l.repayment_id, l.credit_line_id, b.currency, 'end_to_end_id' AS match_key,
       b.amount AS bank_amount, l.amount AS ledger_amount, b.amount = l.amount AS amounts_agree
FROM b
JOIN l ON b.end_to_end_id = l.end_to_end_id AND b.currency = l.currency
WHERE b.seen = 1 AND l.seen = 1
ORDER BY b.entry_key
