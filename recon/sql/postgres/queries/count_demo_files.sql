-- The demo's drop-folder files per status.
SELECT status, count(*) AS n FROM recon.ingested_files WHERE source = :src GROUP BY status ORDER BY status
