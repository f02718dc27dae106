-- The demo's flags: those of findings first or last seen on a demo partition.
DELETE FROM recon.circuit_breakers WHERE discrepancy_key IN (SELECT discrepancy_key FROM recon.discrepancies WHERE first_seen_partition = ANY(:keys) OR last_seen_partition = ANY(:keys))
