"""CAMT reader throughput and memory: MB/s, rows/s, peak RSS, and the ratio to a bare iterparse.

    .venv/bin/python bench/bench_camt.py [--sizes 10,100,1000] [--out bench/out]

Files are generated with the project's CAMT writer (streamed, never held in memory) and kept in
--out between runs. Each measurement runs in its own child process, so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from recon.camt.model import Entry, Party, Statement, Transaction  # noqa: E402
from recon.camt.writer import write_camt  # noqa: E402

ENTRY_BYTES = 2000  # average size of a generated (indented) entry, to size the files
DAY = date(2024, 3, 1)

# CPU seconds (user + system, the reader's child process included) beside the wall time: on a
# shared machine the wall time is mostly the other work's, the CPU time much less so.
_READ = """
import json, os, sys, time
from recon.camt.reader import CamtReader
t = time.perf_counter(); c = os.times(); rows = 0
reader = CamtReader(sys.argv[1], batch_rows=20000)
for batch in reader.entry_batches():
    rows += batch.height
elapsed = time.perf_counter() - t; d = os.times()
cpu = sum(d[:4]) - sum(c[:4])
hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]
print(json.dumps({"seconds": elapsed, "cpu": cpu, "rows": rows, "rss_kb": int(hwm),
                  "parts": getattr(reader, "parts", 1),
                  "part_rss_kb": getattr(reader, "second_part_peak_rss_kb", None),
                  "proof": [s["proof_ok"] for s in reader.statements]}))
"""

_BARE_ALL = """
import json, sys, time
from lxml import etree
t = time.perf_counter(); n = 0
for _ in etree.iterparse(sys.argv[1]):
    n += 1
elapsed = time.perf_counter() - t
hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]
print(json.dumps({"seconds": elapsed, "rows": n, "rss_kb": int(hwm)}))
"""

_FLOOR = """
import json, os, sys, time
from lxml import etree
t = time.perf_counter(); c = os.times(); n = 0
for _, el in etree.iterparse(sys.argv[1], events=("end",), tag="{*}Ntry"):
    n += 1
    el.clear()
    while el.getprevious() is not None:
        del el.getparent()[0]
