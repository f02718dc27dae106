"""The treasurer's report of one reconciled business day, read from the output store alone."""

from __future__ import annotations

from datetime import date
from typing import Any

from resources.warehouse import Warehouse

HISTORY_DAYS = 30

_RECONCILED = ("SELECT count(*) AS n FROM recon.balance_checks WHERE partition_key = :p AND run_kind = 'daily'")
_BALANCES = ("SELECT account, currency, ledger_balance, bank_balance, diff, pct, tier, action "
             "FROM recon.balance_checks WHERE partition_key = :p ORDER BY account, currency")
_INTRADAY = ("SELECT DISTINCT ON (account, currency) account, currency, partition_key, tier "
             "FROM recon.balance_checks WHERE business_date = :d AND run_kind = 'intraday' "
             "ORDER BY account, currency, partition_key DESC")
_FINDINGS = """
SELECT discrepancy_key, type, severity, status, scope_type, scope_id, natural_key, currency, amount, summary,
       first_seen_partition, last_seen_partition
FROM recon.discrepancies
WHERE left(first_seen_partition, 10)::date <= :d AND left(last_seen_partition, 10)::date >= :d
ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'unknown' THEN 1 WHEN 'significant' THEN 2
                       WHEN 'minor' THEN 3 ELSE 4 END, type, scope_id, natural_key
"""
_FLAGS = """
SELECT b.breaker_id, b.scope_type, b.scope_id, b.kind, b.tier, b.status, d.type,
       recon.flag_business_date(b.opened_by_run_id, b.discrepancy_key) AS opened_on
FROM recon.circuit_breakers b LEFT JOIN recon.discrepancies d USING (discrepancy_key)
WHERE recon.flag_business_date(b.opened_by_run_id, b.discrepancy_key) <= :d
  AND (b.status = 'open' OR recon.flag_business_date(b.opened_by_run_id, b.discrepancy_key) = :d)
ORDER BY b.kind, b.scope_type, b.scope_id
"""
_BACKING = ("SELECT token, scope, circulating, reserves, ratio, tier FROM recon.backing_checks "
            "WHERE partition_key = :p ORDER BY token, scope = 'all' DESC, scope")
_RESERVES = ("SELECT reserve_id, currency, reserve_type, total, locked, available, utilization, level, stale_locks "
             "FROM recon.reserve_status WHERE partition_key = :p ORDER BY reserve_id")
_LTV = ("SELECT credit_line_id, currency, debt, collateral_value, yield_cushion_value, ltv, ltv_with_cushion, band "
        "FROM recon.ltv_positions WHERE partition_key = :p ORDER BY credit_line_id")
_DAYS = ("SELECT DISTINCT business_date FROM recon.balance_checks WHERE run_kind = 'daily' AND business_date <= :d "
         "ORDER BY business_date DESC LIMIT :n")
_DIFF_HISTORY = ("SELECT business_date, account, currency, diff, pct, tier FROM recon.balance_checks "
                 "WHERE run_kind = 'daily' AND business_date = ANY(:days) ORDER BY account, business_date")
_BACKING_HISTORY = ("SELECT partition_key, token, ratio, tier FROM recon.backing_checks "
                    "WHERE scope = 'all' AND partition_key = ANY(:keys) ORDER BY token, partition_key")


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
