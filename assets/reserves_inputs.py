"""What the reserve assets read: their configuration, the warehouse's chain and bank rows, the
redemption service's books through the ledger source, and redemption receipts through the EVM client."""

from __future__ import annotations

from datetime import datetime

import dagster as dg
import polars as pl

from assets import source_kit as kit
from clients.chain_retry import ChainReadError
from recon.chain.models import ReceiptRead
from recon.ledger.tables import LedgerTable
from recon.reserves import schemas
from recon.sources import ConfigurationError, NotConfigured
from recon.sql import postgres_sql
from resources.evm import EvmResource
from resources.ledger import LedgerResource
from stores.chain_store import store_receipts
from stores.warehouse import Warehouse

# Only supply whose read of this partition is complete: a failed read's earlier rows are kept, not used.
SUPPLY_SQL = postgres_sql("select_circulating_supply")
BANK_SQL = postgres_sql("select_reserve_bank_closings")
BALANCES_SQL = postgres_sql("select_custodial_chain_balances")
READS_SQL = postgres_sql("select_chain_read_states")


def warehouse_frame(wh: Warehouse, sql: str, schema: dict, name: str, **params: object) -> pl.DataFrame:
    return schemas.conform(wh.query(sql, **params), schema, name)


def ledger_read(context: dg.AssetExecutionContext, wh: Warehouse, ledger: LedgerResource, table: LedgerTable,
                as_of: datetime, errors: dict[str, str]) -> pl.DataFrame | None:
    """The partition's snapshot of a ledger table; None (and the reason in `errors`) when unreadable."""
    got = kit.read(context, wh, f"ledger.{table.name}",
                   lambda: ledger.source().snapshot(table, as_of, context.partition_key).frame, as_of)
    if got.value is None:
        errors[table.name] = f"{got.state}: {got.reason}"
    return got.value


def read_receipts(wh: Warehouse, evm: EvmResource, partition_key: str, cutoff: datetime,
                  hashes: dict[str, list[str]]) -> tuple[dict[str, dict[str, ReceiptRead] | None], dict]:
    """Per chain, receipts of the redemption hashes at the chain's pinned block, in JSON-RPC batches.

    A chain that is not configured or cannot be read maps to None (its redemptions stay unknown)."""
    out: dict[str, dict[str, ReceiptRead] | None] = {}
    errors: dict[str, str] = {}
    try:
        configured = set(evm.chain_names())
    except (NotConfigured, ConfigurationError) as exc:
        return {c: None for c in hashes}, {c: str(exc) for c in hashes}
    for chain, wanted in hashes.items():
        if chain not in configured:
            out[chain], errors[chain] = None, "chain not configured in the EVM resource"
            continue
        try:
            client = evm.client(chain)
            pin = client.pin(cutoff)
            reads = client.receipts(wanted, pin.block_number)
        except ChainReadError as exc:
            out[chain], errors[chain] = None, str(exc)
            continue
        store_receipts(wh, partition_key, chain, reads)
        out[chain] = {r.tx_hash.lower(): r for r in reads}
    return out, errors
