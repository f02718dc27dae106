"""One scale registry and one formatter: amounts shown as people read them, kept as the source sent them."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from recon import money
from recon.stored_amounts import at_source_scale

D = Decimal


@pytest.mark.parametrize(("value", "unit", "shown"), [
    (D("250.000000000000000000"), "GBP", "250.00 GBP"),  # a Decimal(38, 18) frame's padding is gone
    (D("1500250.000000"), "RUSD", "1,500,250 RUSD"),  # a token shows its own digits
    (D("10.0000000"), "RUSD", "10 RUSD"),  # a 7-decimal Stellar amount is not 10.000000000000000000
    (D("10.1234567"), "RUSD", "10.1234567 RUSD"),
    (D("1.23456"), "CHF", "1.23456 CHF"),  # 5 decimals a bank sent are never rounded to 2
    (D("5000"), "JPY", "5,000 JPY"),  # ISO 4217: no minor unit
    (D("-45.5"), "KWD", "-45.500 KWD"),  # three
    (D("-0.000"), "EUR", "0.00 EUR"),  # no minus zero
    (D("12345678901234567890.123456789012345678"), "USD",
     "12,345,678,901,234,567,890.123456789012345678 USD"),  # past the default 28-digit context
    (D("1E+5"), None, "100,000"),  # never exponent notation
    (None, "USD", "n/a"),
])
def test_show(value: Decimal | None, unit: str | None, shown: str) -> None:
    assert money.show(value, unit) == shown


@pytest.mark.parametrize(("value", "scale", "text"), [
    (D("250.000000000000000000"), 2, "250.00"),
    (D("250.5"), 2, "250.50"),
    (D("1.23456"), 2, "1.23456"),
    (D("1500250.000000"), None, "1500250"),
    (D("1500250.000000"), 6, "1500250.000000"),  # a token's decimals, when the registry knows them
    (D("0E-18"), 2, "0.00"),
])
def test_exact(value: Decimal, scale: int | None, text: str) -> None:
    assert money.exact(value, scale) == text


def test_scale_registry() -> None:
    assert [money.minor_units(c) for c in ("GBP", "JPY", "BHD", "CLF", "RUSD", None)] == [2, 0, 3, 4, None, None]
    tokens = {"USDT": 6, "XLMUSD": 7, "WETH": 18}
    assert [money.scale_of(u, tokens) for u in ("USDT", "XLMUSD", "WETH", "EUR", "ABC")] == [6, 7, 18, 2, None]


def test_frame_amounts_are_written_at_each_rows_scale() -> None:
    # One Decimal(38, 18) column holds GBP, KWD, JPY and a token: each row keeps its own scale.
    rows = pl.DataFrame({
        "currency": ["GBP", "KWD", "JPY", "RUSD", "CHF", "USD", None],
        "amount": [D("250.00"), D("-45.5"), D("0"), D("2500"), D("1.23456"), None, D("7.10")],
    }, schema={"currency": pl.String(), "amount": pl.Decimal(38, 18)})
    out = at_source_scale("discrepancies", rows)
    assert out["amount"].to_list() == ["250.00", "-45.500", "0", "2500", "1.23456", None, "7.1"]
    # Each text is the same number: nothing rounded.
    assert [D(t) if t else None for t in out["amount"]] == rows["amount"].to_list()


def test_frame_text_agrees_with_exact_for_every_unit() -> None:
    values = [D("0.01"), D("123456789.123456789"), D("-1000"), D("5.5")]
    units = [*money.ISO_4217_MINOR_UNITS, "RUSD"]
    rows = pl.DataFrame([(u, v) for u in units for v in values], schema={
        "currency": pl.String(), "amount": pl.Decimal(38, 18)}, orient="row")
    got = at_source_scale("discrepancies", rows)["amount"].to_list()
    assert got == [money.exact(v, money.minor_units(u)) for u in units for v in values]
