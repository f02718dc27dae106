"""Small builders for the credit tests: one line, one asset, plain rules."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from recon.credit.model import CreditLine, Holding, Market
from recon.credit.rules import AssetRisk, CreditRules, HaircutRule, TighteningRule

CUTOFF = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
D = Decimal

# No haircut and no tightening: LTV is exactly debt / (quantity x price), so band edges are easy to hit.
FLAT = AssetRisk(asset="XLM", price_symbol="XLM", haircut=HaircutRule(D(0), D(0), D(0), D(0)),
                 tightening=TighteningRule(D(0), D(1)))
FLAT_RULES = CreditRules(assets=(FLAT,), default=FLAT)


def line(debt: str | Decimal, target: str = "0.5", interest: str = "0") -> CreditLine:
    return CreditLine("L1", "EUR", D(debt), D(interest), D(target), collateral_accounts=("GA1",))


def xlm(quantity: str | Decimal, escrow: str = "0", yield_: str = "0") -> Holding:
    return Holding("XLM", D(quantity), D(escrow), D(yield_))


def price(p: str | Decimal, vol: str = "0", at: datetime = CUTOFF, problem: str | None = None) -> Market:
    return Market(D(p), at, D(vol), problem)
