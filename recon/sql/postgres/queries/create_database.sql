-- The suite's database on the embedded server ({} is its name, composed by psycopg.sql).
CREATE DATABASE {}
