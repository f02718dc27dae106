"""The reserve status report: per-chain reserve ledger, recent redemptions, totals, statistics, utilisation.

Built as plain JSON-able data (Decimals as exact strings) so `recon reserves status --json` and the
text rendering show the same figures. Per chain, utilisation = real redemptions / (initial + top-ups),
half-even to 6 places of a percent: how much of what the chain's reserve ever held was redeemed.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, cast

import polars as pl

from recon.money import show
from recon.reserves.config import ReservesConfig
from recon.reserves.redemption_log import audit_log
from recon.reserves.schemas import REDEMPTIONS, RESERVE_LEDGER, conform
from recon.reserves.tiers import PCT_PLACES, divide, fmt
from recon.reserves.utilization import UtilizationResult


def build_status(config: ReservesConfig, reserve_ledger: pl.DataFrame, redemptions: pl.DataFrame,
                 operations: pl.DataFrame, utilization: UtilizationResult | None, as_of: datetime,
                 recent: int = 10) -> dict[str, Any]:
    ledger = conform(reserve_ledger, RESERVE_LEDGER, "reserve_ledger")
    log = conform(redemptions, REDEMPTIONS, "redemptions").with_columns(pl.col("test_mode").fill_null(False))
    audit = audit_log(config, ledger, log, operations)
    chains, total = [], Decimal(0)
    for c in audit.chains:
        row = ledger.filter(pl.col("chain_id") == c.chain_id)
        info = row.row(0, named=True) if row.height else {}
        rows = log.filter((pl.col("chain_id") == c.chain_id) & ~pl.col("test_mode")
                          & (pl.col("status").fill_null("completed") != "refused"))
        held = c.initial + c.top_ups
        total += c.ledger_reserve or 0
        chains.append({
            "chain": c.chain, "chain_id": c.chain_id, "reserve": fmt(c.ledger_reserve),
            "last_updated": _ts(info.get("last_updated")), "notes": info.get("notes"),
            "expected_reserve": fmt(c.expected_reserve),
            "consistent": c.ledger_reserve == c.expected_reserve,
            "real_redemptions": c.real_count, "real_amount": fmt(c.real_amount),
            "test_redemptions": c.test_count, "test_amount": fmt(c.test_amount),
            "refused": c.refused_count, "top_ups": fmt(c.top_ups),
            "average_real": fmt(divide(c.real_amount, Decimal(c.real_count), Decimal("1e-6")))
            if c.real_count else "0",
            "largest_real": fmt(cast(Decimal, rows["amount"].max())) if rows.height else "0",
            "users": rows["user_address"].str.to_lowercase().n_unique() if rows.height else 0,
            "last_redemption": _ts(cast(datetime, rows["redeemed_at"].max())) if rows.height else None,
            "utilization_pct": fmt(divide(c.real_amount * 100, held, PCT_PLACES)) if held > 0 else "0",
        })
    latest = log.sort("redeemed_at", descending=True, nulls_last=True).head(recent)
    return {
        "as_of": _ts(as_of),
        "chains": chains,
        "total_reserve": fmt(total),
        "recent_redemptions": [_redemption(r, config) for r in latest.iter_rows(named=True)],
        "totals": {
            "real_count": sum(c.real_count for c in audit.chains),
            "real_amount": fmt(sum((c.real_amount for c in audit.chains), Decimal(0))),
            "test_count": sum(c.test_count for c in audit.chains),
            "test_amount": fmt(sum((c.test_amount for c in audit.chains), Decimal(0))),
            "refused_count": sum(c.refused_count for c in audit.chains),
        },
        "findings": [{"type": f.type, "severity": f.severity, "summary": f.summary} for f in audit.findings],
        "utilization": _utilization(utilization),
    }


def _redemption(r: dict, config: ReservesConfig) -> dict[str, Any]:
    chain = config.chain_by_id(r["chain_id"])
    return {"at": _ts(r["redeemed_at"]), "chain": chain.chain if chain else str(r["chain_id"]),
            "user": r["user_address"], "amount": fmt(r["amount"]), "before": fmt(r["reserve_before"]),
            "after": fmt(r["reserve_after"]), "test_mode": r["test_mode"], "status": r["status"] or "completed",
            "tx_hash": r["tx_hash"]}


def _utilization(u: UtilizationResult | None) -> dict[str, Any] | None:
    if u is None:
        return None
    return {
        "overall": u.overall,
        "warning": u.at_level("warning"),
        "critical": u.at_level("critical", "emergency"),
        "reserves": [{"reserve_id": r["reserve_id"], "currency": r["currency"], "type": r["reserve_type"],
                      "total": fmt(r["total"]), "locked": fmt(r["locked"]), "available": fmt(r["available"]),
                      "utilization_pct": fmt(r["utilization"] * 100), "level": r["level"]} for r in u.rows],
    }


def _ts(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _p(text: str | None) -> str:
    """The report's exact figure (JSON keeps it as is) for people: grouped digits."""
    return show(Decimal(text)) if text not in (None, "n/a") else "n/a"


def render_text(report: dict[str, Any]) -> str:
    lines = [f"Reserve status as of {report['as_of']}", "", "Reserve ledger per chain"]
    for c in report["chains"]:
        mark = "" if c["consistent"] else f"  (log says {_p(c['expected_reserve'])})"
        lines.append(f"  {c['chain']:<10} {_p(c['reserve']):>20}  updated {c['last_updated'] or 'n/a'}  "
                     f"{c['notes'] or ''}{mark}")
    lines += [f"  {'total':<10} {_p(report['total_reserve']):>20}", "", "Recent redemptions"]
    for r in report["recent_redemptions"]:
        flag = " TEST" if r["test_mode"] else (" REFUSED" if r["status"] == "refused" else "")
        lines.append(f"  {r['at']}  {r['chain']:<9} {_p(r['amount']):>14}  {_p(r['before']):>14} -> "
                     f"{_p(r['after']):<14}"
                     f" {r['user']}{flag}")
    t = report["totals"]
    lines += ["", f"Real redemptions: {t['real_count']} totalling {_p(t['real_amount'])}; test: {t['test_count']} "
              f"totalling {_p(t['test_amount'])}; refused: {t['refused_count']}", "", "Per chain"]
    for c in report["chains"]:
        lines.append(f"  {c['chain']:<10} real {c['real_redemptions']} ({_p(c['real_amount'])}), avg "
                     f"{_p(c['average_real'])}, largest {_p(c['largest_real'])}, users {c['users']}, top-ups "
                     f"{_p(c['top_ups'])}, utilisation {c['utilization_pct']} %")
    u = report["utilization"]
    if u is not None:
        lines += ["", f"Reserve utilisation: {u['overall']}"]
        for r in u["reserves"]:
            lines.append(f"  {r['reserve_id']:<16} {r['type']:<6} total {_p(r['total']):>16} "
                         f"locked {_p(r['locked']):>16}"
                         f" available {_p(r['available']):>16} {r['utilization_pct']:>8} % {r['level']}")
        lines.append(f"  warning: {', '.join(u['warning']) or 'none'}; critical: {', '.join(u['critical']) or 'none'}")
    if report["findings"]:
        lines += ["", "Findings"] + [f"  [{f['severity']}] {f['summary']}" for f in report["findings"]]
    return "\n".join(lines)
