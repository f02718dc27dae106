"""Benchmark: all matching passes at 1M x 1M and 10M x 10M rows against one bare DuckDB hash join.

Run: .venv/bin/python bench/bench_matching.py --sizes 1,10   (millions of rows per side)
Inputs arrive as a user's do: each side as Parquet files in chunks (--chunks per side), written once per
size; every contender reads those same files, each in its own process so its peak RSS is its own:
- floor: one bare DuckDB hash join of the two sides (entry key against txn id), reading the files;
- ours: match_parquet (every pass) plus building `matches` and `discrepancies`;
- fastrecon: its keyed diff on UETR with the signed amount compared (`make bench` installs it), handed
  the UETRs normalised as our matcher normalises them (trimmed, lower case; rows without one left out).
  Its DuckDB engine runs INSTALL/LOAD httpfs and excel on every compare, which offline waits for the
  extension repository (about 4.7 s) before failing; the bench skips that step and gives it 2 threads.
Besides wall seconds each contender reports its CPU seconds (user + system, imports left out), and the case
`cpu_ratio_to_floor`: on a shared machine wall time follows the other work's load, CPU time much less.
Data: 100 accounts, keys spread over the passes (60 % UETR, 20 % EndToEndId, 10 % bank reference,
10 % amount + date only) and about 0.5 % anomalies of each kind: amount mismatch, missing on either side,
duplicate UETR, late booking. Amounts are exact cents as DECIMAL(38, 18).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recon.ledger.tables import MONEY
from recon.matching import BANK_SCHEMA, LEDGER_SCHEMA, MatchConfig, match_parquet

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


def _ledger(start: int, n: int) -> pl.DataFrame:
    return pl.select(i=pl.int_range(start, start + n, dtype=pl.Int64)).select(
        txn_id=_text("l"), **_common(), amount=_AMOUNT, booking_date=_DAY,
        uetr=pl.when(_ROW % 10 < 6).then(_text("u")), end_to_end_id=pl.when((_ROW % 10).is_in([6, 7])).then(_text("E")),
        bank_reference=pl.when(_ROW % 10 == 8).then(_text("T")), batch_id=_NULL, reversal_of=_NULL)


def _bank(start: int, n: int) -> pl.DataFrame:
    off = pl.when(_ANOMALY == 1).then(pl.lit(Decimal("0.01"))).when(_ANOMALY == 2).then(pl.lit(Decimal("7.77")))
    return pl.select(i=pl.int_range(start, start + n, dtype=pl.Int64)).select(
        entry_key=_text("b"), **_common(), amount=_AMOUNT + off.otherwise(pl.lit(Decimal(0))).cast(MONEY),
        booking_date=_DAY + pl.duration(days=(_ANOMALY == 4).cast(pl.Int64)),
        uetr=pl.when(_ANOMALY == 2).then(_NULL).when((_ANOMALY == 3) & (_ROW % 10 < 6)).then(_text("u", _ROW - 10))
        .when(_ROW % 10 < 6).then(_text("U")),
        end_to_end_id=pl.when((_ROW % 10).is_in([6, 7]) & (_ANOMALY != 2)).then(_text("E")),
        acct_svcr_ref=_text("ASR"), instr_id=_NULL,
        tx_id=pl.when((_ROW % 10 == 8) & (_ANOMALY != 2)).then(_text("T")), batch_id=_NULL, is_reversal=pl.lit(False))


# The floor: one hash join of the two sides on the same files, as bare as a join gets.
_BARE_JOIN = """
SELECT count(*), sum(b.amount - l.amount)
FROM read_parquet($bank) b JOIN read_parquet($ledger) l ON substr(b.entry_key, 2) = substr(l.txn_id, 2)
"""
# What fastrecon is handed: UETRs as our matcher normalises them, the amount signed as our matcher compares it.
_FASTRECON_ROWS = "nullif(trim(uetr), '') IS NOT NULL"
_FASTRECON_COLUMNS = "lower(trim(uetr)) AS uetr, CASE WHEN direction = 'DBIT' THEN -amount ELSE amount END AS amount"


def write_inputs(n: int, chunks: int, folder: Path) -> dict[str, list[str]]:
    """Each side as `chunks` Parquet files, generated chunk by chunk (never the whole side in memory)."""
    files: dict[str, list[str]] = {"bank": [], "ledger": []}
    size = -(-n // chunks)
    for c in range(chunks):
        start, rows = c * size, max(0, min(size, n - c * size))
        for side, make, schema in (("bank", _bank, BANK_SCHEMA), ("ledger", _ledger, LEDGER_SCHEMA)):
            path = folder / f"{side}-{c:03d}.parquet"
            make(start, rows).select(list(schema)).write_parquet(path)
            files[side].append(str(path))
    return files


def floor(files: dict[str, list[str]]) -> dict[str, object]:
    con = duckdb.connect(config={"threads": 2, "memory_limit": "4GB"})
    t0 = time.perf_counter()
    con.execute(_BARE_JOIN, {"bank": files["bank"], "ledger": files["ledger"]}).fetchall()
    return {"wall_s": time.perf_counter() - t0}


def ours(files: dict[str, list[str]]) -> dict[str, object]:
    t0 = time.perf_counter()
    result = match_parquet(files["bank"], files["ledger"], MatchConfig(as_of=AS_OF))
    matches, found = result.matches, result.discrepancies
    wall = time.perf_counter() - t0
    on_uetr = found.filter(pl.col("natural_key").str.starts_with("uetr:"))
    return {"wall_s": wall, "matches": matches.height, "proposals": result.proposals.height,
            "in_transit": result.in_transit.height, "discrepancies": found.height,
            "uetr_matches": matches.filter(pl.col("match_key") == "uetr").height,
            "uetr_amount_mismatches": on_uetr.filter(pl.col("type") == "amount_mismatch").height,
            "uetr_duplicates": on_uetr.filter(pl.col("type") == "duplicate_txn").height}


def fastrecon(files: dict[str, list[str]]) -> dict[str, object]:
    import fastrecon as fr  # the bench group's (make bench); never the product's
    from fastrecon import api
    from fastrecon.engines import DuckDBEngine
    from fastrecon.sources.base import Source

    class Offline(DuckDBEngine):
        """Its engine without INSTALL/LOAD httpfs, excel (offline: a wait, then a swallowed failure)."""

        def __init__(self) -> None:
            self.con = duckdb.connect(config={"threads": 2})

    class Normalised(Source):
        def __init__(self, paths: list[str]) -> None:
            self.paths = paths

        def register(self, con: duckdb.DuckDBPyConnection, view_name: str) -> str:
            rows = con.read_parquet(self.paths).filter(_FASTRECON_ROWS).project(_FASTRECON_COLUMNS)
            rows.create_view(view_name)
            return rows.sql_query()

    api.DuckDBEngine = Offline
    t0 = time.perf_counter()
    r = fr.compare(Normalised(files["bank"]), Normalised(files["ledger"]), keys=["uetr"], compare_mode="keyed",
                   columns=["amount"])
    wall = time.perf_counter() - t0
    if r.status == "ERROR":
        raise RuntimeError(f"fastrecon: {r.error}")
    return {"wall_s": wall, "status": r.status, "rows_left": r.row_count_left, "rows_right": r.row_count_right,
            "missing_in_bank": r.missing_in_left, "missing_in_ledger": r.missing_in_right,
            "amount_differs": r.changed_rows, "duplicate_keys_bank": r.duplicate_keys_left,
            "duplicate_keys_ledger": r.duplicate_keys_right}


CONTENDERS = {"floor": floor, "ours": ours, "fastrecon": fastrecon}


def _child(args: list[str]) -> dict[str, object]:
    """Run one contender in a fresh process; its figures, or why it could not run."""
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    lines = out.stdout.strip().splitlines()
    if out.returncode or not lines:
        return {"error": (out.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(lines[-1])


def case(size: str, chunks: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="bench-matching-") as tmp:
        made = _child(["--make", size, "--chunks", str(chunks), "--dir", tmp])
        if "error" in made:
            raise RuntimeError(f"generating {size}M: {made['error']}")
        runs = {name: _child(["--one", name, "--dir", tmp]) for name in CONTENDERS}
    floor_s, ours_s = runs["floor"].get("wall_s"), runs["ours"].get("wall_s")
    floor_cpu, ours_cpu = runs["floor"].get("cpu_s"), runs["ours"].get("cpu_s")
    return {"size": f"{size}M x {size}M", "rows": 2 * int(float(size) * 1_000_000), "chunks": chunks,
            "input_mb": made["input_mb"], **{k: v for k, v in runs["ours"].items()},
            "peak_rss_mb": runs["ours"].get("peak_rss_mb"),
            "bare_join_s": floor_s, "bare_join_peak_rss_mb": runs["floor"].get("peak_rss_mb"),
            "ratio_to_floor": ours_s / floor_s if isinstance(ours_s, float) and isinstance(floor_s, float) else None,
            "bare_join_cpu_s": floor_cpu,
            # On a shared machine wall time follows the other work's load; CPU seconds much less.
            "cpu_ratio_to_floor": (ours_cpu / floor_cpu if isinstance(ours_cpu, float) and isinstance(floor_cpu, float)
                                   else None),
            "fastrecon": runs["fastrecon"]}


def _fmt(x: object, spec: str) -> str:
    return format(x, spec) if isinstance(x, (int, float)) else str(x)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10", help="Rows per side, in millions, comma-separated.")
    parser.add_argument("--chunks", type=int, default=24, help="Parquet files per side (a day's hourly drops).")
    parser.add_argument("--json", action="store_true", help="print the cases as one JSON list, no table")
    parser.add_argument("--make", help=argparse.SUPPRESS)
    parser.add_argument("--one", choices=list(CONTENDERS), help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        folder = Path(args.dir)
        files = write_inputs(int(float(args.make) * 1_000_000), args.chunks, folder)
        (folder / "files.json").write_text(json.dumps(files))
        mb = sum(Path(f).stat().st_size for fs in files.values() for f in fs) / 1e6
        print(json.dumps({"input_mb": round(mb, 1)}))
        return
    if args.one:
        before = resource.getrusage(resource.RUSAGE_SELF)
        got = CONTENDERS[args.one](json.loads((Path(args.dir) / "files.json").read_text()))
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime  # imports and setup left out
        print(json.dumps({**got, "cpu_s": cpu, "peak_rss_mb": after.ru_maxrss / 1024}))
        return
    show = (lambda *a, **k: None) if args.json else print
    show(f"{'size':>9} {'wall s':>8} {'peak MB':>8} {'bare join s':>11} {'ratio':>6} {'cpu ratio':>9} "
         f"{'fastrecon s':>11} {'fr peak MB':>10} {'matches':>10} {'proposals':>9} {'transit':>8} {'discrep.':>9}")
    cases = []
    for size in args.sizes.split(","):
        r = case(size, args.chunks)
        cases.append(r)
        fr = r["fastrecon"]
        show(f"{r['size']:>9} {_fmt(r.get('wall_s'), '8.2f')} {_fmt(r.get('peak_rss_mb'), '8,.0f')} "
             f"{_fmt(r['bare_join_s'], '11.2f')} {_fmt(r['ratio_to_floor'], '6.1f')} "
             f"{_fmt(r['cpu_ratio_to_floor'], '9.1f')} "
             f"{_fmt(fr.get('wall_s'), '11.2f')} {_fmt(fr.get('peak_rss_mb'), '10,.0f')} "
             f"{_fmt(r.get('matches'), '10,')} {_fmt(r.get('proposals'), '9,')} {_fmt(r.get('in_transit'), '8,')} "
             f"{_fmt(r.get('discrepancies'), '9,')}")
        show(f"{'':>9} ours on UETR: {_fmt(r.get('uetr_matches'), ',')} matched, "
             f"{_fmt(r.get('uetr_amount_mismatches'), ',')} amount mismatches, "
             f"{_fmt(r.get('uetr_duplicates'), ',')} duplicates; fastrecon: "
             + (f"{fr['missing_in_ledger']:,} missing in ledger, {fr['missing_in_bank']:,} missing at bank, "
                f"{fr['amount_differs']:,} amounts differ, duplicate keys {fr['duplicate_keys_bank']:,} bank / "
                f"{fr['duplicate_keys_ledger']:,} ledger" if "error" not in fr else f"not run: {fr['error']}"))
        if "error" in r:
            show(f"{'':>9} ours failed: {r['error']}")
    if args.json:
        print(json.dumps(cases))


if __name__ == "__main__":
    main()
