-- The file's modification time (ns) when it was registered: a file still there with the same name, size
-- and mtime is the file registered, so a scan need not read it again to hash it.
ALTER TABLE recon.ingested_files ADD COLUMN IF NOT EXISTS mtime_ns bigint;
