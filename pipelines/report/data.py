"""The treasurer's report read from the output store alone: one query set, one function per section, used by
`recon report` for one business day and by the demo for its week (sql/postgres/queries/)."""

from __future__ import annotations

from datetime import date
from typing import Any

from recon.sql import postgres_sql
from stores.warehouse import Warehouse

HISTORY_DAYS = 30
Rows = list[dict[str, Any]]


class NotReconciled(LookupError):
    """The day has no daily reconciliation in the output store."""


def balances(wh: Warehouse, keys: list[str]) -> Rows:
    """Ledger vs bank per account in these partitions (each row names its partition)."""
    return wh.rows(postgres_sql("select_report_balances"), keys=keys)


def findings(wh: Warehouse, first: date, last: date) -> Rows:
    """Findings seen on any business date from `first` to `last`, worst first."""
    return wh.rows(postgres_sql("select_report_findings"), first=first, last=last)


def flags(wh: Warehouse, first: date, last: date) -> Rows:
    """Flags opened by `last` and still open, or opened from `first` to `last`."""
    return wh.rows(postgres_sql("select_report_flags"), first=first, last=last)


def backing(wh: Warehouse, key: str) -> Rows:
    return wh.rows(postgres_sql("select_report_backing"), p=key)


def reserves(wh: Warehouse, key: str) -> Rows:
    return wh.rows(postgres_sql("select_report_reserves"), p=key)


def ltv(wh: Warehouse, key: str) -> Rows:
    """Per credit line: the yield cushion and the LTV with it beside the plain figures."""
    return wh.rows(postgres_sql("select_report_ltv"), p=key)


def gather(wh: Warehouse, day: date) -> dict[str, Any]:
    key = day.isoformat()
    if not wh.rows(postgres_sql("count_daily_balance_checks"), p=key)[0]["n"]:
        raise NotReconciled(f"{key} was not reconciled: no daily balance checks for it in the output store "
                            "(recon run daily --date D)")
    days = sorted(r["business_date"] for r in wh.rows(postgres_sql("select_reconciled_days"), d=day, n=HISTORY_DAYS))
    intraday = {(r["account"], r["currency"]): r for r in wh.rows(postgres_sql("select_report_intraday_tiers"), d=day)}
    accounts = balances(wh, [key])
    for a in accounts:
        if (now := intraday.get((a["account"], a["currency"]))) is not None:
            a.update(intraday_window=now["partition_key"], intraday_tier=now["tier"])
    return {
        "business_date": key,
        "accounts": accounts,
        "discrepancies": findings(wh, day, day),
        "flags": flags(wh, day, day),
        "backing": backing(wh, key),
        "reserves": reserves(wh, key),
        "ltv": ltv(wh, key),
        "history_days": [d.isoformat() for d in days],
        "difference_history": wh.rows(postgres_sql("select_balance_diff_history"), days=days),
        "backing_history": wh.rows(postgres_sql("select_backing_history"), keys=[d.isoformat() for d in days]),
    }
