"""The treasurer's report of one reconciled business day, read from the output store alone."""

from __future__ import annotations

from datetime import date
from typing import Any

from recon.sql import postgres_sql
from resources.warehouse import Warehouse

HISTORY_DAYS = 30

_RECONCILED = postgres_sql("count_daily_balance_checks")
_BALANCES = postgres_sql("select_report_balances")
_INTRADAY = postgres_sql("select_report_intraday_tiers")
_FINDINGS = postgres_sql("select_report_findings")
_FLAGS = postgres_sql("select_report_flags")
_BACKING = postgres_sql("select_report_backing")
_RESERVES = postgres_sql("select_report_reserves")
_LTV = postgres_sql("select_report_ltv")
_DAYS = postgres_sql("select_reconciled_days")
_DIFF_HISTORY = postgres_sql("select_balance_diff_history")
_BACKING_HISTORY = postgres_sql("select_backing_history")


class NotReconciled(LookupError):
    """The day has no daily reconciliation in the output store."""


def gather(wh: Warehouse, day: date) -> dict[str, Any]:
    key = day.isoformat()
    if not wh.rows(_RECONCILED, p=key)[0]["n"]:
        raise NotReconciled(f"{key} was not reconciled: no daily balance checks for it in the output store "
                            "(recon run daily --date D)")
    days = sorted(r["business_date"] for r in wh.rows(_DAYS, d=day, n=HISTORY_DAYS))
    intraday = {(r["account"], r["currency"]): r for r in wh.rows(_INTRADAY, d=day)}
    accounts = wh.rows(_BALANCES, p=key)
    for a in accounts:
        if (now := intraday.get((a["account"], a["currency"]))) is not None:
            a.update(intraday_window=now["partition_key"], intraday_tier=now["tier"])
    return {
        "business_date": key,
        "accounts": accounts,
        "discrepancies": wh.rows(_FINDINGS, d=day),
        "flags": wh.rows(_FLAGS, d=day),
        "backing": wh.rows(_BACKING, p=key),
        "reserves": wh.rows(_RESERVES, p=key),
        "ltv": wh.rows(_LTV, p=key),
        "history_days": [d.isoformat() for d in days],
        "difference_history": wh.rows(_DIFF_HISTORY, days=days),
        "backing_history": wh.rows(_BACKING_HISTORY, keys=[d.isoformat() for d in days]),
    }
