"""The discrepancy frame: stable keys, and details people can read (amounts without storage padding)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from recon.discrepancies import Discrepancy, discrepancy_frame, plain


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("149853.370000000000000000"), "149853.37"),  # the warehouse's 18-place scale
    (Decimal("1E+5"), "100000"),  # normalize() alone would print an exponent
    (Decimal("-0.000"), "0"),  # no negative zero
    (Decimal("0.00000001"), "0.00000001"),  # 8-decimal amounts keep every place
])
def test_plain(value: Decimal, text: str) -> None:
    assert plain(value) == text


def test_details_carry_plain_decimals_and_the_key_is_stable() -> None:
    d = Discrepancy(type="backing_shortfall", scope_type="token", scope_id="RUSD", natural_key="backing",
                    severity="critical", summary="short",
                    details={"ratio": Decimal("0.985148328048"), "reserves": Decimal("9940146.630000000000000000")})
    frame = discrepancy_frame([d, d])
    assert frame["discrepancy_key"].to_list() == ["backing_shortfall|token|RUSD|backing"] * 2
    assert json.loads(frame["details"][0]) == {"ratio": "0.985148328048", "reserves": "9940146.63"}
