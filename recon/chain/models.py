"""What a chain read returns: the pinned point, supply, balances, transfers and receipts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from recon.chain.units import to_decimal

# Receipt outcomes as the reserve side sees them at the pinned block.
RECEIPT_SUCCESS = "success"
RECEIPT_REVERTED = "reverted"
RECEIPT_NOT_FOUND = "not_found"
RECEIPT_AFTER_CUTOFF = "after_cutoff"


@dataclass(frozen=True)
class PinnedRead:
    chain: str
    chain_id: int | None  # None for Stellar
    block_number: int  # EVM block or Stellar ledger sequence
    block_hash: str
    block_time: datetime
    cutoff: datetime
    at_cutoff: int  # last block/ledger at or before the cut-off, before holding back
    head: int  # latest block/ledger when the pin was taken


@dataclass(frozen=True)
class SupplyRead:
    chain: str
    asset: str
    block_number: int
    decimals: int
    total_raw: int
    treasury_raw: int

    @property
    def circulating_raw(self) -> int:
        return self.total_raw - self.treasury_raw

    def amount(self, raw: int) -> Decimal:
        return to_decimal(raw, self.decimals)


@dataclass(frozen=True)
class BalanceRead:
    chain: str
    asset: str
    holder: str
    block_number: int
    decimals: int
    balance_raw: int
    kind: str = "holder"  # holder | treasury


@dataclass(frozen=True)
class TransferRead:
    chain: str
    asset: str
    block_number: int
    tx_hash: str
    log_index: int  # EVM log index; Stellar operation id's low bits
    sender: str
    receiver: str
    decimals: int
    amount_raw: int
    block_time: datetime | None = None


@dataclass(frozen=True)
class ReceiptRead:
    chain: str
    tx_hash: str
    status: str  # RECEIPT_*
    block_number: int | None
    transfers: tuple[TransferRead, ...] = field(default_factory=tuple)
