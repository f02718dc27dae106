"""Decimal arithmetic for the credit domain: one context, one rounding mode, stated scales."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal

# Every intermediate result is computed with 34 significant digits (IEEE decimal128), half-even;
# results are then quantised to the scales below, also half-even.
CTX = Context(prec=34, rounding=ROUND_HALF_EVEN)

VALUE_SCALE = 8  # collateral values, debt, liquidation proceeds, top-ups (line currency)
QUANTITY_SCALE = 7  # asset quantities (Stellar amounts carry 7 places)
RATIO_SCALE = 8  # LTV, haircut, thresholds, volatility (fractions, not percent)

ZERO = Decimal(0)
ONE = Decimal(1)


def q(value: Decimal, places: int) -> Decimal:
    """Quantise to `places` decimals, half-even."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN, context=CTX)


def value(x: Decimal) -> Decimal:
    return q(x, VALUE_SCALE)


def quantity(x: Decimal) -> Decimal:
    return q(x, QUANTITY_SCALE)


def ratio(x: Decimal) -> Decimal:
    return q(x, RATIO_SCALE)


def clamp(x: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, x))
