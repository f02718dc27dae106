"""Benchmark: all matching passes at 1M x 1M and 10M x 10M rows against one bare DuckDB hash join.

Run: .venv/bin/python bench/bench_matching.py --sizes 1,10   (millions of rows per side)
Each size runs in its own process so its peak RSS is its own. Data: 100 accounts, keys spread over
the passes (60 % UETR, 20 % EndToEndId, 10 % bank reference, 10 % amount + date only) and about
0.5 % anomalies of each kind: amount mismatch, missing on either side, duplicate UETR, late booking.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recon.matching import BANK_SCHEMA, LEDGER_SCHEMA, MatchConfig, match_transactions

AS_OF = date(2026, 1, 9)

# One query per side, generated in DuckDB (vectorised), values bound as parameters.
_LEDGER = """
SELECT 'l' || i AS txn_id, 'ACC' || (i % 100) AS account, 'EUR' AS currency,
       CASE WHEN i % 2 = 0 THEN 'CRDT' ELSE 'DBIT' END AS direction,
       CAST((hash(i) % 100000000) / 100 + 0.01 AS DECIMAL(38, 18)) AS amount,
       CAST($as_of AS DATE) - CAST(i % 4 AS INTEGER) AS booking_date,
       CASE WHEN i % 10 < 6 THEN 'u' || i END AS uetr,
       CASE WHEN i % 10 IN (6, 7) THEN 'E' || i END AS end_to_end_id,
       CASE WHEN i % 10 = 8 THEN 'T' || i END AS bank_reference,
       NULL::VARCHAR AS batch_id, NULL::VARCHAR AS reversal_of
FROM range($n) t(i)
"""
# Anomalies by i % 200: 1 amount +0.01, 2 the ledger row has no bank twin (and the bank one no ledger
# twin), 3 repeats the previous row's UETR (duplicate), 4 booked a day later at the bank.
_BANK = """
SELECT 'b' || i AS entry_key, 'ACC' || (i % 100) AS account, 'EUR' AS currency,
       CASE WHEN i % 2 = 0 THEN 'CRDT' ELSE 'DBIT' END AS direction,
       CAST((hash(i) % 100000000) / 100 + 0.01 + CASE WHEN i % 200 = 1 THEN 0.01 ELSE 0 END
            + CASE WHEN i % 200 = 2 THEN 7.77 ELSE 0 END AS DECIMAL(38, 18)) AS amount,
       CAST($as_of AS DATE) - CAST(i % 4 AS INTEGER) + CASE WHEN i % 200 = 4 THEN 1 ELSE 0 END AS booking_date,
       CASE WHEN i % 200 = 2 THEN NULL WHEN i % 200 = 3 AND i % 10 < 6 THEN 'u' || (i - 10)
            WHEN i % 10 < 6 THEN upper('u' || i) END AS uetr,
       CASE WHEN i % 10 IN (6, 7) AND i % 200 <> 2 THEN 'E' || i END AS end_to_end_id,
       'ASR' || i AS acct_svcr_ref, NULL::VARCHAR AS instr_id,
       CASE WHEN i % 10 = 8 AND i % 200 <> 2 THEN 'T' || i END AS tx_id,
       NULL::VARCHAR AS batch_id, false AS is_reversal
FROM range($n) t(i)
"""
_BARE_JOIN = """
SELECT count(*), sum(b.amount - l.amount) FROM bank b JOIN ledger l ON substr(b.entry_key, 2) = substr(l.txn_id, 2)
"""


def generate(n: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    con = duckdb.connect(config={"threads": 2, "memory_limit": "4GB"})
    ledger = con.sql(_LEDGER, params={"n": n, "as_of": AS_OF}).pl().cast(LEDGER_SCHEMA)
    bank = con.sql(_BANK, params={"n": n, "as_of": AS_OF}).pl().cast(BANK_SCHEMA)
    con.close()
    return bank, ledger


def one(n: int) -> dict[str, float]:
    bank, ledger = generate(n)
    con = duckdb.connect(config={"threads": 2, "memory_limit": "4GB"})
    con.register("bank", bank.to_arrow())
    con.register("ledger", ledger.to_arrow())
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
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one(int(args.one * 1_000_000))))
        return
    print(f"{'size':>9} {'wall s':>8} {'rows/s':>12} {'peak RSS MB':>12} {'bare join s':>12} {'ratio':>6} "
          f"{'matches':>10} {'proposals':>9} {'transit':>8} {'discrep.':>9}")
    for size in args.sizes.split(","):
        out = subprocess.run([sys.executable, __file__, "--one", size], capture_output=True, text=True,
                             check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{size + 'M x ' + size + 'M':>9} {r['wall_s']:>8.2f} {r['rows'] / r['wall_s']:>12,.0f} "
              f"{r['peak_rss_mb']:>12,.0f} {r['bare_join_s']:>12.2f} {r['wall_s'] / r['bare_join_s']:>6.1f} "
              f"{r['matches']:>10,} {r['proposals']:>9,} {r['in_transit']:>8,} {r['discrepancies']:>9,}")


if __name__ == "__main__":
    main()
