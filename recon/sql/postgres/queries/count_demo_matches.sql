-- Bank-ledger matches in the given partitions by status (confirmed, proposed, ...).
SELECT status, count(*) AS n FROM recon.transaction_matches WHERE partition_key = ANY(:keys)
GROUP BY status ORDER BY status
