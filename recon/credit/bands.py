"""Which band an LTV is in, and the thresholds of a line holding several assets."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from recon.credit.numbers import CTX, ZERO, ratio
from recon.credit.rules import BANDS, BandThresholds


def classify(ltv: Decimal, t: BandThresholds) -> str:
    """An LTV equal to a threshold is already in the worse band (>=)."""
    band = BANDS[0]
    for name, edge in zip(BANDS[1:], t.as_tuple(), strict=True):
        if ltv >= edge:
            band = name
    return band


def blended_thresholds(parts: Sequence[tuple[BandThresholds, Decimal]]) -> BandThresholds:
    """Thresholds weighted by each asset's collateral value (after haircut), half-even to 8 places.

    With no collateral value to weigh by, the tightest asset's thresholds apply.
    """
    total = sum((w for _, w in parts), ZERO)
    if total <= ZERO:
        return min((t for t, _ in parts), key=lambda t: t.as_tuple())
    edges = [
        ratio(CTX.divide(sum((CTX.multiply(t.as_tuple()[i], w) for t, w in parts), ZERO), total))
        for i in range(4)
    ]
    return BandThresholds(*edges)
