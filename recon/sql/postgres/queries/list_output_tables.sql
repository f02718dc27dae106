-- The output store's tables, but the migrations' own.
SELECT table_name FROM information_schema.tables WHERE table_schema = 'recon'
  AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY 1
