-- Each statement key of the ingested files with the digest of its content.
SELECT f.file_name, k.key, k.digest FROM recon.ingested_files f, unnest(f.statement_keys, coalesce(f.statement_digests, '{}'::text[])) AS k(key, digest) WHERE f.status = 'ingested'