elapsed = time.perf_counter() - t; cpu = sum(os.times()[:2]) - sum(c[:2])
hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]
print(json.dumps({"seconds": elapsed, "cpu": cpu, "rows": n, "rss_kb": int(hwm)}))
"""


def _entries(n: int) -> Iterator[Entry]:
    """A realistic mix: single credits with full references, debits, and 3-item batches."""
    for i in range(n):
        amount = Decimal(1000 + (i * 7919) % 900000) / 100
        when = DAY - timedelta(days=i % 2)
        party = Party(f"Counterparty GmbH {i % 997}", f"DE{89370400440532013000 + i:020d}",
                      "COBADEFFXXX")
        if i % 10 == 9:
            third = (amount / 3).quantize(Decimal("0.01"))
            parts = [third, third, amount - 2 * third]
            txs = [Transaction(p, end_to_end_id=f"E2E-{i}-{k}", instr_id=f"I-{i}-{k}",
                               counterparty=party, remittance=f"Salary {i}-{k}")
                   for k, p in enumerate(parts)]
            yield Entry(amount, "DBIT", when, acct_svcr_ref=f"ASR{i:012d}", transactions=txs,
                        batch_pmt_inf_id=f"PMTINF-{i}", bank_tx_code=("PMNT", "ICDT", "SALA"))
            continue
        tx = Transaction(uetr=f"{i:08x}-0000-4000-8000-{i:012x}", end_to_end_id=f"E2E-{i}",
                         acct_svcr_ref=f"ASR{i:012d}", instr_id=f"INSTR-{i}", tx_id=f"TX-{i}",
                         counterparty=party, remittance=f"Invoice {i} for services rendered",
                         creditor_ref=f"RF18{i:012d}")
        yield Entry(amount, "CRDT" if i % 3 else "DBIT", when, entry_ref=f"NTRY{i}",
                    acct_svcr_ref=f"ASR{i:012d}", transactions=[tx])


def _closing(n: int) -> Decimal:
    return sum((e.signed for e in _entries(n)), Decimal(0))


def generate(path: Path, megabytes: int) -> None:
    n = megabytes * 1_000_000 // ENTRY_BYTES
    statement = Statement("DE89370400440532013000", "EUR", Decimal("1000000.00"), _entries(n),
                          servicer_bic="COBADEFFXXX", statement_id=f"BENCH-{megabytes}",
                          created_at=datetime(2024, 3, 2, 6, tzinfo=UTC), electronic_seq=1,
                          closing_balance=Decimal("1000000.00") + _closing(n), closing_date=DAY)
    tmp = path.with_suffix(".partial")
    write_camt(tmp, [statement], kind="053", version="001.08", msg_id=f"BENCH-{megabytes}",
               indent=True)
    tmp.rename(path)


def _child(code: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,100,1000", help="file sizes in MB, comma-separated")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"))
    ap.add_argument("--json", action="store_true", help="print the cases as one JSON list, no table")
    args = ap.parse_args()
    show = (lambda *a, **k: None) if args.json else print
    cases = []
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    show("reader: full extraction to typed Polars frames; bare: `for _ in iterparse(f)` "
          "(all end events, no clearing);\nfloor: iterparse on Ntry end events with clearing, "
          "no extraction (the least any streaming reader does);\ncpu ratio: the floor's CPU "
          "seconds over the reader's (all its processes); parts: 2 when read in two processes")
    show(f"{'size':>8} {'MB/s':>7} {'rows/s':>9} {'rows':>9} {'peak RSS':>9} {'part RSS':>9} "
         f"{'bare MB/s':>9} {'ratio':>6} {'floor MB/s':>10} {'ratio':>6} {'cpu ratio':>9} "
         f"{'parts':>5} {'proof':>6}")
    for mb in (int(s) for s in args.sizes.split(",")):
        path = out / f"camt053_{mb}mb.xml"
        if not path.exists():
            generate(path, mb)
        size_mb = path.stat().st_size / 1e6
        bare, floor = _child(_BARE_ALL, path), _child(_FLOOR, path)
        run = _child(_READ, path)
        mbps = size_mb / run["seconds"]
        bare_mbps, floor_mbps = size_mb / bare["seconds"], size_mb / floor["seconds"]
        part_rss = run["part_rss_kb"] / 1024 if run["part_rss_kb"] else None
        cases.append({"size_mb": round(size_mb, 1), "mb_s": mbps, "rows_s": run["rows"] / run["seconds"],
                      "rows": run["rows"], "seconds": run["seconds"], "cpu_seconds": run["cpu"],
                      "peak_rss_mb": run["rss_kb"] / 1024, "second_part_peak_rss_mb": part_rss,
                      "parts": run["parts"], "bare_mb_s": bare_mbps, "floor_mb_s": floor_mbps,
                      "floor_cpu_seconds": floor["cpu"], "floor_rss_mb": floor["rss_kb"] / 1024,
                      "ratio_to_floor": mbps / floor_mbps, "cpu_ratio_to_floor": floor["cpu"] / run["cpu"],
                      "proof_ok": all(run["proof"])})
        show(f"{size_mb:>6.0f}MB {mbps:>7.1f} {run['rows'] / run['seconds']:>9.0f} "
             f"{run['rows']:>9} {run['rss_kb'] / 1024:>7.0f}MB "
             f"{f'{part_rss:.0f}MB' if part_rss else '-':>9} {bare_mbps:>9.1f} "
             f"{mbps / bare_mbps:>6.2f} {floor_mbps:>10.1f} {mbps / floor_mbps:>6.2f} "
             f"{floor['cpu'] / run['cpu']:>9.2f} {run['parts']:>5} "
             f"{'ok' if all(run['proof']) else 'FAIL':>6}", flush=True)
    if args.json:
        print(json.dumps(cases))
    return 0


if __name__ == "__main__":
    sys.exit(main())
