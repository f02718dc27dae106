-- Read-only analyst access, re-applied after every upgrade so new tables and views are covered.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'recon_analyst') THEN
        CREATE ROLE recon_analyst LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA recon TO recon_analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA recon TO recon_analyst;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA recon FROM recon_analyst;
REVOKE CREATE ON SCHEMA recon FROM recon_analyst;
ALTER DEFAULT PRIVILEGES IN SCHEMA recon GRANT SELECT ON TABLES TO recon_analyst;
