-- Listener processes' rows not updated for the retention period (a live listener updates its own row as it runs).
DELETE FROM recon.listener_status
WHERE updated_at < now() - make_interval(days => CAST(:days AS integer))
