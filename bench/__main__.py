"""`make bench`: every benchmark in turn, each printing its own table.

    .venv/bin/python -m bench            # full sizes (1 GB CAMT, 10M x 10M matching, 100k blocks)
    .venv/bin/python -m bench --quick    # smaller sizes, a few minutes
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

FULL = {
    "bench_camt.py": ["--sizes", "10,100,1000"],
    "bench_matching.py": ["--sizes", "1,10"],
    "bench_chain.py": ["--holders", "10000", "--blocks", "100000"],
    "bench_tier1.py": ["--sustained", "10000", "--seconds", "10"],
}
QUICK = {
    "bench_camt.py": ["--sizes", "10,100"],
    "bench_matching.py": ["--sizes", "1"],
    "bench_chain.py": ["--holders", "10000", "--blocks", "10000"],
    "bench_tier1.py": ["--sustained", "2000", "--seconds", "3"],
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes")
    ap.add_argument("--only", help="one benchmark, e.g. camt, matching, chain or tier1")
    args = ap.parse_args()
    failed = []
    for script, options in (QUICK if args.quick else FULL).items():
        if args.only and args.only not in script:
            continue
        print(f"\n== {script} {' '.join(options)}", flush=True)
        if subprocess.run([sys.executable, str(HERE / script), *options], check=False).returncode:
            failed.append(script)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
