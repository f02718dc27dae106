-- One row of the audit log.
INSERT INTO recon.audit_log (actor, action, subject, details) VALUES (:a, :act, :s, CAST(:d AS jsonb))
