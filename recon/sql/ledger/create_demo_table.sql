-- One canonical ledger table of the demo ({columns}: checked names, each with its type from a fixed map).
CREATE TABLE {schema}.{table} ({columns})
