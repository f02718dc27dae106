"""The reserve checks' configuration: which accounts back which token, tolerances, levels, TTLs.

Plain frozen dataclasses so the domain stays free of Dagster; assets build them from resource config.
Every default is the specification's; README.md in this folder explains each one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# The redemption service's chain ids and the names the rest of the suite uses for them.
DEFAULT_CHAIN_IDS: dict[str, int] = {"ethereum": 1, "base": 8453}


@dataclass(frozen=True)
class TokenBacking:
    """One token: where it circulates and what backs it.

    `chain_assets` maps a chain name to the asset name under which recon.chain_supply records the
    token's supply there. `reserve_accounts` are the bank accounts (as in recon.bank_statements) whose
    closing balances are reserve. `ledger_reserve_chains` names chains whose reserve-ledger total is
    counted too, for funds the reserve ledger holds that are not yet at the bank.
    """

    token: str
    currency: str
    chain_assets: dict[str, str]
    reserve_accounts: tuple[str, ...] = ()
    ledger_reserve_chains: tuple[str, ...] = ()
    # Backing ratio may fall this far below 1 before it is a shortfall (0.0001 = 0.01 %).
    tolerance: Decimal = Decimal("0.0001")


@dataclass(frozen=True)
class Tiers:
    """Percent thresholds (|diff| / base * 100) as for ledger-vs-bank balances."""

    ok_pct: Decimal = Decimal("0.01")
    minor_pct: Decimal = Decimal("0.05")
    significant_pct: Decimal = Decimal("0.5")


@dataclass(frozen=True)
class UtilizationLevels:
    """Lower bounds of each level, as fractions of total (locked / total)."""

    moderate: Decimal = Decimal("0.50")
    warning: Decimal = Decimal("0.75")
    critical: Decimal = Decimal("0.90")
    emergency: Decimal = Decimal("0.95")


@dataclass(frozen=True)
class RedemptionChain:
    """One chain of the redemption service: its name, id, reserve at launch and token contract.

    The reserve at launch has no default: the books start from a figure the issuer configured."""

    chain: str
    chain_id: int
    initial_reserve: Decimal
    token_address: str | None = None
    token_decimals: int = 6


@dataclass(frozen=True)
class ReservesConfig:
    tokens: tuple[TokenBacking, ...] = ()
    # None: the redemption service's chains are not configured (its books cannot be audited), never a guess.
    redemption_chains: tuple[RedemptionChain, ...] | None = None
    # The token the redemption service redeems; its per-chain supply is checked against the reserve ledger.
    redemption_asset: str = "USDT"
    tiers: Tiers = field(default_factory=Tiers)
    levels: UtilizationLevels = field(default_factory=UtilizationLevels)
    # A bank closing balance may be this many days older than the business date (0: that day's only).
    bank_balance_max_age_days: int = 0
    # A lock with no ttl of its own expires after this long without a release.
    default_lock_ttl_seconds: int = 24 * 3600
    # |off-chain - on-chain| above this is a holder mismatch; per asset, else the default.
    holder_tolerance: Decimal = Decimal("0.00000001")
    holder_tolerance_by_asset: dict[str, Decimal] = field(default_factory=dict)
    # Receipts are read this many per JSON-RPC batch.
    receipt_batch_size: int = 100

    @property
    def chains(self) -> tuple[RedemptionChain, ...]:
        """The configured redemption chains; none when they are not configured."""
        return self.redemption_chains or ()

    def chain_by_name(self, chain: str) -> RedemptionChain | None:
        return next((c for c in self.chains if c.chain == chain), None)

    def chain_by_id(self, chain_id: int) -> RedemptionChain | None:
        return next((c for c in self.chains if c.chain_id == chain_id), None)

    def holder_tolerance_for(self, asset: str) -> Decimal:
        return self.holder_tolerance_by_asset.get(asset, self.holder_tolerance)
