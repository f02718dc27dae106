-- The dates of a business day: their entries per currency: how many (an entry's rows counted once), their signed total and
-- the finest scale the bank sent among them (amounts are stored at the scale sent).
WITH e AS (
    SELECT DISTINCT ON (statement_key, entry_seq) entry_currency, entry_direction, entry_amount
    FROM recon.bank_entries WHERE business_date = ANY(CAST(:ds AS date[])) ORDER BY statement_key, entry_seq
)
SELECT entry_currency AS currency, count(*) AS entries,
       coalesce(sum(CASE WHEN entry_direction = 'DBIT' THEN -entry_amount ELSE entry_amount END), 0) AS total,
       max(scale(entry_amount)) AS scale
FROM e GROUP BY entry_currency ORDER BY entry_currency
