-- A partition's balance checks per tier.
SELECT tier, count(*) AS n FROM recon.balance_checks WHERE partition_key = :p GROUP BY tier
