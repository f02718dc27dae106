"""Dagster resources only, one per outside system, each building its client at run time (every module
here defines one: tests/unit/test_rooms.py).

Imports go one way: assets -> resources -> stores, clients, settings, embedded, recon."""
