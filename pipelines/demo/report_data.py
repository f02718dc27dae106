"""What the treasurer's report shows, read from the warehouse for the demo's partitions only."""

from __future__ import annotations

from typing import Any

from pipelines.demo.scenario import ACCOUNTS, DAYS, INTRADAY_WINDOW
from recon.sql import postgres_sql
from resources.warehouse import Warehouse

LAST_DAY = DAYS[-1].isoformat()
PARTITIONS = [d.isoformat() for d in DAYS] + [INTRADAY_WINDOW]
NAMES = {a.iban: a.name for a in ACCOUNTS}

_BALANCES = postgres_sql("select_demo_balance_checks")
_FINDINGS = postgres_sql("select_demo_findings")
_FLAGS = postgres_sql("select_demo_flags")
_BACKING = postgres_sql("select_demo_backing")
_RESERVES = postgres_sql("select_demo_reserves")
_LTV = postgres_sql("select_demo_ltv")
_FILES = postgres_sql("count_demo_files")
_QUARANTINED = postgres_sql("select_demo_quarantined_files")
_MATCHES = postgres_sql("count_demo_matches")


def _rows(wh: Warehouse, sql: str, **params: Any) -> list[dict[str, Any]]:
    try:
        return wh.rows(sql, **params)
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
    rows = _rows(wh, _BACKING, p=LAST_DAY)
    intraday = {(r.get("token"), r.get("scope")): r for r in _rows(wh, _BACKING, p=INTRADAY_WINDOW)}
    for r in rows:
        if (now := intraday.get((r.get("token"), r.get("scope")))) is not None:
            r.update(intraday_ratio=now["ratio"], intraday_tier=now["tier"])
    return rows


def gather(wh: Warehouse, drop_source: str) -> dict[str, Any]:
    findings = _rows(wh, _FINDINGS, keys=PARTITIONS)
    return {
        "business_days": [d.isoformat() for d in DAYS], "intraday_window": INTRADAY_WINDOW,
        "accounts": _accounts(_rows(wh, _BALANCES, keys=PARTITIONS)),
        "discrepancies": findings,
        "flags": _rows(wh, _FLAGS, keys=PARTITIONS),
        "backing": _backing(wh),
        "reserves": _rows(wh, _RESERVES, p=LAST_DAY),
        "ltv": _rows(wh, _LTV, p=LAST_DAY),
        "files": _rows(wh, _FILES, src=drop_source),
        "quarantined": _rows(wh, _QUARANTINED, src=drop_source),
        "matches": _rows(wh, _MATCHES, keys=PARTITIONS),
    }
