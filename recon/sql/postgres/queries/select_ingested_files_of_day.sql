-- Statement files ingested for a business day, with their content hash.
SELECT file_name, file_sha256 FROM recon.ingested_files
WHERE status = 'ingested' AND CAST(:d AS date) = ANY(business_dates) ORDER BY file_name
