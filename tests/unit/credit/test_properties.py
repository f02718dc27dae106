"""Properties over many generated lines: price falls raise LTV, liquidation reaches the target,
a stale price is never healthy."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import polars as pl
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from recon.credit.market import PRICE_SCHEMA, market_at
from recon.credit.model import Market
from recon.credit.numbers import CTX, ONE, ZERO, value
from recon.credit.position import evaluate
from recon.credit.rules import BANDS, CreditRules
from tests.unit.credit.helpers import CUTOFF, line, xlm

RULES = CreditRules()  # the product's defaults: haircut and tightening both move with volatility
quantities = st.decimals("1", "10000000", places=7)
prices = st.decimals("0.0001", "100000", places=6)
vols = st.decimals("0", "3", places=4)
debts = st.decimals("0.01", "100000000", places=2)


def _market(p: Decimal, vol: Decimal) -> dict[str, Market]:
    return {"XLM": Market(p, CUTOFF, vol)}


@settings(max_examples=300, deadline=None)
@given(quantities, prices, st.decimals("0.01", "0.99", places=2), vols, debts)
def test_ltv_rises_when_price_falls(qty: Decimal, p: Decimal, drop: Decimal, vol: Decimal,
                                    debt: Decimal) -> None:
    lower = (p * (ONE - drop)).quantize(Decimal("0.000001"))
    assume(lower > ZERO)
    before = evaluate(line(debt), [xlm(qty)], _market(p, vol), RULES)
    after = evaluate(line(debt), [xlm(qty)], _market(lower, vol), RULES)
    assert before.ltv is not None and after.ltv is not None
    assert after.ltv >= before.ltv
    assert BANDS.index(after.band) >= BANDS.index(before.band)


@settings(max_examples=300, deadline=None)
@given(quantities, prices, vols, st.decimals("0", "0.999", places=3), st.decimals("0.2", "0.55", places=2))
def test_partial_liquidation_brings_ltv_back_to_target(qty: Decimal, p: Decimal, vol: Decimal,
                                                       u: Decimal, target: Decimal) -> None:
    risk = RULES.for_asset("XLM")
    h, t = risk.haircut.haircut(vol), risk.adjusted_thresholds(vol)
    collateral = value(qty * p * (ONE - h))
    assume(collateral >= 1)
    ltv0 = t.partial_liquidation + u * (t.full_liquidation - t.partial_liquidation)
    debt = value(ltv0 * collateral)
    pos = evaluate(line(debt, target=str(target)), [xlm(qty)], _market(p, vol), RULES)
    assume(pos.band == "partial_liquidation")
    sold = pos.assets[0].sell_quantity
    assert ZERO < sold <= qty
    assert pos.liquidation_value == value(sold * p) <= debt
    debt_after = debt - sold * p
    collateral_after = (qty - sold) * p * (ONE - h)
    ltv_after = CTX.divide(debt_after, collateral_after)
    # Selling is rounded half-even to 7 places (one stroop): at most half a stroop of value moves in
    # the debt and in the collateral, plus one unit of the 8-place LTV and value scales.
    slack = CTX.divide(Decimal("0.00000005") * p * 2 + Decimal("0.00000002"), collateral_after)
    aim = min(target, t.watch)  # a sale never aims above the (tightened) watch edge
    assert pos.effective_target_ltv == aim
    assert abs(ltv_after - aim) <= slack + Decimal("0.00000001")


@settings(max_examples=200, deadline=None)
@given(quantities, prices, vols, st.decimals("0", "100000000", places=2),
       st.integers(61, 60 * 24 * 40))
def test_stale_price_is_never_healthy(qty: Decimal, p: Decimal, vol: Decimal, debt: Decimal,
                                      age_minutes: int) -> None:
    history = pl.DataFrame([{"asset": "XLM", "quote": "EUR", "price": p,
                             "observed_at": CUTOFF - timedelta(minutes=age_minutes)}], schema=PRICE_SCHEMA)
    market = market_at(history, {"XLM": vol}, ["XLM"], "EUR", CUTOFF, RULES)
    pos = evaluate(line(debt), [xlm(qty)], market, RULES)
    assert pos.band == "unknown"
