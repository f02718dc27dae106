"""The output store: every read and write of the suite's Postgres schema `recon`.

Statements live in recon/sql/postgres/queries/<verb>_<object>.sql, loaded by recon.sql; values are
always bound, and a schema, table or column name enters SQL text only through stores.identifiers.
Imports go one way: resources -> stores -> clients, settings, embedded, recon (no Dagster here).
"""
