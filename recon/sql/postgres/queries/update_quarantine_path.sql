-- Where a quarantined file was moved, recorded once.
UPDATE recon.ingested_files SET quarantine_path = :w WHERE file_sha256 = :s AND file_name = :n AND quarantine_path IS NULL
