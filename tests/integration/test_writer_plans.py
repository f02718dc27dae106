"""The partition replace stays linear at a large bank's volume: its plan is a hash or merge anti join.

Checked on the plan Postgres picks for the writer's own statement (captured as it runs), never by timing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import sqlalchemy as sa

from stores.pg_writer import write_rows
from stores.warehouse import Warehouse

DAY = date(2031, 5, 2)
ROWS = 200_000


def entries(first: int, n: int) -> pl.DataFrame:
    i = pl.int_range(first, first + n, dtype=pl.Int64, eager=True)
    return pl.DataFrame({
        "entry_key": "plan-" + i.cast(pl.String),
        "statement_key": pl.Series(["plan-stmt"] * n),
        "business_date": pl.Series([DAY] * n),
        "account": ("ACC" + (i % 200).cast(pl.String)),
        "currency": pl.Series(["EUR"] * n),
        "amount": pl.Series([Decimal("1.00")] * n, dtype=pl.Decimal(38, 2)),
        "direction": pl.Series(["CRDT"] * n),
    })


def explain(raw: object, statement: str, params: object) -> str:
    with raw.cursor() as cur:  # type: ignore[attr-defined]
        cur.execute(f"EXPLAIN {statement}", params)
        return "\n".join(r[0] for r in cur.fetchall())


def test_partition_replace_of_200k_rows_plans_an_anti_join(warehouse: Warehouse) -> None:
    plans: dict[str, str] = {}

    def explain_first(conn, cursor, statement, parameters, context, executemany):
        # Planned before it runs, so a quadratic plan fails here instead of running for minutes.
        if "DELETE FROM recon.bank_entries" in statement:
            plans["replace"] = explain(cursor.connection, statement, parameters)
            # The same statement with a null-safe comparison: the quadratic plan this test guards against.
            null_safe = statement.replace(" = (t.entry_key)", " IS NOT DISTINCT FROM (t.entry_key)")
            plans["null_safe"] = explain(cursor.connection, null_safe, parameters)
            assert "Nested Loop" not in plans["replace"], plans["replace"]

    with warehouse.engine.connect() as conn, conn.begin() as tx:
        sa.event.listen(conn, "before_cursor_execute", explain_first)
        first = write_rows(conn, "bank_entries", entries(0, ROWS), ["entry_key"], {"business_date": DAY})
        # Half the day's rows again, half new: the replace deletes the half no longer sent.
        again = write_rows(conn, "bank_entries", entries(ROWS // 2, ROWS), ["entry_key"], {"business_date": DAY})
        tx.rollback()
    assert (first.inserted, again.inserted, again.deleted) == (ROWS, ROWS // 2, ROWS // 2)
    linear = plans["replace"]
    assert "Anti Join" in linear and ("Hash" in linear or "Merge" in linear), linear
    assert "Nested Loop" in plans["null_safe"], plans["null_safe"]
