"""Writes of chain reads: data rows first, the read marked 'complete' last; a failed read is marked
'failed' and its asset's rows for the partition are kept as they were (readers use only rows whose
read is complete), so a failed read never empties a partition and nothing stale passes as current."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from recon.chain import frames
from recon.chain.models import BalanceRead, PinnedRead, ReceiptRead, SupplyRead, TransferRead
from stores.handle import StoreHandle as Warehouse


def store_complete(
    wh: Warehouse, partition_key: str, pin: PinnedRead, supply: SupplyRead,
    balances: list[BalanceRead], transfers: list[TransferRead] | None,
) -> dict[str, int]:
    """`transfers` None: the read took none (an intraday read); transfers_read stays null."""
    scope = {"partition_key": partition_key, "chain": supply.chain, "asset": supply.asset}
    wh.write("chain_supply", frames.supply_rows(partition_key, supply), frames.SUPPLY_KEY, scope)
    wh.write("chain_balances", frames.balance_rows(partition_key, supply.decimals, balances),
             frames.BALANCE_KEY, scope)
    counts = {"holders": len(balances)}
    if transfers is not None:
        wh.write("chain_transfers", frames.transfer_rows(partition_key, supply.decimals, transfers),
                 frames.TRANSFER_KEY, scope)
        counts["transfers"] = len(transfers)
    row = frames.read_row(partition_key, supply.chain, supply.asset, pin.cutoff, pin, "complete",
                          counts=counts)
    wh.write("chain_reads", row, frames.READ_KEY)
    return counts


def store_failed(
    wh: Warehouse, partition_key: str, chain: str, asset: str, cutoff: datetime,
    pin: PinnedRead | None, error: str,
) -> None:
    row = frames.read_row(partition_key, chain, asset, cutoff, pin, "failed", error=error)
    wh.write("chain_reads", row, frames.READ_KEY)


def store_receipts(wh: Warehouse, partition_key: str, chain: str, receipts: list[ReceiptRead]) -> int:
    """Receipts read for the reserve side (redemption hashes); replaces the partition's rows
    of these transactions only."""
    rows = frames.receipt_rows(partition_key, receipts)
    for tx_hash in sorted({r.tx_hash for r in receipts}):
        scope = {"partition_key": partition_key, "chain": chain, "tx_hash": tx_hash}
        wh.write("chain_receipts", rows.filter(pl.col("tx_hash") == tx_hash), frames.RECEIPT_KEY, scope)
    return rows.height
