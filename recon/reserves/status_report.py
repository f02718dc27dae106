"""The reserve status report, as the redemption service prints it, from what a daily run recorded.

Per chain: its reserve, the reserve ledger row's last update and notes, its share of the total; the
total; the latest redemptions with the reserve before and after and test mode; totals of real and test
redemptions; per-chain statistics. Built as plain JSON-able data (amounts as exact decimal text at the
scale they were stored at) so `--json` and the text show the same figures.

Nothing missing is filled in: a chain whose reserve ledger had no single row has an unknown reserve,
and then the total and every share are unknown too; a configured chain the store has no row for is
"not recorded"; a configuration that is absent or wrong is said. Shares: reserve / total * 100,
half-even to 2 places; an average: real amount / real count, half-even at the amounts' largest scale.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from recon.money import exact, show
from recon.reserves.config import ReservesConfig
from recon.reserves.tiers import divide

SHARE_PLACES = Decimal("0.01")


def _x(value: Decimal | None) -> str | None:
    return None if value is None else exact(value)


def _ts(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def build_status(business_date: str, config: ReservesConfig | None, config_problem: str | None,
                 chains: list[dict], statistics: list[dict], recent: list[dict],
                 accounts: list[dict]) -> dict[str, Any]:
    """`config` is None when the reserves configuration could not be used; `config_problem` says why."""
    missing: list[str] = []
    if config is None:
        missing.append(f"reserves configuration: {config_problem}")
    elif config.redemption_chains is None:
        missing.append("reserves configuration: redemption_chains is not configured")
    stats = {s["chain"]: s for s in statistics}
    recorded = {c["chain"]: c for c in chains}
    configured = [c.chain for c in config.chains] if config else []
    out_chains = []
    for name in [*configured, *sorted(set(recorded) - set(configured))]:
        row = recorded.get(name)
        if row is None:
            missing.append(f"{name}: configured, but no reserve ledger audit recorded for {business_date}")
            out_chains.append({"chain": name, "configured": True, "recorded": False, "reserve": None})
            continue
        if config is not None and name not in configured:
            missing.append(f"{name}: in the store, not among the configured redemption chains")
        if row["ledger_reserve"] is None:
            rows = row["ledger_rows"]
            missing.append(f"{name}: reserve unknown (the reserve ledger had "
                           f"{'an unrecorded number of' if rows is None else rows} rows for it, not one)")
        out_chains.append(_chain(row, stats.get(name), name in configured))
    reserves = [c["reserve"] for c in out_chains]
    total = sum((Decimal(r) for r in reserves if r is not None), Decimal(0)) \
        if reserves and None not in reserves else None
    for c in out_chains:
        c["share_pct"] = (_x(divide(Decimal(c["reserve"]) * 100, total, SHARE_PLACES))
                          if total and c["reserve"] is not None else None)
    if not out_chains:
        missing.append(f"no chain: no reserve ledger audit rows for {business_date}")
    return {
        "business_date": business_date,
        "unit": config.redemption_asset if config else None,
        "chains": out_chains,
        "total_reserve": _x(total),
        "recent_redemptions": [_redemption(r) for r in recent],
        "totals": _totals(chains),
        "reserve_accounts": [_account(a) for a in accounts],
        "missing": missing,
    }


def _chain(row: dict, stat: dict | None, configured: bool) -> dict[str, Any]:
    count, amount = row["real_count"], row["real_amount"]
    scale = stat["amount_scale"] if stat else None
    average = divide(amount, Decimal(count), Decimal(1).scaleb(-scale)) if count and scale is not None else None
    return {
        "chain": row["chain"], "chain_id": row["chain_id"], "configured": configured, "recorded": True,
        "reserve": _x(row["ledger_reserve"]), "last_updated": _ts(row["last_updated"]), "notes": row["notes"],
        "expected_reserve": _x(row["expected_reserve"]),
        "consistent": None if row["ledger_reserve"] is None else row["ledger_reserve"] == row["expected_reserve"],
        "initial_reserve": _x(row["initial_reserve"]), "top_ups": _x(row["top_ups"]),
        "real_redemptions": count, "real_amount": _x(amount),
        "test_redemptions": row["test_count"], "test_amount": _x(row["test_amount"]),
        "refused": row["refused_count"], "average_real": _x(average),
        "largest_real": _x(stat["largest_amount"]) if stat else None,
        "users": stat["users"] if stat else 0,
        "last_redemption": _ts(stat["last_redeemed_at"]) if stat else None,
        "findings": row["findings"],
    }


def _totals(chains: list[dict]) -> dict[str, Any]:
    return {
        "real_count": sum(c["real_count"] for c in chains),
        "real_amount": _x(sum((c["real_amount"] for c in chains), Decimal(0))),
        "test_count": sum(c["test_count"] for c in chains),
        "test_amount": _x(sum((c["test_amount"] for c in chains), Decimal(0))),
        "refused_count": sum(c["refused_count"] for c in chains),
    }


def _redemption(r: dict) -> dict[str, Any]:
    return {"at": _ts(r["redeemed_at"]), "chain": r["chain"], "user": r["user_address"], "amount": _x(r["amount"]),
            "before": _x(r["reserve_before"]), "after": _x(r["reserve_after"]), "test_mode": r["test_mode"],
            "status": r["status"], "tx_hash": r["tx_hash"], "onchain": r["onchain"]}


def _account(a: dict) -> dict[str, Any]:
    u = a["utilization"]
    return {"reserve_id": a["reserve_id"], "currency": a["currency"], "type": a["reserve_type"],
            "total": _x(a["total"]), "locked": _x(a["locked"]), "available": _x(a["available"]),
            "utilization_pct": _x(u * 100) if u is not None else None, "level": a["level"]}


def _m(text: str | None, unit: str | None) -> str:
    """An exact figure of the report for people: grouped digits, its unit; unknown said as such."""
    return show(None if text is None else Decimal(text), unit, unknown="unknown")


def render_text(report: dict[str, Any]) -> str:
    unit = report["unit"]
    lines = [f"Reserve status at the close of {report['business_date']} (as the daily run recorded it)", "",
             "Reserve ledger per chain"]
    for c in report["chains"]:
        if not c["recorded"]:
            lines.append(f"  {c['chain']:<10} {'not recorded':>24}")
            continue
        mark = "" if c["consistent"] in (True, None) else f"  (its log says {_m(c['expected_reserve'], unit)})"
        share = f"{c['share_pct']} %" if c["share_pct"] is not None else "share unknown"
        lines.append(f"  {c['chain']:<10} {_m(c['reserve'], unit):>24}  {share:>14}  updated "
                     f"{c['last_updated'] or 'not recorded'}  {c['notes'] or ''}{mark}")
    lines += [f"  {'total':<10} {_m(report['total_reserve'], unit):>24}", "", "Latest redemptions"]
    if not report["recent_redemptions"]:
        lines.append("  none recorded")
    for r in report["recent_redemptions"]:
        flag = " TEST" if r["test_mode"] else (" REFUSED" if r["status"] == "refused" else "")
        lines.append(f"  {r['at'] or 'time not recorded'}  {r['chain']:<9} {_m(r['amount'], unit):>18}  "
                     f"{_m(r['before'], unit):>18} -> {_m(r['after'], unit):<18} {r['user']}{flag}")
    t = report["totals"]
    lines += ["", f"Real redemptions: {t['real_count']} totalling {_m(t['real_amount'], unit)}; test: "
              f"{t['test_count']} totalling {_m(t['test_amount'], unit)}; refused: {t['refused_count']}", "",
              "Per chain"]
    for c in (c for c in report["chains"] if c["recorded"]):
        real = (f"real {c['real_redemptions']} ({_m(c['real_amount'], unit)}), average "
                f"{_m(c['average_real'], unit)}, largest {_m(c['largest_real'], unit)}, users {c['users']}"
                if c["real_redemptions"] else "no real redemption")
        lines.append(f"  {c['chain']:<10} {real}, test {c['test_redemptions']} ({_m(c['test_amount'], unit)}), "
                     f"refused {c['refused']}, top-ups {_m(c['top_ups'], unit)}, findings {c['findings']}")
    if report["reserve_accounts"]:
        lines += ["", "Reserve accounts (locked / total)"]
        for a in report["reserve_accounts"]:
            pct = f"{a['utilization_pct']} %" if a["utilization_pct"] is not None else "unknown"
            lines.append(f"  {a['reserve_id']:<16} {a['type'] or '':<6} total {_m(a['total'], a['currency']):>20} "
                         f"locked {_m(a['locked'], a['currency']):>20} {pct:>12} {a['level']}")
    if report["missing"]:
        lines += ["", "Not known"] + [f"  {m}" for m in report["missing"]]
    return "\n".join(lines)
