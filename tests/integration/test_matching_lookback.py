"""A day's reads of history are bounded, and give what the whole history gives for that day's rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from recon.ledger.tables import TRANSACTIONS
from recon.matching import ledger_movements, ledger_rows_wanted
from resources.ledger import LedgerResource
from stores import matching_store as store
from stores.warehouse import Warehouse

P, SINCE = "2026-02-16", date(2026, 2, 2)
# What every earlier partition confirmed, as the whole-history read saw it.
_ALL_BEFORE = ("SELECT bank_entry_key, ledger_txn_id, reversal_key, pair_side FROM recon.transaction_matches "
               "WHERE status = 'confirmed' AND partition_key < :p")


def _match(part: str, b: str, lk: str, status: str = "confirmed", rev: str | None = None,
           side: str = "bank_ledger") -> dict[str, object]:
    return {"partition_key": part, "bank_entry_key": b, "ledger_txn_id": lk, "account": "A", "currency": "EUR",
            "match_key": "uetr", "confidence": Decimal("1"), "status": status, "reversal_key": rev,
            "pair_side": side}


def _history(wh: Warehouse) -> None:
    rows = [
        _match("2026-01-05", "old-b", "old-l"),  # long before the window, carried by neither
        _match("2026-01-06", "carried-b", "x-l"),  # before the window: only its carried key names it
        _match("2026-01-07", "y-b", "carried-l"),
        _match("2026-01-08", "", "carried-orig", rev="carried-rev", side="ledger_ledger"),
        _match("2026-01-09", "bank-orig", "", rev="carried-bank-rev", side="bank_bank"),
        _match("2026-01-12", "prop-b", "prop-l", status="proposed"),  # proposals settle nothing
        _match("2026-02-02", "win-b", "win-l"),  # in the window
        _match("2026-02-13", "", "w-orig", rev="w-rev", side="ledger_ledger"),
        _match(P, "today-b", "today-l"),  # this partition's own rows and later ones are never "before"
        _match("2026-02-17", "later-b", "later-l"),
    ]
    with wh.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM recon.transaction_matches WHERE account = 'A' AND currency = 'EUR'"))
        conn.execute(sa.text(
            "INSERT INTO recon.transaction_matches (partition_key, bank_entry_key, ledger_txn_id, account, currency,"
            " match_key, confidence, status, reversal_key, pair_side) VALUES (:partition_key, :bank_entry_key,"
            " :ledger_txn_id, :account, :currency, :match_key, :confidence, :status, :reversal_key, :pair_side)"),
            rows)


def test_matched_before_reads_the_window_and_carried_keys_and_agrees_with_all_history(warehouse) -> None:  # type: ignore[no-untyped-def]
    _history(warehouse)
    carried_b, carried_l = ["carried-b", "carried-bank-rev", "never-matched-b"], ["carried-l", "carried-rev"]
    bank, ledger = store.matched_before(warehouse, P, SINCE, carried_b, carried_l)
    with warehouse.engine.connect() as conn:
        all_bank, all_ledger = store.matched_keys(conn.execute(sa.text(_ALL_BEFORE), {"p": P}).all())
    # The day's inputs: rows dated in the window (only ever matched from SINCE on) and the carried rows.
    window_b, window_l = {"win-b", "fresh-b"}, {"win-l", "w-orig", "w-rev", "fresh-l"}
    for got, everything, inputs in ((bank, all_bank, window_b | set(carried_b)),
                                    (ledger, all_ledger, window_l | set(carried_l))):
        assert got <= everything
        assert got & inputs == everything & inputs
    assert {"carried-b", "carried-bank-rev", "bank-orig", "win-b"} <= bank
    assert {"carried-l", "carried-rev", "carried-orig", "win-l", "w-orig", "w-rev"} <= ledger
    # Nothing outside the window and the carried keys is read; nothing of this day or later, no proposal.
    assert not {"old-b", "prop-b", "today-b", "later-b"} & bank
    assert not {"old-l", "prop-l", "today-l", "later-l"} & ledger


def _txns() -> pl.DataFrame:
    at = datetime.combine(SINCE, datetime.min.time(), tzinfo=UTC)
    rows = [("on-since", at, None), ("just-before", at - timedelta(microseconds=1), None),
            ("long-before", at - timedelta(days=40), None), ("carried", at - timedelta(days=40), None),
            ("today", at + timedelta(days=14, hours=9), None), ("after", at + timedelta(days=20), None),
            ("cancelled", at + timedelta(days=3), "cancelled")]
    return pl.DataFrame({
        "txn_id": [r[0] for r in rows], "account_id": "L-1", "direction": "CRDT",
        "amount": pl.Series([Decimal("1.00")] * len(rows), dtype=TRANSACTIONS.columns["amount"]),
        "currency": "EUR", "booked_at": pl.Series([r[1] for r in rows], dtype=TRANSACTIONS.columns["booked_at"]),
        "status": [r[2] for r in rows]}).select(
        [pl.col(c) if c in ("txn_id", "account_id", "direction", "amount", "currency", "booked_at", "status")
         else pl.lit(None, t).alias(c) for c, t in TRANSACTIONS.columns.items()])


def _day(moves: pl.DataFrame, carried: list[str]) -> pl.DataFrame:
    """What the matching asset keeps of the ledger's movements: the window, plus the carried rows."""
    return moves.filter(pl.col("booking_date").is_between(SINCE, date.fromisoformat(P))
                        | pl.col("txn_id").is_in(carried)).sort("txn_id")


def test_ledger_rows_of_the_window_read_from_the_snapshot_are_the_whole_snapshots(tmp_path: Path) -> None:
    txns, carried = _txns(), ["carried"]
    source_dir = tmp_path / "ledger"
    source_dir.mkdir()
    txns.write_parquet(source_dir / "transactions.parquet")
    src = LedgerResource(kind="files", snapshot_dir=str(source_dir), snapshot_home=str(tmp_path / "home")).source()
    cutoff = datetime(2026, 2, 16, 23, 0, tzinfo=UTC)
    taken = src.snapshot_rows(TRANSACTIONS, cutoff, P, ledger_rows_wanted(SINCE, carried))  # takes the snapshot
    reread = src.snapshot_rows(TRANSACTIONS, cutoff, P, ledger_rows_wanted(SINCE, carried))  # scans its Parquet
    whole = src.snapshot(TRANSACTIONS, cutoff, P).frame
    expected = _day(ledger_movements(whole), carried)
    assert expected["txn_id"].to_list() == ["carried", "on-since", "today"]
    for got in (taken, reread):
        assert not {"long-before", "just-before"} & set(got["txn_id"])
        assert _day(ledger_movements(got), carried).equals(expected)


def test_matched_before_can_be_answered_from_indexes_alone(warehouse) -> None:  # type: ignore[no-untyped-def]
    # The table is small here, so Postgres would scan it; with scans priced out, every branch must still
    # be answerable by an index (the primary key's partition range, the keyed look-ups of carried rows).
    _history(warehouse)
    with warehouse.engine.begin() as conn:
        conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(r[0] for r in conn.execute(sa.text("EXPLAIN " + store._MATCHED_BEFORE), {
            "p": P, "since": SINCE.isoformat(), "bank": ["carried-b"], "ledger": ["carried-l"],
            "keys": ["carried-b", "carried-l"]}))
    assert "Seq Scan" not in plan, plan
    for index in ("transaction_matches_pkey", "transaction_matches_bank_key_idx", "transaction_matches_ledger_idx",
                  "transaction_matches_reversal_idx"):
        assert index in plan, plan
