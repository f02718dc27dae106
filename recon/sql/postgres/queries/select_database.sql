-- Whether the embedded server holds the suite's database (psycopg placeholder: its name).
SELECT 1 FROM pg_database WHERE datname = %(name)s
