"""Exact conversions between a chain's raw integer units and Decimal amounts (never float)."""

from __future__ import annotations

import re
from decimal import Context, Decimal

# Wide enough for any uint256 (78 digits) at any scale: scaling never rounds.
_EXACT = Context(prec=200)
STELLAR_DECIMALS = 7
_STELLAR_AMOUNT = re.compile(r"^-?\d{1,12}(\.\d{1,7})?$")


def to_decimal(raw: int, decimals: int) -> Decimal:
    """Raw units to a Decimal with exactly `decimals` places: 1500000, 6 -> 1.500000."""
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    return Decimal(raw).scaleb(-decimals, _EXACT)


def to_raw(amount: Decimal | str | int, decimals: int) -> int:
    """Decimal amount to raw units; refuses amounts finer than the token's smallest unit."""
    value = Decimal(amount) if not isinstance(amount, Decimal) else amount
    if not value.is_finite():
        raise ValueError(f"amount {amount!r} is not a finite number")
    scaled = value.scaleb(decimals, _EXACT)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"amount {amount} has more than {decimals} decimal places")
    return int(scaled)


def parse_stellar_amount(text: str) -> Decimal:
    """Horizon amount string ("1234.5000000") to an exact Decimal with 7 places."""
    if not isinstance(text, str) or not _STELLAR_AMOUNT.match(text.strip()):
        raise ValueError(f"not a Stellar amount: {text!r}")
    return Decimal(text.strip()).quantize(Decimal(1).scaleb(-STELLAR_DECIMALS), context=_EXACT)


def stellar_to_raw(amount: Decimal) -> int:
    """Stellar amount to stroops (1e-7 units)."""
    return to_raw(amount, STELLAR_DECIMALS)
