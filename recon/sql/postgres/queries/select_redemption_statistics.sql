-- Per chain, real redemptions (not test mode, not refused) of one audited day: the amounts' largest scale
-- (an average is given at it), the largest amount, distinct users and the last one.
SELECT chain,
       max(scale(amount)) AS amount_scale,
       max(amount) AS largest_amount,
       count(DISTINCT lower(user_address)) AS users,
       max(redeemed_at) AS last_redeemed_at
FROM recon.redemption_audit
WHERE partition_key = :p AND NOT test_mode AND coalesce(status, 'completed') <> 'refused'
GROUP BY chain
ORDER BY chain
