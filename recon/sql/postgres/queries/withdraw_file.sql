-- A bank file that stops counting, with who and why.
UPDATE recon.ingested_files SET status = 'withdrawn', withdrawn_by = :b, withdrawn_reason = :r, withdrawn_at = now() WHERE file_sha256 = :s AND file_name = :n AND status = 'ingested'
