"""The reserve operation log is the same whichever order the business days' runs wrote it in."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import polars as pl

from stores.reserve_store import write_operation_log
from stores.warehouse import Warehouse

DAYS = ["2026-03-09", "2026-03-10", "2026-03-11"]


def _log(prefix: str) -> pl.DataFrame:
    return pl.DataFrame({
        "operation_key": [f"{prefix}-1", f"{prefix}-2"], "reserve_id": ["USD-FIAT"] * 2,
        "operation": ["lock", "release"], "currency": ["USD"] * 2, "reserve_type": ["fiat"] * 2,
        "amount": [Decimal("50000.00"), Decimal("50000.00")], "reference": ["PAYOUT-1"] * 2,
        "at": [datetime(2026, 3, 6, 9, tzinfo=UTC), datetime(2026, 3, 6, 10, tzinfo=UTC)]},
        schema_overrides={"amount": pl.Decimal(38, 2)})


def _read(wh: Warehouse, prefix: str) -> list[tuple]:
    rows = wh.rows("SELECT operation_key, amount, partition_key FROM recon.reserve_operation_log "
                   "WHERE operation_key LIKE :p ORDER BY 1", p=f"{prefix}-%")
    return [(r["operation_key"], r["amount"], r["partition_key"]) for r in rows]


def test_the_latest_day_that_read_an_operation_keeps_it_in_any_order(warehouse: Warehouse) -> None:
    for prefix, order in (("ol-a", DAYS), ("ol-b", DAYS[::-1]), ("ol-c", [DAYS[1], DAYS[2], DAYS[0]])):
        for day in order:
            write_operation_log(warehouse, _log(prefix), day, f"run-{day}")
        assert _read(warehouse, prefix) == [(f"{prefix}-1", Decimal("50000.00"), DAYS[-1]),
                                            (f"{prefix}-2", Decimal("50000.00"), DAYS[-1])], order
