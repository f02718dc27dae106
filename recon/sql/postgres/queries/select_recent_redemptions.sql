-- One business day's redemption log as audited, newest first.
SELECT redemption_key, chain, redeemed_at, user_address, amount, reserve_before, reserve_after, test_mode,
       coalesce(status, 'completed') AS status, tx_hash, onchain, problems
FROM recon.redemption_audit
WHERE partition_key = :p
ORDER BY redeemed_at DESC NULLS LAST, redemption_key
LIMIT :n
