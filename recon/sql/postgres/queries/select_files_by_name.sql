-- Ingested or withdrawn files of one name, the latest first.
SELECT file_sha256, file_name, status, business_dates, source FROM recon.ingested_files WHERE file_name = :n AND status IN ('ingested', 'withdrawn') ORDER BY ingested_at
