"""Long-running services beside the Dagster runs: the tier 1 listener (bank notifications from NATS
JetStream, each stored and checked in Postgres), started by `recon services start` / `recon listen`.

Imports go one way: pipelines -> services -> resources, stores, clients -> recon."""
