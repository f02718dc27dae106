"""The bench's day is a real day: its files parse, its statements prove, and matching it finds exactly
the anomalies it injected, whatever shapes (batches, reversals, returns, FX) the bank's entries take."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from bench.day_world import _ledger_frame, day_world, write_files
from recon.camt.parsed import parse_file
from recon.matching import MatchConfig, bank_movements, ledger_movements, match_transactions

DAY = date(2026, 10, 7)


def test_a_bench_day_reconciles_to_exactly_its_injected_anomalies(tmp_path: Path) -> None:
    w = day_world(DAY, 6, 1500, seed=5)
    assert all(n > 0 for n in w.shapes.values()), w.shapes
    write_files(w, tmp_path)
    parsed = [parse_file(p, p.name) for p in sorted(tmp_path.glob("053_*.xml"))]
    entries = pl.concat([p.entries for p in parsed], how="diagonal_relaxed")
    statements = pl.concat([p.statements for p in parsed], how="diagonal_relaxed")

    assert entries.select("statement_key", "entry_seq").unique().height == 1500
    assert statements["proof_ok"].all()
    assert entries.filter(pl.col("reversal"))["entry_key"].n_unique() == w.shapes["bank_reversal"]
    assert entries.filter(pl.col("return_reason") == "AC04").height == w.shapes["return"]
    assert entries.filter(pl.col("instructed_amount").is_not_null()).height == w.shapes["fx"]
    batches = entries.filter(pl.col("batch_pmt_inf_id").is_not_null())
    assert batches.select("statement_key", "entry_seq").unique().height == w.shapes["batch"]

    ledger = _ledger_frame([w])
    accounts = pl.DataFrame({"account_id": [a.ledger_id for a in w.accounts], "iban": [a.iban for a in w.accounts],
                             "as_of": [datetime(2026, 10, 7, 22, tzinfo=UTC)] * len(w.accounts)})
    result = match_transactions(bank_movements(entries), ledger_movements(ledger, accounts),
                                MatchConfig(as_of=date(2026, 11, 30)))  # past every timing window
    assert Counter(result.discrepancies["type"].to_list()) == w.anomalies
    keys = Counter(result.matches["match_key"].to_list())
    assert keys["batch"] == sum(len(items) for items in w.batches.values())
    assert keys["reversal"] == w.shapes["bank_reversal"] + w.shapes["ledger_reversal"]
