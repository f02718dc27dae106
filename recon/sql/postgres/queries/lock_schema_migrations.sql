-- Concurrent upgrades take turns on this lock (the analyst role cannot take it).
LOCK TABLE recon.schema_migrations IN EXCLUSIVE MODE
