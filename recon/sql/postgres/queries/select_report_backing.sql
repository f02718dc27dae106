-- Backing per token and scope (all, then each chain) of one partition.
SELECT token, scope, circulating, reserves, ratio, tier FROM recon.backing_checks
WHERE partition_key = :p ORDER BY token, scope = 'all' DESC, scope
