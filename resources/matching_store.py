"""Warehouse reads and writes of transaction matching: the carried-over window, matches, in transit."""

from __future__ import annotations

from datetime import date

import polars as pl
import sqlalchemy as sa

from recon.ledger.tables import MONEY
from resources.warehouse import Warehouse

DETECTOR = "transaction_matching"

# Rows still open in an earlier partition: named by open discrepancies of this detector first found
# before this partition (never a later day's: a re-run of an earlier day must not see the future).
_OPEN_KEYS = """
SELECT split_part(natural_key, ':', 1) AS side, substr(natural_key, strpos(natural_key, ':') + 1) AS k
FROM recon.discrepancies WHERE detector = :det AND status <> 'resolved' AND first_seen_partition < :p
  AND type IN ('missing_in_ledger', 'missing_at_bank')
UNION SELECT 'bank', jsonb_array_elements_text(details -> 'bank_entry_keys') FROM recon.discrepancies
WHERE detector = :det AND status <> 'resolved' AND first_seen_partition < :p AND details ? 'bank_entry_keys'
UNION SELECT 'ledger', jsonb_array_elements_text(details -> 'ledger_txn_ids') FROM recon.discrepancies
WHERE detector = :det AND status <> 'resolved' AND first_seen_partition < :p AND details ? 'ledger_txn_ids'
"""

# A row dated on or after `since` enters matching only in partitions from its date on (a partition reads
# its own window and the rows it carries), so it can only have been confirmed in a partition >= since:
# the window's partitions (primary key range) and the carried rows' keys (indexed) cover every match
# that can name a row of this partition's inputs.
_MATCHED_BEFORE = """
SELECT bank_entry_key, ledger_txn_id, reversal_key, pair_side FROM recon.transaction_matches
WHERE status = 'confirmed' AND partition_key < :p AND partition_key >= :since
UNION ALL
SELECT bank_entry_key, ledger_txn_id, reversal_key, pair_side FROM recon.transaction_matches
WHERE status = 'confirmed' AND partition_key < :since AND bank_entry_key = ANY(CAST(:bank AS text[]))
UNION ALL
SELECT bank_entry_key, ledger_txn_id, reversal_key, pair_side FROM recon.transaction_matches
WHERE status = 'confirmed' AND partition_key < :since AND ledger_txn_id = ANY(CAST(:ledger AS text[]))
UNION ALL
SELECT bank_entry_key, ledger_txn_id, reversal_key, pair_side FROM recon.transaction_matches
WHERE status = 'confirmed' AND partition_key < :since AND reversal_key = ANY(CAST(:keys AS text[]))
"""


def open_keys(wh: Warehouse, partition_key: str) -> tuple[list[str], list[str]]:
    with wh.engine.connect() as conn:
        rows = conn.execute(sa.text(_OPEN_KEYS), {"det": DETECTOR, "p": partition_key}).fetchall()
    return [k for s, k in rows if s == "bank"], [k for s, k in rows if s == "ledger"]


def matched_before(wh: Warehouse, partition_key: str, since: date, carried_bank: list[str],
                   carried_ledger: list[str]) -> tuple[set[str], set[str]]:
    """Keys confirmed in an earlier partition: they never enter a later partition's matching. Complete
    for rows dated from `since` (the window's first day) and for the carried keys; nothing older is read."""
    bank, ledger = set(), set()
    params = {"p": partition_key, "since": since.isoformat(), "bank": carried_bank, "ledger": carried_ledger,
              "keys": [*carried_bank, *carried_ledger]}
    with wh.engine.connect() as conn:
        for b, lk, rev, side in conn.execute(sa.text(_MATCHED_BEFORE), params):
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
    frame = wh.query("SELECT * FROM recon.v_bank_movements WHERE business_date BETWEEN :s AND :e "
                     "OR entry_key = ANY(CAST(:keys AS text[]))", s=start, e=end, keys=carried)
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
