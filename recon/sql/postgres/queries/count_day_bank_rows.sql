-- How many balance and entry rows a business date holds.
SELECT (SELECT count(*) FROM recon.bank_balances WHERE business_date = :d) AS balances,
       (SELECT count(*) FROM recon.bank_entries WHERE business_date = :d) AS entries
