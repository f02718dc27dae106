"""What the reserve assets read: their configuration, the warehouse's chain and bank rows, the
redemption service's books through the ledger source, and redemption receipts through the EVM client."""

from __future__ import annotations

import json
from datetime import datetime

import dagster as dg
import polars as pl
from pydantic import Field

from assets import source_kit as kit
from recon.chain.models import ReceiptRead
from recon.ledger.tables import LedgerTable
from recon.reserves import schemas
from recon.reserves.activity_config import ActivityConfig, activity_config_from_dict
from recon.reserves.config import ReservesConfig
from recon.reserves.config_load import config_from_dict
from recon.sources import ConfigurationError, NotConfigured, load_json
from recon.sql import postgres_sql
from resources.chain_retry import ChainReadError
from resources.evm import EvmResource
from resources.ledger import LedgerResource
from resources.warehouse import Warehouse
from stores.chain_store import store_receipts


class ReservesResource(dg.ConfigurableResource):
    """The reserve checks' configuration (recon/reserves/README.md): a JSON file's "reserves" object,
    and/or the same object inline as JSON text; inline keys win."""

    config_file: str | None = Field(default=None, description="JSON file with a 'reserves' object.")
    inline_json: str | None = Field(default=None, description="The 'reserves' object as JSON text.")

    def config(self) -> ReservesConfig:
        """NotConfigured when neither is set: reserve verdicts are then unknown, never checked against
        defaults (no made-up initial reserve, no accounts)."""
        data: dict = {}
        if self.config_file:
            data.update(load_json(self.config_file, "RECON_RESERVES_CONFIG").get("reserves", {}))
        if self.inline_json:
            data.update(json.loads(self.inline_json))
        if not data:
            where = f"{self.config_file} has no \"reserves\" object" if self.config_file else \
                "RECON_RESERVES_CONFIG is not set"
            raise NotConfigured(f"reserves not configured: {where}")
        try:
            return config_from_dict(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigurationError(f"reserves configuration {self.config_file or 'inline'}: {exc}") from exc

    def activity(self) -> ActivityConfig:
        """Reserve floors and redemption monitoring, from the same object."""
        data: dict = {}
        if self.config_file:
            data.update(load_json(self.config_file, "RECON_RESERVES_CONFIG").get("reserves", {}))
        if self.inline_json:
            data.update(json.loads(self.inline_json))
        return activity_config_from_dict(data)


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
