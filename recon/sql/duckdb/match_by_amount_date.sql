-- Candidates on amount, direction and a business-day window; how many each row has decides match or proposal.
CREATE OR REPLACE TEMP TABLE candidates AS
SELECT b.id AS b_id, l.id AS l_id, abs(b.bday - l.bday) AS gap,
       count(*) OVER (PARTITION BY b.id) AS nb, count(*) OVER (PARTITION BY l.id) AS nl
FROM bank_rest b
JOIN ledger_rest l ON l.account = b.account AND l.currency = b.currency AND l.samount = b.samount
WHERE abs(b.bday - l.bday) <= $window
