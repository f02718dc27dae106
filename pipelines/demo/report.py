"""The treasurer's report of the demo week, as text (or the same data as JSON)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from pipelines.demo.report_data import LAST_DAY, NAMES, gather
from recon.money import show
from stores.warehouse import Warehouse

_TIER_MEANING = {"ok": "ok", "minor": "minor: recorded", "significant": "significant: payouts suspended",
                 "critical": "CRITICAL: circuit breaker", "unknown": "UNKNOWN: an input missing"}


def _m(value: Decimal | None, unit: str | None) -> str:
    """Money for people: grouped digits at the unit's scale (every digit the value has kept)."""
    return show(value, unit, unknown="-")


def _n(value: Any, places: int = 2) -> str:
    """Ratios for people: grouped digits, fixed places; the warehouse keeps every digit."""
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return f"{value:,.{places}f}"
    return str(value)


def _scope(scope_id: str) -> str:
    """Accounts by their name (the IBAN is in the summary), everything else by its id."""
    return NAMES.get(scope_id, scope_id)


def _error(rows: list[dict[str, Any]]) -> str | None:
    return rows[0]["error"] if rows and "error" in rows[0] else None


def _section(title: str, rows: list[dict[str, Any]], lines: list[str], render) -> None:  # type: ignore[no-untyped-def]
    lines.append("")
    lines.append(title)
    if (err := _error(rows)) is not None:
        lines.append(f"  could not be read: {err}")
    elif not rows:
        lines.append("  nothing written (the step that writes it did not run or found no input)")
    else:
        lines.extend(render(r) for r in rows)


def render(data: dict[str, Any]) -> str:
    days = data["business_days"]
    lines = [f"Reconciliation of {days[0]} .. {days[-1]} (end of day) and the intraday window "
             f"{data['intraday_window']}"]
    _section(f"E-money accounts, ledger vs bank at the close of {LAST_DAY}:", data["accounts"], lines, lambda a: (
        f"  {a['name'] or a['account']:<28} ledger {_m(a.get('ledger_balance'), a['currency']):>21} "
        f"bank {_m(a.get('bank_balance'), a['currency']):>21} diff {_m(a.get('diff'), a['currency']):>16} "
        f"({_n(a.get('pct'), 4)} %)  {_TIER_MEANING.get(a.get('tier', 'unknown'), a.get('tier'))}"
        + (f"; intraday {a['intraday_tier']}" if a.get("intraday_tier") else "")))
    findings = data["discrepancies"]
    if _error(findings) is None:
        by_type = Counter(f["type"] for f in findings)
        lines += ["", f"Discrepancies: {len(findings)} ({', '.join(f'{t} {n}' for t, n in sorted(by_type.items()))})"]
        lines += [f"  [{f['severity']:<11}] {f['type']:<27} {_scope(f['scope_id'])}: {f['summary'][:100]}"
                  + ("" if f["status"] == "open" else f"  ({f['status']})") for f in findings]
    else:
        _section("Discrepancies:", findings, lines, str)
    _section("Active circuit breakers and suspended payouts (ids: recon breaker list; a person clears them):",
             data["flags"], lines, lambda b: (
                 f"  {b['kind'].replace('_', ' '):<18} {b['scope_type']:<11} {_scope(b['scope_id']):<22} "
                 f"{b['tier']} {b['type']} since {b['opened_on']}"))
    _section(f"Backing (reserves / tokens in circulation) at {LAST_DAY}:", data["backing"], lines, lambda b: (
        f"  {b['token']} {b['scope']:<9} circulating {_m(b['circulating'], b['token']):>22} "
        f"reserves {_m(b['reserves'], None):>17} "
        f"ratio {_n(b['ratio'], 6):>9}  {b['tier']}"
        + (f"; intraday {_n(b['intraday_ratio'], 6)} {b['intraday_tier']}" if b.get("intraday_tier") else "")))
    _section(f"Reserve utilisation at {LAST_DAY}:", data["reserves"], lines, lambda r: (
        f"  {r['reserve_id']:<12} {r['reserve_type']:<7} locked {_m(r['locked'], r.get('currency')):>15} "
        f"of {_m(r['total'], r.get('currency')):>15} "
        f"= {_n(r['utilization'] * 100 if r['utilization'] is not None else None)} %  {r['level']}"
        + (f", {r['stale_locks']} stale lock(s)" if r.get("stale_locks") else "")))
    _section(f"Credit lines, LTV bands at {LAST_DAY}:", data["ltv"], lines, lambda p: (
        f"  {p['credit_line_id']}  debt {_m(p['debt'], p['currency']):>17}  collateral value "
        f"{_m(p['collateral_value'], p['currency']):>17}  yield cushion "
        f"{_m(p['yield_cushion_value'], p['currency']):>13}"
        f"  LTV {_n(p['ltv'], 4):>7} (with cushion {_n(p['ltv_with_cushion'], 4)})  {p['band'].replace('_', ' ')}"))
    _section("Statement files:", data["files"], lines, lambda f: f"  {f['status']:<12} {f['n']}")
    _section("Quarantined (moved to drop/quarantine/ with the reason beside it):", data["quarantined"], lines,
             lambda f: f"  {f['file_name']}: {f['reason']}")
    return "\n".join(lines)


def treasurer_report(wh: Warehouse, drop_source: str) -> tuple[str, dict[str, Any]]:
    data = gather(wh, drop_source)
    return render(data), data
