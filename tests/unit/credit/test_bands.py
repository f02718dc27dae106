"""Band edges, one case per edge: exactly at a threshold is already the worse band."""

from __future__ import annotations

from decimal import Decimal

import pytest

from recon.credit.position import evaluate
from recon.credit.rules import AssetRisk, BandThresholds, CreditRules, HaircutRule, TighteningRule
from tests.unit.credit.helpers import FLAT_RULES, D, line, price, xlm

# 100 XLM at price 1, no haircut: LTV = debt / 100, thresholds 0.60 / 0.70 / 0.80 / 0.90.
EDGES = [
    ("0", "healthy"),  # no debt at all
    ("59.999999", "healthy"),  # LTV 0.59999999: one unit of the ratio scale under the watch edge
    ("59.9999995", "watch"),  # LTV 0.599999995 rounds half-even to 0.60000000, and bands use the rounded LTV
    ("60", "watch"),  # exactly on the watch edge
    ("69.999999", "watch"),  # just under margin call
    ("70", "margin_call"),  # exactly on the margin-call edge
    ("79.999999", "margin_call"),  # just under partial liquidation
    ("80", "partial_liquidation"),  # exactly on the partial-liquidation edge
    ("89.999999", "partial_liquidation"),  # just under full liquidation
    ("90", "full_liquidation"),  # exactly on the full-liquidation edge
    ("150", "full_liquidation"),  # debt above the collateral's whole value
]


@pytest.mark.parametrize(("debt", "band"), EDGES)
def test_band_edges(debt: str, band: str) -> None:
    p = evaluate(line(debt), [xlm("100")], {"XLM": price("1")}, FLAT_RULES)
    assert p.band == band
    assert p.ltv == (D(debt) / 100).quantize(D("0.00000001"))  # half-even, 8 places


def test_interest_counts_as_debt() -> None:
    # 59 principal + 1 interest reaches the watch edge: the risk engine must see the whole debt.
    p = evaluate(line("59", interest="1"), [xlm("100")], {"XLM": price("1")}, FLAT_RULES)
    assert (p.debt, p.band) == (D("60.00000000"), "watch")


def test_volatility_tightens_every_threshold() -> None:
    # vol 0.8 with sensitivity 0.25 scales the thresholds by 0.8: 0.48 / 0.56 / 0.64 / 0.72, so an
    # LTV of 0.5 that is healthy on a calm asset is already "watch" on this one.
    risk = AssetRisk("XLM", "XLM", haircut=HaircutRule(D(0), D(0), D(0), D(0)),
                     tightening=TighteningRule(D("0.25"), D("0.5")))
    rules = CreditRules(assets=(risk,), default=risk)
    calm = evaluate(line("50"), [xlm("100")], {"XLM": price("1", vol="0")}, rules)
    wild = evaluate(line("50"), [xlm("100")], {"XLM": price("1", vol="0.8")}, rules)
    assert calm.band == "healthy"
    assert wild.band == "watch"
    assert wild.thresholds == BandThresholds(D("0.48"), D("0.56"), D("0.64"), D("0.72"))


def test_tightening_is_bounded_by_min_factor() -> None:
    # An extreme volatility (5 = 500 %) must not push thresholds to zero: min_factor 0.5 holds them.
    t = TighteningRule(D("0.25"), D("0.5"))
    assert t.factor(D(5)) == D("0.5")
    assert BandThresholds().scaled(t.factor(D(5))).full_liquidation == D("0.45")


@pytest.mark.parametrize(("vol", "haircut"), [
    ("0", "0.02"),  # calm asset: the floor (= base)
    ("0.6", "0.17"),  # 0.02 + 0.25 x 0.6
    ("1.92", "0.50"),  # 0.02 + 0.25 x 1.92 = 0.5: exactly the cap
    ("4", "0.50"),  # far beyond: capped, collateral never valued below half
])
def test_haircut_grows_with_volatility_within_floor_and_cap(vol: str, haircut: str) -> None:
    assert HaircutRule().haircut(D(vol)) == D(haircut)


def test_thresholds_must_rise() -> None:
    # A configuration with margin call below watch would make bands overlap: refused at load.
    with pytest.raises(ValueError, match="rise strictly"):
        BandThresholds(D("0.7"), D("0.6"), D("0.8"), D("0.9"))


def test_blended_thresholds_weight_by_collateral_value() -> None:
    # Two assets, equal value: one calm (factor 1), one at vol 0.8 (factor 0.8): the line's edges sit
    # halfway, e.g. watch = (0.60 + 0.48) / 2 = 0.54.
    calm = AssetRisk("USDC:GA", "USDC", haircut=HaircutRule(D(0), D(0), D(0), D(0)))
    wild = AssetRisk("XLM", "XLM", haircut=HaircutRule(D(0), D(0), D(0), D(0)))
    rules = CreditRules(assets=(calm, wild))
    from recon.credit.model import Holding
    p = evaluate(line("10"), [Holding("USDC:GA", D(50)), Holding("XLM", D(50))],
                 {"USDC:GA": price("1", vol="0"), "XLM": price("1", vol="0.8")}, rules)
    assert p.thresholds is not None and p.thresholds.watch == Decimal("0.54")


def test_rules_from_json_shaped_data() -> None:
    # Configuration arrives as JSON: numbers as strings stay exact; a float is refused, not rounded.
    from recon.credit.rules import rules_from_mapping
    rules = rules_from_mapping({"max_price_age_seconds": 900, "default": {"haircut": {"base": "0.05"}},
                                "assets": [{"asset": "native", "thresholds": {"watch": "0.5", "margin_call": "0.6",
                                                                              "partial_liquidation": "0.7",
                                                                              "full_liquidation": "0.8"}}]})
    xlm = rules.for_asset("native")
    assert (xlm.price_symbol, xlm.thresholds.watch, xlm.haircut.base) == ("XLM", D("0.5"), D("0.05"))
    assert rules.for_asset("USDC:GA1").price_symbol == "USDC"
    with pytest.raises(ValueError, match="string"):
        rules_from_mapping({"default": {"haircut": {"base": 0.05}}})
