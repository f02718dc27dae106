-- Every file ingested or quarantined, by hash and name.
SELECT file_sha256, file_name, status FROM recon.ingested_files
