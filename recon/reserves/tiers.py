"""Tiers of a difference against its base, as for ledger-vs-bank balances, and the decimal helpers."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from recon.discrepancies import plain
from recon.reserves.config import Tiers

ACTION_BY_TIER = {
    "ok": "none",
    "minor": "record",
    "significant": "suspend_payouts",
    "critical": "circuit_breaker",
    "unknown": "record",
}
RATIO_PLACES = Decimal("1e-12")
PCT_PLACES = Decimal("1e-6")


def divide(numerator: Decimal, denominator: Decimal, places: Decimal) -> Decimal:
    """numerator / denominator rounded half-even to `places`, computed at 60 digits first."""
    with localcontext() as ctx:
        ctx.prec = 60
        return (numerator / denominator).quantize(places, rounding=ROUND_HALF_EVEN)


def pct_of(diff: Decimal, base: Decimal) -> Decimal:
    """|diff| / |base| * 100, half-even to 6 places; base must not be zero."""
    return divide(abs(diff) * 100, abs(base), PCT_PLACES)


def tier_of(diff: Decimal, base: Decimal, tiers: Tiers) -> tuple[str, Decimal | None]:
    """The tier of `diff` against `base` and the percent; a zero base is ok only for a zero diff."""
    if base == 0:
        return ("ok", None) if diff == 0 else ("critical", None)
    pct = pct_of(diff, base)
    if pct <= tiers.ok_pct:
        return "ok", pct
    if pct <= tiers.minor_pct:
        return "minor", pct
    if pct <= tiers.significant_pct:
        return "significant", pct
    return "critical", pct


def fmt(value: Decimal | None) -> str:
    """A Decimal for people: no trailing zeros, never exponent notation (1E+5 is 100000)."""
    return "n/a" if value is None else plain(value)
