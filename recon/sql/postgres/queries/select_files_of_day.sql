-- Files of a drop folder ingested for a business day, with their statements.
SELECT file_sha256, file_name, statement_keys, statement_digests FROM recon.ingested_files WHERE status = 'ingested' AND source = :src AND CAST(:d AS date) = ANY(business_dates) ORDER BY ingested_at, file_name
