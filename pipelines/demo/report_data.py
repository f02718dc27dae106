"""What the treasurer's report shows, read from the warehouse for the demo's partitions only."""

from __future__ import annotations

from typing import Any

from pipelines.demo.scenario import ACCOUNTS, DAYS, INTRADAY_WINDOW
from resources.warehouse import Warehouse

LAST_DAY = DAYS[-1].isoformat()
PARTITIONS = [d.isoformat() for d in DAYS] + [INTRADAY_WINDOW]
NAMES = {a.iban: a.name for a in ACCOUNTS}

_BALANCES = """
SELECT partition_key, account, currency, ledger_balance, bank_balance, diff, pct, tier, action
FROM recon.balance_checks WHERE partition_key = ANY(:keys) ORDER BY account, partition_key
"""
_FINDINGS = """
SELECT discrepancy_key, type, severity, status, scope_type, scope_id, natural_key, currency, amount, summary,
       first_seen_partition, last_seen_partition
FROM recon.discrepancies WHERE last_seen_partition = ANY(:keys) OR first_seen_partition = ANY(:keys)
ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'unknown' THEN 1 WHEN 'significant' THEN 2
                       WHEN 'minor' THEN 3 ELSE 4 END, type, scope_id, natural_key
"""
_FLAGS = """
SELECT b.breaker_id, b.scope_type, b.scope_id, b.kind, b.tier, b.reason, b.opened_at, d.type,
       d.first_seen_partition
FROM recon.circuit_breakers b JOIN recon.discrepancies d USING (discrepancy_key)
WHERE b.status = 'open' AND (d.last_seen_partition = ANY(:keys) OR d.first_seen_partition = ANY(:keys))
ORDER BY b.kind, b.scope_type, b.scope_id
"""
_BACKING = ("SELECT token, scope, circulating, reserves, ratio, tier FROM recon.backing_checks "
            "WHERE partition_key = :p ORDER BY token, scope = 'all' DESC, scope")
_RESERVES = ("SELECT reserve_id, currency, reserve_type, total, locked, available, utilization, level, "
             "stale_locks FROM recon.reserve_status WHERE partition_key = :p ORDER BY reserve_id")
_LTV = ("SELECT credit_line_id, currency, debt, collateral_value, ltv, band FROM recon.ltv_positions "
        "WHERE partition_key = :p ORDER BY credit_line_id")
_FILES = ("SELECT status, count(*) AS n FROM recon.ingested_files WHERE source = :src GROUP BY status "
          "ORDER BY status")
_QUARANTINED = ("SELECT file_name, reason FROM recon.ingested_files WHERE source = :src "
                "AND status = 'quarantined' ORDER BY file_name")
_MATCHES = ("SELECT status, count(*) AS n FROM recon.transaction_matches WHERE partition_key = ANY(:keys) "
            "GROUP BY status ORDER BY status")


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
