-- Each notification as an ingested or quarantined file.
INSERT INTO recon.ingested_files (file_sha256, file_name, source, status, reason, message_type, message_id,
    business_date, business_dates, size_bytes, duplicate_of, entries, quarantine_path, run_id)
SELECT sha, name, source, status, reason, mtype, mid, bd, CAST(bds AS date[]), size, dup, entries, qpath, run
FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(sha text, name text, source text, status text, reason text,
     mtype text, mid text, bd date, bds text, size bigint, dup text, entries int, qpath text, run text)
ON CONFLICT (file_sha256, file_name) DO NOTHING
