-- Drift figures of the given intraday windows, only where that window's balance check is known.
SELECT p.partition_key, p.account, p.currency, p.basis, p.value_diff, p.baseline_diff, p.drift
FROM recon.intraday_positions p
JOIN recon.balance_checks c USING (partition_key, account, currency)
WHERE p.partition_key = ANY(:windows) AND c.tier <> 'unknown'
