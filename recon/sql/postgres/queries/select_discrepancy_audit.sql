-- A discrepancy's audit trail, oldest first.
SELECT at, actor, action, details FROM recon.audit_log WHERE subject = :k ORDER BY at
