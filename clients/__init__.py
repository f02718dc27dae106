"""Clients of outside systems that are not Dagster resources (web3 JSON-RPC, Horizon, Soroban, retries,
the statement drop folder, the NATS bus, the alert webhook).

Imports go one way: stores, resources -> clients -> embedded, recon."""
