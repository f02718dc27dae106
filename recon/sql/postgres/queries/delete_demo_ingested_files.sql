-- The demo's files: from its drop folder, or with the content of one of its files.
DELETE FROM recon.ingested_files WHERE source = :src OR file_sha256 = ANY(:shas)
