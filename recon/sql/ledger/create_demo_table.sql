-- One canonical ledger table of the demo: checked column names, each with its type from a fixed map.
CREATE TABLE {schema}.{table} ({columns})
