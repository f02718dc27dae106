"""`make bench`: every benchmark in turn, each printing its own table with the ratio to its floor.

    .venv/bin/python -m bench            # full sizes (1 GB CAMT, 10M x 10M matching, 100k blocks, a full day)
    .venv/bin/python -m bench --quick    # smaller sizes, a few minutes
    .venv/bin/python -m bench --json     # one JSON object keyed by benchmark, each a list of cases
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name -> (script, full-size arguments, --quick arguments). Every script takes --json and then prints
# one JSON list of cases as its last line. A bench/bench_<name>.py not listed here runs with no arguments.
BENCHES: dict[str, tuple[str, list[str], list[str]]] = {
    "camt": ("bench_camt.py", ["--sizes", "10,100,1000"], ["--sizes", "10,100"]),
    "matching": ("bench_matching.py", ["--sizes", "1,10"], ["--sizes", "1"]),
    "chain": ("bench_chain.py", ["--holders", "10000", "--blocks", "100000"],
              ["--holders", "10000", "--blocks", "10000"]),
    "day": ("bench_day.py", [], ["--quick"]),
    "year": ("bench_year.py", [], ["--quick"]),
    "tier1": ("bench_tier1.py", ["--sustained", "10000", "--seconds", "10"], ["--sustained", "2000", "--seconds", "3"]),
}


def registered() -> dict[str, tuple[str, list[str], list[str]]]:
    found = dict(BENCHES)
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        found.setdefault(name, (path.name, [], []))
    return {name: entry for name, entry in found.items() if (HERE / entry[0]).exists()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes")
    ap.add_argument("--only", help="comma-separated benchmarks, e.g. camt,matching")
    ap.add_argument("--json", action="store_true", help="print one JSON object keyed by benchmark")
    args = ap.parse_args()
    wanted = set(args.only.split(",")) if args.only else None
    failed, results = [], {}
    for name, (script, full, quick) in registered().items():
        if wanted and name not in wanted:
            continue
        options = quick if args.quick else full
        command = [sys.executable, str(HERE / script), *options]
        if args.json:
            print(f"== {name}: {script} {' '.join(options)}", file=sys.stderr, flush=True)
            out = subprocess.run([*command, "--json"], check=False, stdout=subprocess.PIPE, text=True)
            lines = out.stdout.strip().splitlines()
            if out.returncode or not lines:
                failed.append(name)
                continue
            results[name] = json.loads(lines[-1])
            continue
        print(f"\n== {name}: {script} {' '.join(options)}", flush=True)
        if subprocess.run(command, check=False).returncode:
            failed.append(name)
    if args.json:
        print(json.dumps(results, indent=2, default=str))
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
