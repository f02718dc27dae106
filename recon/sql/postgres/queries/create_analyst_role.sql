-- The read-only analyst role on the embedded server (its password a psycopg.sql literal).
CREATE ROLE recon_analyst LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}
