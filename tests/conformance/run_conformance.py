"""Read every file of a CAMT corpus and compare with its expected.json; exit 1 on any mismatch.

Usage: python tests/conformance/run_conformance.py ../shared/camt-corpus
The corpus stays where it is (it is third-party data); nothing is copied into the project.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from recon.camt.summary import summarize

GROUP_FIELDS = ("id", "account", "entries", "rows", "signed_entry_total", "uetrs")


def compare(expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Differences, each as 'where: expected X, got Y'. Amounts compare as the exact text."""
    diffs = []
    if expected["message"] != got["message"]:
        diffs.append(f"message: expected {expected['message']}, got {got['message']}")
    exp_groups, got_groups = expected["groups"], got["statements"]
    if len(exp_groups) != len(got_groups):
        diffs.append(f"statements: expected {len(exp_groups)}, got {len(got_groups)}")
    for i, (e, g) in enumerate(zip(exp_groups, got_groups, strict=False), start=1):
        for f in GROUP_FIELDS:
            if e[f] != g[f]:
                diffs.append(f"statement {i} {f}: expected {e[f]!r}, got {g[f]!r}")
        eb = [(b["type"], b["amount"]) for b in e["balances"]]
        gb = [(b["type"], b["amount"]) for b in g["balances"]]
        if eb != gb:
            diffs.append(f"statement {i} balances: expected {eb}, got {gb}")
    return diffs


def main(corpus: Path) -> int:
    expected = json.loads((corpus / "expected.json").read_text())
    files = {p.name: p for p in corpus.rglob("*.xml")}
    failures = 0
    print(f"{'file':<62} {'message':<16} {'stmts':>5} {'rows':>5}  result")
    for exp in expected:
        path = files.get(exp["file"])
        if path is None:
            diffs, got = [f"file {exp['file']} not found under {corpus}"], None
        else:
            got = summarize(path)
            diffs = compare(exp, got)
        failures += bool(diffs)
        stmts = len(got["statements"]) if got else 0
        rows = sum(s["rows"] for s in got["statements"]) if got else 0
        msg = (got or {}).get("message") or "-"
        print(f"{exp['file'][:62]:<62} {msg:<16} {stmts:>5} {rows:>5}  "
              f"{'ok' if not diffs else 'MISMATCH'}")
        for d in diffs:
            print(f"    {d}")
        for note in (got or {}).get("errors", []):
            print(f"    note: {note}")
    print(f"\n{len(expected) - failures}/{len(expected)} files match expected.json")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
