-- How many daily balance checks a business day has: none means the day was not reconciled.
SELECT count(*) AS n FROM recon.balance_checks WHERE partition_key = :p AND run_kind = 'daily'
