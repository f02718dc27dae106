-- Who holds the migrations lock, for the error message.
SELECT a.pid, a.usename, a.application_name, a.xact_start
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.relation = 'recon.schema_migrations'::regclass AND l.granted AND l.pid <> pg_backend_pid()
