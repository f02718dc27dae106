"""Credit risk rules: haircut, band thresholds and their volatility tightening, per collateral asset.

All ratios are fractions (0.7 means 70 %). Defaults are the product's; every one is configurable per
asset (see README.md). Volatility is annualised (0.6 means 60 % a year).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from recon.credit.numbers import CTX, ONE, ZERO, clamp, ratio

BANDS = ("healthy", "watch", "margin_call", "partial_liquidation", "full_liquidation")
UNKNOWN = "unknown"


@dataclass(frozen=True)
class HaircutRule:
    """haircut = clamp(base + k * annual_vol, floor, cap), rounded half-even to 8 places."""

    base: Decimal = Decimal("0.02")
    k: Decimal = Decimal("0.25")
    floor: Decimal = Decimal("0.02")
    cap: Decimal = Decimal("0.50")

    def __post_init__(self) -> None:
        if not (ZERO <= self.floor <= self.cap < ONE):
            raise ValueError(f"haircut needs 0 <= floor <= cap < 1, got floor={self.floor} cap={self.cap}")
        if self.k < ZERO:
            raise ValueError(f"haircut k must be >= 0, got {self.k}")

    def haircut(self, annual_vol: Decimal) -> Decimal:
        raw = CTX.add(self.base, CTX.multiply(self.k, annual_vol))
        return ratio(clamp(raw, self.floor, self.cap))


@dataclass(frozen=True)
class BandThresholds:
    """LTV at or above which a line enters each band (the band below ends just under it)."""

    watch: Decimal = Decimal("0.60")
    margin_call: Decimal = Decimal("0.70")
    partial_liquidation: Decimal = Decimal("0.80")
    full_liquidation: Decimal = Decimal("0.90")

    def __post_init__(self) -> None:
        edges = self.as_tuple()
        if not (ZERO < edges[0] and all(a < b for a, b in itertools.pairwise(edges))
                and edges[-1] <= ONE):
            raise ValueError(f"thresholds must rise strictly within (0, 1]: {edges}")

    def as_tuple(self) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        return (self.watch, self.margin_call, self.partial_liquidation, self.full_liquidation)

    def scaled(self, factor: Decimal) -> BandThresholds:
        w, m, p, f = (ratio(CTX.multiply(t, factor)) for t in self.as_tuple())
        return BandThresholds(w, m, p, f)


@dataclass(frozen=True)
class TighteningRule:
    """Thresholds are multiplied by factor = clamp(1 - sensitivity * annual_vol, min_factor, 1).

    One factor for all four keeps their order; a volatile asset reaches every band earlier.
    """

    sensitivity: Decimal = Decimal("0.25")
    min_factor: Decimal = Decimal("0.50")

    def __post_init__(self) -> None:
        if not (ZERO < self.min_factor <= ONE) or self.sensitivity < ZERO:
            raise ValueError("tightening needs sensitivity >= 0 and 0 < min_factor <= 1")

    def factor(self, annual_vol: Decimal) -> Decimal:
        return ratio(clamp(CTX.subtract(ONE, CTX.multiply(self.sensitivity, annual_vol)),
                           self.min_factor, ONE))


@dataclass(frozen=True)
class AssetRisk:
    """Risk parameters of one collateral asset.

    `asset` is the Stellar asset key ("native" for lumens, else "CODE:ISSUER"); `price_symbol` is its name
    in the price source. `volatility`, when set, is used as given instead of the price history.
    """

    asset: str
    price_symbol: str
    haircut: HaircutRule = field(default_factory=HaircutRule)
    thresholds: BandThresholds = field(default_factory=BandThresholds)
    tightening: TighteningRule = field(default_factory=TighteningRule)
    volatility: Decimal | None = None

    def adjusted_thresholds(self, annual_vol: Decimal) -> BandThresholds:
        return self.thresholds.scaled(self.tightening.factor(annual_vol))


@dataclass(frozen=True)
class CreditRules:
    """Everything the LTV computation is configured by. Assets not listed get `default` parameters."""

    assets: tuple[AssetRisk, ...] = ()
    default: AssetRisk = field(default_factory=lambda: AssetRisk(asset="*", price_symbol="*"))
    max_price_age: timedelta = timedelta(hours=1)
    vol_window_days: int = 30
    vol_min_returns: int = 20
    # A ledger repayment with no bank credit this many days after its value date is unmatched.
    repayment_window_days: int = 2
    # A partial liquidation that would leave collateral worth less than this (line currency, at market)
    # sells everything instead: no dust is left behind (0: no minimum).
    liquidation_min_remaining_value: Decimal = Decimal("0")
    # A line in partial or full liquidation must show its collateral sale within this many hours.
    liquidation_deadline_hours: int = 24

    def for_asset(self, asset: str) -> AssetRisk:
        for a in self.assets:
            if a.asset == asset:
                return a
        return replace(self.default, asset=asset, price_symbol=default_symbol(asset))


def default_symbol(asset: str) -> str:
    """The price source's name for an asset: XLM for lumens ("native"), else the asset code."""
    return "XLM" if asset == "native" else asset.split(":", 1)[0]


def rules_from_mapping(data: Mapping[str, Any]) -> CreditRules:
    """Rules from JSON-shaped data; numbers must be strings or ints (never floats) to stay exact."""

    def dec(v: Any) -> Decimal:
        if isinstance(v, float):
            raise ValueError(f"give {v!r} as a string: floats are not exact")
        return Decimal(str(v))

    def asset(d: Mapping[str, Any], base: AssetRisk) -> AssetRisk:
        return AssetRisk(
            asset=d.get("asset", base.asset),
            price_symbol=d.get("price_symbol", default_symbol(d.get("asset", base.asset))),
            haircut=HaircutRule(**{k: dec(v) for k, v in d.get("haircut", {}).items()})
            if "haircut" in d else base.haircut,
            thresholds=BandThresholds(**{k: dec(v) for k, v in d.get("thresholds", {}).items()})
            if "thresholds" in d else base.thresholds,
            tightening=TighteningRule(**{k: dec(v) for k, v in d.get("tightening", {}).items()})
            if "tightening" in d else base.tightening,
            volatility=dec(d["volatility"]) if d.get("volatility") is not None else None,
        )

    default = asset(data.get("default", {}), AssetRisk(asset="*", price_symbol="*"))
    return CreditRules(
        assets=tuple(asset(a, default) for a in data.get("assets", [])),
        default=default,
        max_price_age=timedelta(seconds=int(data.get("max_price_age_seconds", 3600))),
        vol_window_days=int(data.get("vol_window_days", 30)),
        vol_min_returns=int(data.get("vol_min_returns", 20)),
        repayment_window_days=int(data.get("repayment_window_days", 2)),
        liquidation_min_remaining_value=dec(data.get("liquidation_min_remaining_value", "0")),
        liquidation_deadline_hours=int(data.get("liquidation_deadline_hours", 24)),
    )
