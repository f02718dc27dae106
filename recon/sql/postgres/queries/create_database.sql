-- The suite's database on the embedded server (its name composed by psycopg.sql).
CREATE DATABASE {}
