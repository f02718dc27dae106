-- The demo ledger's schema, empty.
CREATE SCHEMA {schema}
