"""Rows for the recon.chain_* tables: raw integers as exact text, amounts as Decimal(38, scale)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import polars as pl

from recon.chain.models import BalanceRead, PinnedRead, ReceiptRead, SupplyRead, TransferRead
from recon.chain.units import to_decimal

READ_KEY = ["read_id"]
SUPPLY_KEY = ["partition_key", "chain", "asset"]
BALANCE_KEY = ["partition_key", "chain", "asset", "holder"]
TRANSFER_KEY = ["partition_key", "chain", "tx_hash", "log_index"]
RECEIPT_KEY = ["partition_key", "chain", "tx_hash", "log_index"]


def read_id(partition_key: str, chain: str, asset: str) -> str:
    return f"{partition_key}:{chain}:{asset}"


def read_row(
    partition_key: str, chain: str, asset: str, cutoff: datetime, pin: PinnedRead | None,
    status: str, error: str | None = None, counts: dict[str, int] | None = None,
) -> pl.DataFrame:
    """One recon.chain_reads row: status 'complete' only when every read of the asset succeeded."""
    row = {
        "read_id": read_id(partition_key, chain, asset), "partition_key": partition_key,
        "chain": chain, "asset": asset, "chain_id": pin.chain_id if pin else None,
        "block_number": pin.block_number if pin else None,
        "block_hash": pin.block_hash if pin else None,
        "block_time": pin.block_time if pin else None, "cutoff": cutoff,
        "at_cutoff_block": pin.at_cutoff if pin else None,
        "head_block": pin.head if pin else None, "status": status, "error": error,
        "holders_read": (counts or {}).get("holders"),
        "transfers_read": (counts or {}).get("transfers"),
    }
    schema: dict[str, pl.DataType | type[pl.DataType]] = {
        "read_id": pl.String, "partition_key": pl.String, "chain": pl.String, "asset": pl.String,
        "chain_id": pl.Int64, "block_number": pl.Int64, "block_hash": pl.String,
        "block_time": pl.Datetime("us", "UTC"), "cutoff": pl.Datetime("us", "UTC"),
        "at_cutoff_block": pl.Int64, "head_block": pl.Int64, "status": pl.String,
        "error": pl.String, "holders_read": pl.Int64, "transfers_read": pl.Int64,
    }
    return pl.DataFrame([row], schema=schema)


def supply_rows(partition_key: str, supply: SupplyRead) -> pl.DataFrame:
    d = supply.decimals
    return pl.DataFrame(
        [{
            "partition_key": partition_key, "chain": supply.chain, "asset": supply.asset,
            "block_number": supply.block_number, "decimals": d,
            "total_supply_raw": str(supply.total_raw),
            "total_supply": to_decimal(supply.total_raw, d),
            "treasury_raw": str(supply.treasury_raw),
            "treasury": to_decimal(supply.treasury_raw, d),
            "circulating_raw": str(supply.circulating_raw),
            "circulating": to_decimal(supply.circulating_raw, d),
            "read_id": read_id(partition_key, supply.chain, supply.asset),
        }],
        schema={
            "partition_key": pl.String, "chain": pl.String, "asset": pl.String,
            "block_number": pl.Int64, "decimals": pl.Int32, "total_supply_raw": pl.String,
            "total_supply": pl.Decimal(38, d), "treasury_raw": pl.String,
            "treasury": pl.Decimal(38, d), "circulating_raw": pl.String,
            "circulating": pl.Decimal(38, d), "read_id": pl.String,
        },
    )


def balance_rows(partition_key: str, decimals: int, balances: Iterable[BalanceRead]) -> pl.DataFrame:
    rows = [
        {
            "partition_key": partition_key, "chain": b.chain, "asset": b.asset, "holder": b.holder,
            "holder_kind": b.kind, "block_number": b.block_number,
            "balance_raw": str(b.balance_raw), "balance": to_decimal(b.balance_raw, decimals),
            "read_id": read_id(partition_key, b.chain, b.asset),
        }
        for b in balances
    ]
    return pl.DataFrame(rows, schema={
        "partition_key": pl.String, "chain": pl.String, "asset": pl.String, "holder": pl.String,
        "holder_kind": pl.String, "block_number": pl.Int64, "balance_raw": pl.String,
        "balance": pl.Decimal(38, decimals), "read_id": pl.String,
    })


def transfer_rows(partition_key: str, decimals: int, transfers: Iterable[TransferRead]) -> pl.DataFrame:
    rows = [
        {
            "partition_key": partition_key, "chain": t.chain, "asset": t.asset,
            "block_number": t.block_number, "block_time": t.block_time, "tx_hash": t.tx_hash,
            "log_index": t.log_index, "from_address": t.sender, "to_address": t.receiver,
            "amount_raw": str(t.amount_raw), "amount": to_decimal(t.amount_raw, decimals),
        }
        for t in transfers
    ]
    return pl.DataFrame(rows, schema={
        "partition_key": pl.String, "chain": pl.String, "asset": pl.String,
        "block_number": pl.Int64, "block_time": pl.Datetime("us", "UTC"), "tx_hash": pl.String,
        "log_index": pl.Int64, "from_address": pl.String, "to_address": pl.String,
        "amount_raw": pl.String, "amount": pl.Decimal(38, decimals),
    })


def receipt_rows(partition_key: str, receipts: Iterable[ReceiptRead]) -> pl.DataFrame:
    """One row per decoded Transfer; a receipt without one (missing, reverted) gets log_index -1.
    Amounts stay raw here: one receipt may move several tokens of different scales."""
    rows = []
    for r in receipts:
        base = {"partition_key": partition_key, "chain": r.chain, "tx_hash": r.tx_hash,
                "status": r.status, "block_number": r.block_number}
        if not r.transfers:
            rows.append({**base, "log_index": -1, "asset": None, "from_address": None,
                         "to_address": None, "amount_raw": None, "amount": None})
        for t in r.transfers:
            rows.append({**base, "log_index": t.log_index, "asset": t.asset,
                         "from_address": t.sender, "to_address": t.receiver,
                         "amount_raw": str(t.amount_raw),
                         "amount": str(to_decimal(t.amount_raw, t.decimals))})
    return pl.DataFrame(rows, schema={
        "partition_key": pl.String, "chain": pl.String, "tx_hash": pl.String,
        "status": pl.String, "block_number": pl.Int64, "log_index": pl.Int64,
        "asset": pl.String, "from_address": pl.String, "to_address": pl.String,
        "amount_raw": pl.String, "amount": pl.String,
    })
