-- Every file ingested or quarantined, by hash and name, with what identifies it unread (source, size, mtime).
SELECT file_sha256, file_name, status, source, size_bytes, mtime_ns FROM recon.ingested_files
