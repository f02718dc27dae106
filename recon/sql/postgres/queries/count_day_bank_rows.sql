-- How many balance and entry rows the dates of a business day hold.
SELECT (SELECT count(*) FROM recon.bank_balances WHERE business_date = ANY(CAST(:ds AS date[]))) AS balances,
       (SELECT count(*) FROM recon.bank_entries WHERE business_date = ANY(CAST(:ds AS date[]))) AS entries
