-- The embedded server reads pg_hba.conf again (local sign-ins now need a password).
SELECT pg_reload_conf()
