"""The treasurer's report as text, or as HTML with the 30-business-day charts."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from pipelines.report.chart import line_chart
from recon.balances import Tiers
from recon.discrepancies import plain

BAND_COLOURS = {"ok": "#9be39b", "minor": "#f5e58c", "significant": "#f7b267", "critical": "#f28b82"}


def _n(value: Any) -> str:
    return "-" if value is None else plain(value) if isinstance(value, Decimal) else str(value)


def text(data: dict[str, Any]) -> str:
    day = data["business_date"]
    out = [f"Reconciliation of {day} (from the output store)", "", "E-money accounts, ledger vs bank:"]
    out += [f"  {a['account']:<34} {a['currency']} ledger {_n(a['ledger_balance']):>18} bank "
            f"{_n(a['bank_balance']):>18} diff {_n(a['diff']):>12} ({_n(a['pct'])} %) {a['tier']}"
            + (f"; intraday {a['intraday_tier']} ({a['intraday_window']})" if a.get("intraday_tier") else "")
            for a in data["accounts"]] or ["  none"]
    out += ["", f"Discrepancies seen on {day}: {len(data['discrepancies'])}"]
    out += [f"  [{f['severity']:<11}] {f['type']:<27} {f['scope_id']}: {f['summary'][:110]}"
            + ("" if f["status"] == "open" else f" ({f['status']})") for f in data["discrepancies"]]
    out += ["", "Circuit breakers and payout suspensions (open, or opened that day):"]
    out += [f"  {b['kind']:<18} {b['scope_type']:<11} {b['scope_id']:<24} {b['tier']} {b['type'] or ''} "
            f"opened {b['opened_on']} ({b['status']})" for b in data["flags"]] or ["  none"]
    out += ["", "Backing (reserves / circulating):"]
    out += [f"  {b['token']} {b['scope']:<9} circulating {_n(b['circulating']):>18} reserves {_n(b['reserves']):>18} "
            f"ratio {_n(b['ratio'])} {b['tier']}" for b in data["backing"]] or ["  not computed for this day"]
    out += ["", "Reserve utilisation:"]
    out += [f"  {r['reserve_id']:<12} locked {_n(r['locked'])} of {_n(r['total'])} ({r['level']})"
            for r in data["reserves"]] or ["  not computed for this day"]
    out += ["", "Credit lines:"]
    out += [f"  {p['credit_line_id']:<10} debt {_n(p['debt'])} {p['currency']} collateral {_n(p['collateral_value'])} "
            f"yield cushion {_n(p['yield_cushion_value'])} LTV {_n(p['ltv'])} "
            f"(with cushion {_n(p['ltv_with_cushion'])}) {p['band']}"
            for p in data["ltv"]] or ["  not computed for this day"]
    return "\n".join(out)


def _signed_pct(row: dict[str, Any]) -> Decimal | None:
    if row["pct"] is None or row["diff"] is None:
        return None
    return -row["pct"] if row["diff"] < 0 else row["pct"]


def charts(data: dict[str, Any], tiers: Tiers = Tiers()) -> list[str]:
    days = data["history_days"]
    diffs: dict[str, list[Decimal | None]] = {}
    for r in data["difference_history"]:
        series = diffs.setdefault(f"{r['account']} {r['currency']}", [None] * len(days))
        series[days.index(r["business_date"].isoformat())] = _signed_pct(r)
    edges = [(Decimal(0), tiers.ok_pct, "ok"), (tiers.ok_pct, tiers.minor_pct, "minor"),
             (tiers.minor_pct, tiers.significant_pct, "significant"),
             (tiers.significant_pct, tiers.significant_pct * 2, "critical")]
    bands = [(sign * a, sign * b, BAND_COLOURS[name], f"{name}: {a} to {b} %")
             for a, b, name in edges for sign in (Decimal(1), Decimal(-1))]
    top = tiers.significant_pct * 2
    out = [line_chart("Ledger - bank, % of the bank balance, last business days (tier bands behind)", days, diffs,
                      bands, -top, top)]
    keys = data["history_days"]
    ratios: dict[str, list[Decimal | None]] = {}
    for r in data["backing_history"]:
        series = ratios.setdefault(r["token"], [None] * len(keys))
        series[keys.index(r["partition_key"])] = r["ratio"]
    if ratios:
        out.append(line_chart("Backing ratio (reserves / circulating) per token", days, ratios,
                              [(Decimal("0.98"), Decimal("0.9999"), BAND_COLOURS["critical"], "below 1: shortfall"),
                               (Decimal("0.9999"), Decimal("1.02"), BAND_COLOURS["ok"], "fully backed")],
                              Decimal("0.98"), Decimal("1.02")))
    return out


def html(data: dict[str, Any]) -> str:
    body = escape(text(data))
    return ("<!doctype html><html><head><meta charset='utf-8'><title>Reconciliation "
            f"{escape(data['business_date'])}</title></head><body>"
            + "".join(f"<figure>{svg}</figure>" for svg in charts(data))
            + f"<pre>{body}</pre></body></html>\n")
