"""Clients of outside systems that are not Dagster resources (web3 JSON-RPC, Horizon, retries).

Imports go one way: resources -> clients -> recon."""
