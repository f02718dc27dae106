"""SQL engines a resource reads through: built on first use in a run, shared by every read of that run,
disposed when the run's resources are torn down (or by `dispose_engines` outside Dagster)."""

from __future__ import annotations

from typing import Any

import dagster as dg
import sqlalchemy as sa
from pydantic import PrivateAttr


class SqlEngineResource(dg.ConfigurableResource):
    """Base of the resources that read a SQL database: one engine per URL per run, never one per read."""

    _engines: dict[str, sa.Engine] = PrivateAttr(default_factory=dict)

    def engine(self, url: str, connect_args: dict[str, Any] | None = None) -> sa.Engine:
        if url not in self._engines:
            self._engines[url] = sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args or {})
        return self._engines[url]

    def dispose_engines(self) -> None:
        engines, self._engines = list(self._engines.values()), {}
        for engine in engines:
            engine.dispose()

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        self.dispose_engines()
