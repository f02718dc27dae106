-- Notifications once each by content hash, returns the hashes new to the store.
INSERT INTO recon.notifications (sha256, message_id, message_type, stream, stream_seq, subject, published_at,
                                 received_at, size_bytes, body)
SELECT sha256, message_id, message_type, stream, stream_seq, subject, published_at, received_at, size_bytes,
       decode(body, 'hex')
FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(sha256 text, message_id text, message_type text, stream text,
     stream_seq bigint, subject text, published_at timestamptz, received_at timestamptz, size_bytes int, body text)
ON CONFLICT (sha256) DO NOTHING RETURNING sha256
