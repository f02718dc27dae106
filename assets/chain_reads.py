"""One chain's reads for a partition: pin, then per asset supply, balances and (daily) transfers.
A failure is kept per asset (and per chain when the pin itself fails), never raised past here.

Daily partitions read at the business date's cut-off, with the transfers since the previous business
day's pin. Intraday windows read supply and balances at the last final block at or before the
window's end (no transfers: the daily run covers them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from assets.partitions import CALENDAR
from clients.chain_retry import ChainReadError
from clients.evm_client import EvmClient
from clients.stellar_client import StellarClient
from recon.chain.models import BalanceRead, PinnedRead, SupplyRead, TransferRead
from recon.chain.pinning import NothingBeforeCutoff
from stores.chain_store import store_complete, store_failed
from stores.warehouse import Warehouse

READ_ERRORS = (ChainReadError, NothingBeforeCutoff, ValueError, KeyError)

SupplyFn = Callable[[int], tuple[SupplyRead, list[BalanceRead]]]
TransfersFn = Callable[[int, int], Iterable[TransferRead]]


@dataclass(frozen=True)
class ChainRead:
    """One chain's read: the pinned block (None when the pin failed) and the assets it could not read."""

    chain: str
    block: int | None
    failed: list[str]
    error: str | None = None
    from_block: int | None = None
    holders: int = 0
    transfers: int = 0


def read_evm_chain(wh: Warehouse, partition_key: str, client: EvmClient,
                   cutoff: datetime | None = None) -> ChainRead:
    """`cutoff` None: the daily read of the business date `partition_key`; else an intraday read."""
    assets = [(t.symbol, partial(client.supply, t), partial(client.transfers, t)) for t in client.s.tokens]
    return _read(wh, partition_key, client.s.name, client.pin, lambda: 0, assets, cutoff)


def read_stellar(wh: Warehouse, partition_key: str, client: StellarClient,
                 cutoff: datetime | None = None) -> ChainRead:
    """As `read_evm_chain`; ledgers Horizon has closed are final, so no confirmations are waited for."""
    assets = [(code, partial(client.supply, code, issuer), partial(client.transfers, code, issuer))
              for code, issuer in client.s.assets]
    return _read(wh, partition_key, client.s.name, client.pin, lambda: client.head()[1], assets, cutoff)


def _read(wh: Warehouse, partition_key: str, name: str, pin_at: Callable[[datetime], PinnedRead],
          first_block: Callable[[], int], assets: Sequence[tuple[str, SupplyFn, TransfersFn]],
          cutoff: datetime | None) -> ChainRead:
    day = date.fromisoformat(partition_key) if cutoff is None else None
    at = cutoff or CALENDAR.chain_pin(date.fromisoformat(partition_key))
    codes = [code for code, _, _ in assets]
    try:
        pin = pin_at(at)
        start = None
        if day:
            try:
                start = pin_at(CALENDAR.chain_pin(CALENDAR.previous_business_day(day))).block_number + 1
            except NothingBeforeCutoff:
                start = first_block()
    except READ_ERRORS as exc:
        for code in codes:
            store_failed(wh, partition_key, name, code, at, None, str(exc))
        return ChainRead(name, None, codes, str(exc))
    failed: list[str] = []
    counts = {"holders": 0, "transfers": 0}
    for code, supply_at, transfers_in in assets:
        try:
            supply, balances = supply_at(pin.block_number)
            transfers = list(transfers_in(start, pin.block_number)) if start is not None else None
        except READ_ERRORS as exc:
            store_failed(wh, partition_key, name, code, at, pin, str(exc))
            failed.append(code)
            continue
        for k, v in store_complete(wh, partition_key, pin, supply, balances, transfers).items():
            counts[k] += v
    return ChainRead(name, pin.block_number, failed, from_block=start, holders=counts["holders"],
                     transfers=counts["transfers"])
