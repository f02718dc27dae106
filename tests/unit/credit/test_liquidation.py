"""Liquidation sizing by hand-checked examples."""

from __future__ import annotations

from dataclasses import replace

from recon.credit.position import evaluate
from recon.credit.rules import AssetRisk, CreditRules, HaircutRule, TighteningRule
from tests.unit.credit.helpers import FLAT_RULES, D, line, price, xlm

# 20 % haircut, no tightening: 100 XLM at 1 is 100 market value and 80 collateral value.
HAIRCUT20 = AssetRisk("XLM", "XLM", haircut=HaircutRule(D("0.2"), D(0), D("0.2"), D("0.2")),
                      tightening=TighteningRule(D(0), D(1)))
RULES20 = CreditRules(assets=(HAIRCUT20,), default=HAIRCUT20)


def test_partial_liquidation_by_hand() -> None:
    # D = 68, C = 80 (LTV 0.85), P = 100, T = 0.5: f = (68 - 40) / (100 - 40) = 0.4666667 -> sell 46.6666667
    # XLM for 46.6666667; then debt 21.3333333 on 53.3333333 x 0.8 = 42.6666666 -> LTV 0.5.
    p = evaluate(line("68"), [xlm("100")], {"XLM": price("1")}, RULES20)
    assert p.band == "partial_liquidation"
    assert p.assets[0].sell_quantity == D("46.6666667")
    assert p.liquidation_value == D("46.66666670")
    assert p.topup_value == D("56.00000000")  # 68 / 0.5 - 80


def test_partial_liquidation_capped_at_all_collateral() -> None:
    # Debt above the whole market value cannot be sold back to target: everything is sold, no more.
    p = evaluate(line("120"), [xlm("100", escrow="0")], {"XLM": price("1")},
                 CreditRules(assets=(HAIRCUT20,), default=HAIRCUT20))
    assert p.band == "full_liquidation"
    assert p.assets[0].sell_quantity == D("100.0000000") and p.liquidation_value == D("100.00000000")


def test_full_liquidation_sells_only_what_repays_the_debt() -> None:
    # LTV 0.95 on 100 of collateral: debt 95 is repaid with 95 XLM; the 5 left go back to the borrower.
    p = evaluate(line("95"), [xlm("100")], {"XLM": price("1")}, FLAT_RULES)
    assert p.band == "full_liquidation"
    assert p.assets[0].sell_quantity == D("95.0000000")


def test_margin_call_asks_for_a_topup_not_a_sale() -> None:
    p = evaluate(line("75"), [xlm("100")], {"XLM": price("1")}, FLAT_RULES)
    assert (p.band, p.liquidation_value, p.topup_value) == ("margin_call", D(0), D("50.00000000"))


def test_multi_asset_sale_is_pro_rata() -> None:
    # Two assets, same fraction of each: the sale does not pick which collateral to keep.
    from recon.credit.model import Holding
    p = evaluate(line("85"), [Holding("XLM", D(50)), Holding("AQUA:GB", D(100))],
                 {"XLM": price("1"), "AQUA:GB": price("0.5")}, FLAT_RULES)
    assert p.band == "partial_liquidation"
    sold = {a.asset: a.sell_quantity / a.quantity for a in p.assets}
    assert abs(sold["XLM"] - sold["AQUA:GB"]) < D("0.0000001")


def test_partial_liquidation_leaves_no_dust() -> None:
    # D = 68, C = 80, P = 100, T = 0.5 sells 46.67 and leaves 53.33 at market: above a 50 minimum it stays
    # partial; with a 60 minimum what is left is dust and everything is sold.
    for minimum, sold in (("50", D("46.6666667")), ("60", D("100.0000000"))):
        rules = replace(RULES20, liquidation_min_remaining_value=D(minimum))
        p = evaluate(line("68"), [xlm("100")], {"XLM": price("1")}, rules)
        assert p.band == "partial_liquidation" and p.assets[0].sell_quantity == sold
