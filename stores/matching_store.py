"""Warehouse reads and writes of transaction matching: the carried-over window, matches, in transit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import polars as pl
import sqlalchemy as sa

from recon.ledger.tables import MONEY
from recon.sql import postgres_sql
from stores.handle import StoreHandle as Warehouse

DETECTOR = "transaction_matching"

# Rows still open in an earlier partition: named by open discrepancies of this detector first found
# before this partition (never a later day's: a re-run of an earlier day must not see the future).
_OPEN_KEYS = postgres_sql("select_carried_match_keys")

# A row dated on or after `since` enters matching only in partitions from its date on (a partition reads
# its own window and the rows it carries), so it can only have been confirmed in a partition >= since:
# the window's partitions (primary key range) and the carried rows' keys (indexed) cover every match
# that can name a row of this partition's inputs.
_MATCHED_BEFORE = postgres_sql("select_matched_before")


def open_keys(wh: Warehouse, partition_key: str) -> tuple[list[str], list[str]]:
    with wh.engine.connect() as conn:
        rows = conn.execute(sa.text(_OPEN_KEYS), {"det": DETECTOR, "p": partition_key}).fetchall()
    return [k for s, k in rows if s == "bank"], [k for s, k in rows if s == "ledger"]


def matched_before(wh: Warehouse, partition_key: str, since: date, carried_bank: list[str],
                   carried_ledger: list[str]) -> tuple[set[str], set[str]]:
    """Keys confirmed in an earlier partition: they never enter a later partition's matching. Complete
    for rows dated from `since` (the window's first day) and for the carried keys; nothing older is read."""
    params = {"p": partition_key, "since": since.isoformat(), "bank": carried_bank, "ledger": carried_ledger,
              "keys": [*carried_bank, *carried_ledger]}
    with wh.engine.connect() as conn:
        return matched_keys(conn.execute(sa.text(_MATCHED_BEFORE), params))


def matched_keys(rows: Iterable[Sequence[str]]) -> tuple[set[str], set[str]]:
    """The bank and ledger keys named by confirmed matches, each row (bank key, ledger key, reversal key,
    sides): a reversal pair names two keys of one side, any other match one key of each."""
    bank: set[str] = set()
    ledger: set[str] = set()
    for b, lk, rev, side in rows:
        if side == "ledger_ledger":
            ledger.update((lk, rev))
        elif side == "bank_bank":
            bank.update((b, rev))
        else:
            bank.add(b)
            ledger.add(lk)
    return bank, ledger


def bank_window(wh: Warehouse, start: date, end: date, carried: list[str]) -> pl.DataFrame:
    """Bank movements booked in [start, end] plus carried-over ones, once each (v_bank_movements)."""
    frame = wh.query(postgres_sql("select_bank_window"), s=start, e=end, keys=carried)
    for col in ("amount", "entry_amount"):
        if col in frame.columns:
            frame = frame.with_columns(pl.col(col).cast(MONEY))
    return frame


def write_matches(wh: Warehouse, partition_key: str, matches: pl.DataFrame, in_transit: pl.DataFrame,
                  run_id: str) -> dict[str, int]:
    m = matches.with_columns(pl.lit(partition_key).alias("partition_key"), pl.lit(run_id).alias("run_id"))
    t = in_transit.rename({"key": "item_key"}).with_columns(
        pl.lit(partition_key).alias("partition_key"), pl.lit(run_id).alias("run_id"))
    where = {"partition_key": partition_key}
    a = wh.write("transaction_matches", m, ["partition_key", "bank_entry_key", "ledger_txn_id"], where)
    b = wh.write("transactions_in_transit", t, ["partition_key", "side", "item_key"], where)
    return {"matches_changed": a.changed, "in_transit_changed": b.changed}
