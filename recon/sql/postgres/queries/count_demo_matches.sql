-- The demo week's transaction matches per status.
SELECT status, count(*) AS n FROM recon.transaction_matches WHERE partition_key = ANY(:keys) GROUP BY status ORDER BY status
