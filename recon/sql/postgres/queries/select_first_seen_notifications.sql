-- Where each already stored notification was first seen.
SELECT sha256, stream || '/' || subject || '#' || stream_seq AS name FROM recon.notifications
WHERE sha256 = ANY(CAST(:shas AS text[]))
