"""Raw <-> Decimal conversions: exact at every scale a chain uses."""

from decimal import Decimal

import pytest

from recon.chain.units import parse_stellar_amount, stellar_to_raw, to_decimal, to_raw

MAX_UINT = 2**256 - 1


@pytest.mark.parametrize("raw,decimals,text", [
    (1_500_000, 6, "1.500000"),  # USDC-style 6 decimals keeps its scale
    (1, 18, "1E-18"),  # one wei of an 18-decimal token
    (0, 18, "0E-18"),  # zero still carries the token's scale
    # a 78-digit uint256 is not rounded (the default 28-digit context would)
    (MAX_UINT, 18, "115792089237316195423570985008687907853269984665640564039457.584007913129639935"),
    (-5, 2, "-0.05"),  # a signed difference (supply minus treasury can be negative)
])
def test_to_decimal(raw: int, decimals: int, text: str) -> None:
    assert str(to_decimal(raw, decimals)) == text
    assert to_raw(to_decimal(raw, decimals), decimals) == raw


def test_to_raw_refuses_amounts_finer_than_a_unit() -> None:
    with pytest.raises(ValueError, match="more than 6 decimal places"):
        to_raw(Decimal("1.0000001"), 6)


@pytest.mark.parametrize("text,expected", [
    ("1234.5000000", Decimal("1234.5000000")),  # Horizon's usual 7-place form
    ("0.0000001", Decimal("0.0000001")),  # one stroop
    ("922337203685.4775807", Decimal("922337203685.4775807")),  # int64 max: the trustline limit
    ("12", Decimal("12.0000000")),  # no fraction at all
])
def test_stellar_amounts(text: str, expected: Decimal) -> None:
    value = parse_stellar_amount(text)
    assert value == expected and value.as_tuple().exponent == -7
    assert stellar_to_raw(value) == int(expected * 10**7)


@pytest.mark.parametrize("bad", ["1.00000001", "1e5", "", "abc", "1,5", "NaN"])
def test_stellar_amount_rejects_what_horizon_never_sends(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_stellar_amount(bad)
