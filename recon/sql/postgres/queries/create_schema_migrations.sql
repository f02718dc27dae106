-- The migrations' own table.
CREATE TABLE IF NOT EXISTS recon.schema_migrations ( version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
