-- The files of one source that were quarantined, with the reason.
SELECT file_name, reason FROM recon.ingested_files WHERE source = :src AND status = 'quarantined'
ORDER BY file_name
