"""What the LTV computation takes and gives: credit lines, collateral holdings, market data, positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from recon.credit.numbers import ZERO
from recon.credit.rules import BandThresholds


@dataclass(frozen=True)
class CreditLine:
    credit_line_id: str
    currency: str
    principal: Decimal
    accrued_interest: Decimal
    target_ltv: Decimal
    user_id: str | None = None
    credit_limit: Decimal | None = None
    status: str = "active"
    collateral_accounts: tuple[str, ...] = ()
    creditor_reference: str | None = None

    @property
    def debt(self) -> Decimal:
        return self.principal + self.accrued_interest


@dataclass(frozen=True)
class Holding:
    """One collateral asset of one line: in the line's accounts, escrowed in a contract, yield accrued."""

    asset: str
    on_chain: Decimal = ZERO
    escrowed: Decimal = ZERO
    yield_accrued: Decimal = ZERO

    @property
    def quantity(self) -> Decimal:
        return self.on_chain + self.escrowed


@dataclass(frozen=True)
class Market:
    """Price (in the line's currency) and annual volatility of one asset at the cut-off.

    `problem` says why the asset cannot be valued (stale or missing price, no volatility); None when it can.
    """

    price: Decimal | None
    price_at: datetime | None
    volatility: Decimal | None
    problem: str | None = None


@dataclass(frozen=True)
class AssetValuation:
    asset: str
    quantity: Decimal
    yield_quantity: Decimal
    price: Decimal
    volatility: Decimal
    haircut: Decimal
    market_value: Decimal  # quantity x price
    collateral_value: Decimal  # quantity x price x (1 - haircut)
    cushion_value: Decimal  # yield_quantity x price x (1 - haircut)
    thresholds: BandThresholds
    sell_quantity: Decimal = ZERO


@dataclass(frozen=True)
class LtvPosition:
    credit_line_id: str
    currency: str
    debt: Decimal
    band: str
    target_ltv: Decimal
    collateral_value: Decimal | None = None
    collateral_value_with_cushion: Decimal | None = None
    yield_cushion_value: Decimal | None = None
    market_value: Decimal | None = None
    ltv: Decimal | None = None
    ltv_with_cushion: Decimal | None = None
    thresholds: BandThresholds | None = None
    effective_target_ltv: Decimal | None = None  # min(target_ltv, adjusted watch edge): what a sale aims at
    liquidation_value: Decimal = ZERO
    topup_value: Decimal = ZERO
    reason: str | None = None
    assets: tuple[AssetValuation, ...] = field(default_factory=tuple)
