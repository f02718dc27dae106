-- The overall backing ratio per token on the given partitions.
SELECT partition_key, token, ratio, tier FROM recon.backing_checks
WHERE scope = 'all' AND partition_key = ANY(:keys) ORDER BY token, partition_key
