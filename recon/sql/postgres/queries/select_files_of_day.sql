-- Files of a drop folder ingested for the dates of a business day, with their statements.
SELECT file_sha256, file_name, statement_keys, statement_digests FROM recon.ingested_files WHERE status = 'ingested' AND source = :src AND business_dates && CAST(:ds AS date[]) ORDER BY ingested_at, file_name
