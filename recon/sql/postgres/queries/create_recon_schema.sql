-- The output store's schema.
CREATE SCHEMA IF NOT EXISTS recon
