-- Whether the read-only analyst role exists on the embedded server.
SELECT 1 FROM pg_roles WHERE rolname = 'recon_analyst'
