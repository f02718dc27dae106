-- The analyst role's password and attributes again (its password a psycopg.sql literal).
ALTER ROLE recon_analyst LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}
