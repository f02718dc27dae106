-- Repayments, pass 1: same creditor reference, currency and amount; repeats of one reference paired in date order.
WITH b AS (
    SELECT entry_key, currency, amount, upper(replace(creditor_ref, ' ', '')) AS ref,
           row_number() OVER (PARTITION BY upper(replace(creditor_ref, ' ', '')), currency, amount
                              ORDER BY booking_date, entry_key) AS n
    FROM bank_open
    WHERE creditor_ref IS NOT NULL AND trim(creditor_ref) <> ''
), l AS (
    SELECT repayment_id, credit_line_id, currency, amount, upper(replace(creditor_reference, ' ', '')) AS ref,
           row_number() OVER (PARTITION BY upper(replace(creditor_reference, ' ', '')), currency, amount
                              ORDER BY value_date, repayment_id) AS n
    FROM ledger_open
    WHERE creditor_reference IS NOT NULL AND trim(creditor_reference) <> ''
)
SELECT b.entry_key, l.repayment_id, l.credit_line_id, b.currency, 'creditor_reference' AS match_key,
       b.amount AS bank_amount, l.amount AS ledger_amount, true AS amounts_agree
FROM b
JOIN l ON b.ref = l.ref AND b.currency = l.currency AND b.amount = l.amount AND b.n = l.n
ORDER BY b.entry_key
