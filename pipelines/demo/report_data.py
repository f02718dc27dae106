"""What the treasurer's report of the demo week shows: the sections of `recon report` (pipelines/report/data.py)
over the demo's partitions, and the demo's own file and match counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipelines.demo.scenario import ACCOUNTS, DAYS, INTRADAY_DAY, INTRADAY_WINDOW
from pipelines.report import data as report
from recon.sql import postgres_sql
from stores.warehouse import Warehouse

LAST_DAY = DAYS[-1].isoformat()
PARTITIONS = [d.isoformat() for d in DAYS] + [INTRADAY_WINDOW]
NAMES = {a.iban: a.name for a in ACCOUNTS}


def _rows(read: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    try:
        return read()
    except Exception as exc:  # a table another part of the suite has not created yet: say so, go on
        return [{"error": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}]


def _accounts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per account, the last business day's check and the intraday one beside it."""
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        if "error" in r:
            return [r]
        a = out.setdefault(r["account"], {"account": r["account"], "name": NAMES.get(r["account"], ""),
                                          "currency": r["currency"]})
        if r["partition_key"] == LAST_DAY:
            a.update({k: r[k] for k in ("ledger_balance", "bank_balance", "diff", "pct", "tier")})
        elif r["partition_key"] == INTRADAY_WINDOW:
            a["intraday_tier"] = r["tier"]
        a.setdefault("tiers_seen", []).append(r["tier"])
    return list(out.values())


def _backing(wh: Warehouse) -> list[dict[str, Any]]:
    """Per token and scope, the last business day's backing and the intraday window's beside it."""
    rows = _rows(lambda: report.backing(wh, LAST_DAY))
    intraday = {(r.get("token"), r.get("scope")): r for r in _rows(lambda: report.backing(wh, INTRADAY_WINDOW))}
    for r in rows:
        if (now := intraday.get((r.get("token"), r.get("scope")))) is not None:
            r.update(intraday_ratio=now["ratio"], intraday_tier=now["tier"])
    return rows


def gather(wh: Warehouse, drop_source: str) -> dict[str, Any]:
    first, last = DAYS[0], max(DAYS[-1], INTRADAY_DAY)
    flags = _rows(lambda: report.flags(wh, first, last))
    return {
        "business_days": [d.isoformat() for d in DAYS], "intraday_window": INTRADAY_WINDOW,
        "accounts": _accounts(_rows(lambda: report.balances(wh, PARTITIONS))),
        "discrepancies": _rows(lambda: report.findings(wh, first, last)),
        "flags": [f for f in flags if "error" in f or f["status"] == "open"],
        "backing": _backing(wh),
        "reserves": _rows(lambda: report.reserves(wh, LAST_DAY)),
        "ltv": _rows(lambda: report.ltv(wh, LAST_DAY)),
        "files": _rows(lambda: wh.rows(postgres_sql("count_demo_files"), src=drop_source)),
        "quarantined": _rows(lambda: wh.rows(postgres_sql("select_demo_quarantined_files"), src=drop_source)),
        "matches": _rows(lambda: wh.rows(postgres_sql("count_demo_matches"), keys=PARTITIONS)),
    }
