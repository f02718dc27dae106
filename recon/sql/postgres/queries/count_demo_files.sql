-- Files of one source by their end state (ingested, quarantined, ...).
SELECT status, count(*) AS n FROM recon.ingested_files WHERE source = :src GROUP BY status ORDER BY status
