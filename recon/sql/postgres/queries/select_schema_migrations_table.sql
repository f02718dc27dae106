-- Whether the output store's migrations table exists yet (NULL: no migration was ever applied).
SELECT to_regclass('recon.schema_migrations')
