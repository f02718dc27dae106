"""Dagster's handle on the output store (apart from stores/warehouse.py, which the CLI reads
without importing Dagster)."""

from __future__ import annotations

import dagster as dg
from pydantic import PrivateAttr

from stores.warehouse import Warehouse


class WarehouseResource(dg.ConfigurableResource):
    """Dagster's handle on the output store; database_url "embedded" selects the embedded server."""

    database_url: str | None = None
    # Slack-compatible webhook for alerts on breakers, critical findings and unavailable sources (empty: none).
    webhook_url: str = ""
    _wh: Warehouse | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._wh = Warehouse.connect(self.database_url or None, webhook_url=self.webhook_url or None)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        # The run's connections go back to the server now, not when the process happens to exit.
        if self._wh is not None:
            self._wh.engine.dispose()
            self._wh = None

    def get(self) -> Warehouse:
        if self._wh is None:
            self._wh = Warehouse.connect(self.database_url or None, webhook_url=self.webhook_url or None)
        return self._wh
