-- The demo's backing checks of a partition.
SELECT token, scope, circulating, reserves, ratio, tier FROM recon.backing_checks WHERE partition_key = :p ORDER BY token, scope = 'all' DESC, scope
