"""The common writer: idempotent, atomic, exact."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest
import sqlalchemy as sa

from stores.warehouse import Warehouse

KEY = ["partition_key", "chain", "asset", "holder"]


def balances(partition: str, holders: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "partition_key": [partition] * len(holders),
            "chain": ["ethereum"] * len(holders),
            "asset": ["USDX"] * len(holders),
            "holder": list(holders),
            "block_number": [100] * len(holders),
            "balance_raw": pl.Series([Decimal(v) * 10**18 for v in holders.values()], dtype=pl.Decimal(38, 0)),
            "balance": pl.Series([Decimal(v) for v in holders.values()], dtype=pl.Decimal(38, 18)),
        }
    )


def stored(wh: Warehouse, partition: str) -> dict[str, Decimal]:
    df = wh.query("SELECT holder, balance FROM recon.chain_balances WHERE partition_key = :p", p=partition)
    return dict(zip(df["holder"], df["balance"], strict=True)) if df.height else {}


def test_rewriting_the_same_rows_changes_nothing(warehouse: Warehouse) -> None:
    rows = balances("w-idem", {"0xa": "1.5", "0xb": "2"})
    first = warehouse.write("chain_balances", rows, KEY, {"partition_key": "w-idem"})
    again = warehouse.write("chain_balances", rows, KEY, {"partition_key": "w-idem"})
    assert (first.inserted, first.updated, first.deleted) == (2, 0, 0)
    assert again.changed == 0


def test_a_rerun_that_finds_the_same_rows_writes_nothing(warehouse: Warehouse) -> None:
    key = ["partition_key", "bank_entry_key", "ledger_txn_id"]

    def matches(run_id: str, amount: str) -> pl.DataFrame:
        return pl.DataFrame({"partition_key": ["w-run"], "bank_entry_key": ["b1"], "ledger_txn_id": ["t1"],
                             "account": ["DE1"], "currency": ["EUR"], "match_key": ["uetr"],
                             "confidence": [Decimal("1")], "status": ["confirmed"], "run_id": [run_id],
                             "bank_amount": [Decimal(amount)], "ledger_amount": [Decimal(amount)]})

    warehouse.write("transaction_matches", matches("run-1", "5.00"), key, {"partition_key": "w-run"})
    again = warehouse.write("transaction_matches", matches("run-2", "5.00"), key, {"partition_key": "w-run"})
    assert again.changed == 0  # only the run differs: the row stays the one run-1 wrote
    assert warehouse.rows("SELECT run_id FROM recon.transaction_matches WHERE partition_key = 'w-run'") == [
        {"run_id": "run-1"}]
    changed = warehouse.write("transaction_matches", matches("run-3", "6.00"), key, {"partition_key": "w-run"})
    assert changed.updated == 1
    assert warehouse.rows("SELECT run_id FROM recon.transaction_matches WHERE partition_key = 'w-run'") == [
        {"run_id": "run-3"}]


def test_partition_replace_updates_inserts_and_deletes(warehouse: Warehouse) -> None:
    warehouse.write("chain_balances", balances("w-repl", {"0xa": "1", "0xb": "2"}), KEY, {"partition_key": "w-repl"})
    warehouse.write("chain_balances", balances("w-other", {"0xa": "9"}), KEY, {"partition_key": "w-other"})
    stats = warehouse.write(
        "chain_balances", balances("w-repl", {"0xa": "1.25", "0xc": "3"}), KEY, {"partition_key": "w-repl"})
    assert (stats.inserted, stats.updated, stats.deleted) == (1, 1, 1)
    assert stored(warehouse, "w-repl") == {"0xa": Decimal("1.25"), "0xc": Decimal("3")}
    # Another partition is never touched by a replace.
    assert stored(warehouse, "w-other") == {"0xa": Decimal("9")}


def test_failure_midway_keeps_previous_rows(warehouse: Warehouse) -> None:
    good = balances("w-atomic", {"0xa": "1", "0xb": "2"})
    warehouse.write("chain_balances", good, KEY, {"partition_key": "w-atomic"})
    bad = pl.concat([balances("w-atomic", {"0xa": "5"}), balances("w-atomic", {"0xz": "1"}).with_columns(
        block_number=pl.lit(None, dtype=pl.Int64))])  # NOT NULL violated on the second row
    with pytest.raises(sa.exc.IntegrityError):
        warehouse.write("chain_balances", bad, KEY, {"partition_key": "w-atomic"})
    assert stored(warehouse, "w-atomic") == {"0xa": Decimal("1"), "0xb": Decimal("2")}


def test_amounts_are_exact_at_every_scale(warehouse: Warehouse) -> None:
    # 78-digit raw token units, 18-decimal token balances and 5-decimal bank amounts survive to the digit.
    raw = Decimal(2**255)
    rows = pl.DataFrame({
        "partition_key": ["w-exact"], "chain": ["base"], "asset": ["BIG"], "block_number": [1],
        "decimals": [18],
        "total_supply_raw": [str(raw)],  # beyond Decimal(38): travels as text into NUMERIC(78,0)
        "total_supply": pl.Series([Decimal("123456789012.123456789012345678")], dtype=pl.Decimal(38, 18)),
        "treasury_raw": ["0"], "treasury": pl.Series([Decimal("0.00001")], dtype=pl.Decimal(38, 5)),
        "circulating_raw": [str(raw)], "circulating": pl.Series([Decimal("1")], dtype=pl.Decimal(38, 0)),
    })
    warehouse.write("chain_supply", rows, ["partition_key", "chain", "asset"])
    got = warehouse.rows("SELECT * FROM recon.chain_supply WHERE partition_key = 'w-exact'")[0]
    assert got["total_supply_raw"] == raw
    assert got["total_supply"] == Decimal("123456789012.123456789012345678")
    assert got["treasury"] == Decimal("0.00001")
    assert all(not isinstance(v, float) for v in got.values())
    as_frame = warehouse.query("SELECT total_supply_raw, treasury FROM recon.chain_supply "
                               "WHERE partition_key = 'w-exact'")
    assert as_frame["total_supply_raw"].to_list() == [str(raw)]
    assert as_frame["treasury"].to_list() == [Decimal("0.00001")]


def test_empty_string_stays_apart_from_null(warehouse: Warehouse) -> None:
    rows = pl.DataFrame({
        "file_sha256": ["s1", "s2", "s3"], "file_name": ["a.xml", "b.xml", "c.xml"],
        "status": ["quarantined"] * 3, "reason": ["", None, 'quoted "x", comma \\N'],
        "business_date": [date(2026, 1, 2)] * 3,
    })
    warehouse.write("ingested_files", rows, ["file_sha256", "file_name"])
    got = warehouse.query("SELECT file_sha256, reason FROM recon.ingested_files WHERE file_sha256 LIKE 's_' "
                          "ORDER BY 1")
    assert got["reason"].to_list() == ["", None, 'quoted "x", comma \\N']


def test_unknown_column_and_repeated_key_are_refused(warehouse: Warehouse) -> None:
    with pytest.raises(ValueError, match="no column"):
        warehouse.write("chain_balances", balances("w-x", {"0xa": "1"}).with_columns(nope=pl.lit(1)), KEY)
    twice = pl.concat([balances("w-x", {"0xa": "1"})] * 2)
    with pytest.raises(ValueError, match="repeat the key"):
        warehouse.write("chain_balances", twice, KEY)
