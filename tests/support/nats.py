"""A real nats-server with JetStream per test, on a port the kernel picks, stopped afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from embedded.nats_server import NatsServer


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    srv = NatsServer(tmp_path / "nats").start()
    try:
        yield srv
    finally:
        srv.stop()
