"""Fail-closed verdicts and the zero cases: unknown is never healthy."""

from __future__ import annotations

from datetime import timedelta

from recon.credit.market import market_at
from recon.credit.model import Market
from recon.credit.position import evaluate
from tests.unit.credit.helpers import CUTOFF, FLAT_RULES, D, line, price, xlm


def test_failed_collateral_read_is_unknown_even_with_tiny_debt() -> None:
    # A Horizon outage must not make a line look healthy.
    p = evaluate(line("1"), [], {}, FLAT_RULES, read_error="horizon: 503")
    assert p.band == "unknown" and "horizon: 503" in (p.reason or "")


def test_zero_collateral_with_debt_is_full_liquidation() -> None:
    # The collateral really is gone (read succeeded, nothing there): the worst band, not unknown.
    p = evaluate(line("10"), [], {}, FLAT_RULES)
    assert p.band == "full_liquidation" and p.ltv is None
    assert p.topup_value == D("20.00000000")  # 10 / 0.5 - 0


def test_zero_collateral_with_failed_read_is_unknown() -> None:
    assert evaluate(line("10"), [], {}, FLAT_RULES, read_error="timeout").band == "unknown"


def test_zero_debt_is_healthy() -> None:
    p = evaluate(line("0"), [xlm("100")], {"XLM": price("1")}, FLAT_RULES)
    assert (p.band, p.ltv, p.liquidation_value) == ("healthy", D(0), D(0))


def test_zero_debt_and_no_collateral_is_healthy() -> None:
    # A line opened but never drawn or funded: nothing to value, nothing owed.
    assert evaluate(line("0"), [], {}, FLAT_RULES).band == "healthy"


def test_stale_price_is_unknown() -> None:
    prices_old = price("1", at=CUTOFF - timedelta(hours=2), problem="stale")
    assert evaluate(line("10"), [xlm("100")], {"XLM": prices_old}, FLAT_RULES).band == "unknown"


def test_missing_price_is_unknown() -> None:
    p = evaluate(line("10"), [xlm("100")], {"XLM": Market(None, None, None, None)}, FLAT_RULES)
    assert p.band == "unknown" and "no price" in (p.reason or "")


def test_missing_volatility_is_unknown() -> None:
    # Without volatility neither the haircut nor the thresholds are known.
    p = evaluate(line("10"), [xlm("100")], {"XLM": Market(D(1), CUTOFF, None)}, FLAT_RULES)
    assert p.band == "unknown"


def test_yield_cushion_keeps_a_line_out_of_margin_call() -> None:
    # 70 debt on 100 of collateral alone is margin call (0.70); 20 of accrued yield absorbs the drawdown:
    # 70 / 120 = 0.583 is healthy. The cushion and the LTV without it are shown apart.
    p = evaluate(line("70"), [xlm("100", yield_="20")], {"XLM": price("1")}, FLAT_RULES)
    assert p.band == "healthy"
    assert (p.yield_cushion_value, p.collateral_value_with_cushion) == (D("20.00000000"), D("120.00000000"))
    assert (p.ltv, p.ltv_with_cushion) == (D("0.70000000"), D("0.58333333"))


def test_yield_cushion_that_does_not_suffice() -> None:
    # 90 debt: 90 / 120 = 0.75 is still margin call with the cushion; the top-up counts the cushion in.
    p = evaluate(line("90"), [xlm("100", yield_="20")], {"XLM": price("1")}, FLAT_RULES)
    assert p.band == "margin_call" and p.ltv_with_cushion == D("0.75000000")
    assert p.topup_value == evaluate(line("90"), [xlm("120")], {"XLM": price("1")}, FLAT_RULES).topup_value


def test_escrow_counts_as_collateral() -> None:
    p = evaluate(line("60"), [xlm("50", escrow="50")], {"XLM": price("1")}, FLAT_RULES)
    assert p.collateral_value == D("100.00000000") and p.band == "watch"


def test_market_uses_last_price_before_cutoff_and_flags_stale() -> None:
    import polars as pl

    from recon.credit.market import PRICE_SCHEMA
    prices = pl.DataFrame([
        {"asset": "XLM", "quote": "EUR", "price": D("0.10"), "observed_at": CUTOFF - timedelta(minutes=90)},
        {"asset": "XLM", "quote": "EUR", "price": D("0.50"), "observed_at": CUTOFF + timedelta(minutes=1)},
    ], schema=PRICE_SCHEMA)
    m = market_at(prices, {"XLM": D("0.5")}, ["XLM"], "EUR", CUTOFF, FLAT_RULES)["XLM"]
    # The later price is after the cut-off and must not be used; the earlier one is 90 min old (> 1 h).
    assert m.price == D("0.10") and m.problem is not None and "stale" in m.problem
    usd = market_at(prices, {}, ["XLM"], "USD", CUTOFF, FLAT_RULES)["XLM"]
    assert usd.price is None and "no XLM/USD price" in (usd.problem or "")
