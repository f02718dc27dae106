"""Writes of the reserve books' checks to the output store."""

from __future__ import annotations

import polars as pl
import sqlalchemy as sa

from recon.sql import postgres_sql
from stores.handle import StoreHandle as Warehouse
from stores.pg_writer import stage

_UPSERT_OPERATIONS = postgres_sql("upsert_reserve_operation_log")


def write_operation_log(wh: Warehouse, log: pl.DataFrame, partition_key: str, run_id: str) -> int:
    """The operations a day's run read; the latest business day that read one keeps it. Rows written."""
    rows = log.with_columns(pl.lit(partition_key).alias("partition_key"), pl.lit(run_id).alias("run_id"))
    with wh.engine.begin() as conn:
        stage(conn, "reserve_operation_log", rows, "_operations")
        return conn.execute(sa.text(_UPSERT_OPERATIONS)).rowcount
