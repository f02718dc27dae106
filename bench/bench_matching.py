"""Benchmark: all matching passes at 1M x 1M and 10M x 10M rows against one bare DuckDB hash join.

Run: .venv/bin/python bench/bench_matching.py --sizes 1,10   (millions of rows per side)
Each size runs in its own process so its peak RSS is its own. Data: 100 accounts, keys spread over
the passes (60 % UETR, 20 % EndToEndId, 10 % bank reference, 10 % amount + date only) and about
0.5 % anomalies of each kind: amount mismatch, missing on either side, duplicate UETR, late booking.
Amounts are exact cents as DECIMAL(38, 18). Peak RSS is the process's (inputs included); the timed
section covers match_transactions plus building `matches` and `discrepancies`.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recon.ledger.tables import MONEY
from recon.matching import BANK_SCHEMA, LEDGER_SCHEMA, MatchConfig, match_transactions

AS_OF = date(2026, 1, 9)

_ROW = pl.col("i")
_ANOMALY = _ROW % 200  # 1 amount +0.01, 2 no twin on the other side, 3 repeats a UETR, 4 booked a day later
_AMOUNT = ((_ROW.hash(7) % 100_000_000).cast(pl.Int64) + 1).cast(MONEY) / 100  # exact cents, never float
_DAY = pl.lit(AS_OF) - pl.duration(days=_ROW % 4)
_NULL = pl.lit(None, pl.String())


def _text(prefix: str, number: pl.Expr = _ROW) -> pl.Expr:
    return pl.format(prefix + "{}", number)


def _common() -> dict[str, pl.Expr]:
    return {"account": _text("ACC", _ROW % 100), "currency": pl.lit("EUR"),
            "direction": pl.when(_ROW % 2 == 0).then(pl.lit("CRDT")).otherwise(pl.lit("DBIT"))}


def _ledger(n: int) -> pl.DataFrame:
    return pl.select(i=pl.int_range(0, n, dtype=pl.Int64)).select(
        txn_id=_text("l"), **_common(), amount=_AMOUNT, booking_date=_DAY,
        uetr=pl.when(_ROW % 10 < 6).then(_text("u")), end_to_end_id=pl.when((_ROW % 10).is_in([6, 7])).then(_text("E")),
        bank_reference=pl.when(_ROW % 10 == 8).then(_text("T")), batch_id=_NULL, reversal_of=_NULL)


def _bank(n: int) -> pl.DataFrame:
    off = pl.when(_ANOMALY == 1).then(pl.lit(Decimal("0.01"))).when(_ANOMALY == 2).then(pl.lit(Decimal("7.77")))
    return pl.select(i=pl.int_range(0, n, dtype=pl.Int64)).select(
        entry_key=_text("b"), **_common(), amount=_AMOUNT + off.otherwise(pl.lit(Decimal(0))).cast(MONEY),
        booking_date=_DAY + pl.duration(days=(_ANOMALY == 4).cast(pl.Int64)),
        uetr=pl.when(_ANOMALY == 2).then(_NULL).when((_ANOMALY == 3) & (_ROW % 10 < 6)).then(_text("u", _ROW - 10))
        .when(_ROW % 10 < 6).then(_text("U")),
        end_to_end_id=pl.when((_ROW % 10).is_in([6, 7]) & (_ANOMALY != 2)).then(_text("E")),
        acct_svcr_ref=_text("ASR"), instr_id=_NULL,
        tx_id=pl.when((_ROW % 10 == 8) & (_ANOMALY != 2)).then(_text("T")), batch_id=_NULL, is_reversal=pl.lit(False))


_BARE_JOIN = """
SELECT count(*), sum(b.amount - l.amount) FROM bank b JOIN ledger l ON substr(b.entry_key, 2) = substr(l.txn_id, 2)
"""


def generate(n: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Vectorised in Polars, straight into the frames the matcher reads (no intermediate copy)."""
    # Every column materialised, as frames read from a table would be.
    bank, ledger = _bank(n), _ledger(n)
    return (pl.DataFrame([bank.get_column(c) for c in BANK_SCHEMA]),
            pl.DataFrame([ledger.get_column(c) for c in LEDGER_SCHEMA]))


def one(n: int) -> dict[str, float]:
    bank, ledger = generate(n)
    con = duckdb.connect(config={"threads": 2, "memory_limit": "4GB"})
    # The same zero-copy hand-over as the matcher's.
    con.register("bank", bank.to_arrow(compat_level=pl.CompatLevel.newest()))
    con.register("ledger", ledger.to_arrow(compat_level=pl.CompatLevel.newest()))
    t0 = time.perf_counter()
    con.execute(_BARE_JOIN).fetchall()
    bare = time.perf_counter() - t0
    con.close()

    t0 = time.perf_counter()
    result = match_transactions(bank, ledger, MatchConfig(as_of=AS_OF))
    matches, found = result.matches, result.discrepancies
    wall = time.perf_counter() - t0
    return {"rows": 2 * n, "wall_s": wall, "bare_join_s": bare, "matches": matches.height,
            "proposals": result.proposals.height, "in_transit": result.in_transit.height,
            "discrepancies": found.height,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10", help="Rows per side, in millions, comma-separated.")
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print the cases as one JSON list, no table")
    args = parser.parse_args()
    show = (lambda *a, **k: None) if args.json else print
    cases = []
    if args.one is not None:
        print(json.dumps(one(int(args.one * 1_000_000))))
        return
    show(f"{'size':>9} {'wall s':>8} {'rows/s':>12} {'peak RSS MB':>12} {'bare join s':>12} {'ratio':>6} "
          f"{'matches':>10} {'proposals':>9} {'transit':>8} {'discrep.':>9}")
    for size in args.sizes.split(","):
        out = subprocess.run([sys.executable, __file__, "--one", size], capture_output=True, text=True,
                             check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        cases.append({"size": f"{size}M x {size}M", **r, "rows_s": r["rows"] / r["wall_s"],
                      "ratio_to_floor": r["wall_s"] / r["bare_join_s"]})
        show(f"{size + 'M x ' + size + 'M':>9} {r['wall_s']:>8.2f} {r['rows'] / r['wall_s']:>12,.0f} "
              f"{r['peak_rss_mb']:>12,.0f} {r['bare_join_s']:>12.2f} {r['wall_s'] / r['bare_join_s']:>6.1f} "
              f"{r['matches']:>10,} {r['proposals']:>9,} {r['in_transit']:>8,} {r['discrepancies']:>9,}")
    if args.json:
        print(json.dumps(cases))


if __name__ == "__main__":
    main()
