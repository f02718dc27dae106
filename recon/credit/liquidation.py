"""How much collateral to sell, and how much to add, to bring a line back to its target LTV.

Notation (line currency): D debt, C collateral value after haircut, P market value, T target LTV.
Selling the same fraction f of every collateral asset raises f*P, repays f*P of debt and removes f*C of
collateral value, so (D - f*P) / (C - f*C) = T gives f = (D - T*C) / (P - T*C), kept within [0, 1]
(with D > P even selling everything does not reach T: f = 1, capped at what there is).
Full liquidation sells enough to repay the whole debt: f = min(D, P) / P.
A top-up is the collateral value (after haircut) to add instead: D / T - C, never below 0.
"""

from __future__ import annotations

from decimal import Decimal

from recon.credit.numbers import CTX, ONE, ZERO, clamp, value


def partial_fraction(debt: Decimal, collateral: Decimal, market: Decimal, target: Decimal) -> Decimal:
    if market <= ZERO or debt <= ZERO:
        return ZERO
    denominator = CTX.subtract(market, CTX.multiply(target, collateral))
    if denominator <= ZERO:
        return ONE
    numerator = CTX.subtract(debt, CTX.multiply(target, collateral))
    return clamp(CTX.divide(numerator, denominator), ZERO, ONE)


def full_fraction(debt: Decimal, market: Decimal) -> Decimal:
    if market <= ZERO or debt <= ZERO:
        return ZERO
    return clamp(CTX.divide(min(debt, market), market), ZERO, ONE)


def topup_value(debt: Decimal, collateral: Decimal, target: Decimal) -> Decimal:
    if target <= ZERO or debt <= ZERO:
        return ZERO
    return value(max(ZERO, CTX.subtract(CTX.divide(debt, target), collateral)))
