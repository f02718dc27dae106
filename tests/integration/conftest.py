"""Fixtures of the integration tests beyond the shared ones: a real nats-server per test."""

from tests.support.nats import nats_server

__all__ = ["nats_server"]
