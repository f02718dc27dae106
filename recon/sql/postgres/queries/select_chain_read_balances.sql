-- The balances one partition's read of a chain's asset holds.
SELECT holder, balance_raw FROM recon.chain_balances WHERE partition_key = :p AND chain = :chain AND asset = :asset
