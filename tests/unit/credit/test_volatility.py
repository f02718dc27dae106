"""Volatility from a price history: Decimal ln and sqrt, gaps, too little history."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from recon.credit.numbers import CTX
from recon.credit.volatility import annualised_volatility, daily_points, log_returns
from tests.unit.credit.helpers import CUTOFF


def _history(prices: list[str]) -> list[tuple]:
    """prices[0] at the cut-off, prices[i] i days earlier."""
    return [(CUTOFF - timedelta(days=i), Decimal(p)) for i, p in enumerate(prices)]


def test_constant_price_has_zero_volatility() -> None:
    assert annualised_volatility(_history(["2"] * 31), CUTOFF) == Decimal("0E-8")


def test_alternating_returns_match_the_closed_form() -> None:
    # Prices alternate 100, 110: returns are +-ln(1.1), 30 of them with mean 0, so the sample standard
    # deviation is ln(1.1) * sqrt(30 / 29), annualised with sqrt(365).
    hist = _history(["100" if i % 2 == 0 else "110" for i in range(31)])
    r = Decimal("1.1").ln(CTX)
    expected = r * (Decimal(30) / Decimal(29)).sqrt(CTX) * Decimal(365).sqrt(CTX)
    assert annualised_volatility(hist, CUTOFF) == expected.quantize(Decimal("0.00000001"))


def test_intraday_ticks_use_the_last_price_of_each_day() -> None:
    # Many ticks a day: only the last one at or before each daily point counts.
    hist = [*_history(["2"] * 31), (CUTOFF - timedelta(hours=3), Decimal("50"))]
    pts = daily_points(hist, CUTOFF, 30)
    assert pts[0] == Decimal("2") and len(pts) == 31


def test_gap_days_are_skipped_not_bridged() -> None:
    # A missing day must not produce a two-day return counted as one.
    pts = daily_points(_history(["1", "2", "3"])[:1] + _history(["1", "2", "3"])[2:], CUTOFF, 2)
    assert pts == [Decimal("1"), None, Decimal("3")]
    assert log_returns(pts) == []


def test_too_little_history_gives_none() -> None:
    # 10 returns are fewer than the 20 required: volatility unknown, so the band will be unknown.
    assert annualised_volatility(_history(["1"] * 11), CUTOFF) is None


def test_prices_after_the_cutoff_are_ignored() -> None:
    hist = [*_history(["2"] * 31), (CUTOFF + timedelta(hours=1), Decimal("1000"))]
    assert annualised_volatility(hist, CUTOFF) == Decimal("0E-8")
