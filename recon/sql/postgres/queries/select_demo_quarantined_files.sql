-- The demo's quarantined files and why.
SELECT file_name, reason FROM recon.ingested_files WHERE source = :src AND status = 'quarantined' ORDER BY file_name
