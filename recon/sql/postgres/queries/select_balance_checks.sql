-- A partition's balance checks.
SELECT * FROM recon.balance_checks WHERE partition_key = :p
