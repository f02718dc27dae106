-- Statement files ingested for the dates of a business day, with their content hash.
SELECT file_name, file_sha256 FROM recon.ingested_files
WHERE status = 'ingested' AND business_dates && CAST(:ds AS date[]) ORDER BY file_name
