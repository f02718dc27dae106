"""The servers the product starts for a user who has none: an embedded PostgreSQL (pgserver) for the
output store and an embedded NATS server with JetStream for bank notifications, both under $RECON_HOME.

Imports go one way: stores, clients -> embedded -> recon (no Dagster here)."""
