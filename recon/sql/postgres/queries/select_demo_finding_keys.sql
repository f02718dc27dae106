-- Findings first or last seen on a demo partition.
SELECT discrepancy_key FROM recon.discrepancies WHERE first_seen_partition = ANY(:keys) OR last_seen_partition = ANY(:keys)
