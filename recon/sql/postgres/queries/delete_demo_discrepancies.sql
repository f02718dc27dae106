-- The demo's findings: first or last seen on a demo partition.
DELETE FROM recon.discrepancies WHERE discrepancy_key IN (SELECT discrepancy_key FROM recon.discrepancies WHERE first_seen_partition = ANY(:keys) OR last_seen_partition = ANY(:keys))
