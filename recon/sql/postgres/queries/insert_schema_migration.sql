-- A migration recorded as applied, with its checksum.
INSERT INTO recon.schema_migrations (version, name, checksum) VALUES (:v, :n, :c)
