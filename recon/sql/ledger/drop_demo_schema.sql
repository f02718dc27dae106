-- The demo ledger's schema, dropped with everything in it: a re-run starts from exactly the scenario.
DROP SCHEMA IF EXISTS {schema} CASCADE
