-- Backing ratio per token over the report's days.
SELECT partition_key, token, ratio, tier FROM recon.backing_checks WHERE scope = 'all' AND partition_key = ANY(:keys) ORDER BY token, partition_key
