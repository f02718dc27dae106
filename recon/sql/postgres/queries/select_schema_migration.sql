-- Whether a migration is applied already.
SELECT 1 FROM recon.schema_migrations WHERE version = :v
