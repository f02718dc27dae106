"""What a store module needs of the output store's handle (stores.warehouse.Warehouse is one)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import polars as pl
import sqlalchemy as sa

from stores.pg_writer import WriteStats


class StoreHandle(Protocol):
    engine: sa.Engine

    def rows(self, sql: str, **params: Any) -> list[dict[str, Any]]: ...

    def query(self, sql: str, **params: Any) -> pl.DataFrame: ...

    def write(self, table: str, rows: pl.DataFrame, key: Sequence[str],
              replace_where: Mapping[str, object] | None = None) -> WriteStats: ...
