-- The embedded server's owner signs in with its password (the password a psycopg.sql literal).
ALTER ROLE postgres PASSWORD {}
