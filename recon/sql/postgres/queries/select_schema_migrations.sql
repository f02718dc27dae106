-- The migrations applied so far.
SELECT * FROM recon.schema_migrations
