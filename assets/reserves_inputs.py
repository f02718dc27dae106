"""What the reserve assets read: their configuration, the warehouse's chain and bank rows, the
redemption service's books through the ledger source, and redemption receipts through the EVM client."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import dagster as dg
import polars as pl
from pydantic import Field

from assets.chain_store import store_receipts
from recon.chain.models import ReceiptRead
from recon.ledger.tables import LedgerTable
from recon.reserves import schemas
from recon.reserves.activity_config import ActivityConfig, activity_config_from_dict
from recon.reserves.config import ReservesConfig
from recon.reserves.config_load import config_from_dict
from resources.chain_retry import ChainReadError
from resources.evm import EvmResource
from resources.ledger import LedgerError, LedgerSource
from resources.warehouse import Warehouse


class ReservesResource(dg.ConfigurableResource):
    """The reserve checks' configuration (recon/reserves/README.md): a JSON file's "reserves" object,
    and/or the same object inline as JSON text; inline keys win."""

    config_file: str | None = Field(default=None, description="JSON file with a 'reserves' object.")
    inline_json: str | None = Field(default=None, description="The 'reserves' object as JSON text.")

    def config(self) -> ReservesConfig:
        data: dict = {}
        if self.config_file:
            data.update(json.loads(Path(self.config_file).read_text()).get("reserves", {}))
        if self.inline_json:
            data.update(json.loads(self.inline_json))
        return config_from_dict(data)

    def activity(self) -> ActivityConfig:
        """Reserve floors and redemption monitoring, from the same object."""
        data: dict = {}
        if self.config_file:
            data.update(json.loads(Path(self.config_file).read_text()).get("reserves", {}))
        if self.inline_json:
            data.update(json.loads(self.inline_json))
        return activity_config_from_dict(data)


SUPPLY_SQL = "SELECT chain, asset, circulating FROM recon.chain_supply WHERE partition_key = :p"
BANK_SQL = (
    "SELECT DISTINCT ON (account, business_date) account, currency, business_date, closing_balance "
    "FROM recon.bank_statements WHERE account = ANY(:accounts) AND business_date <= :d "
    "AND closing_balance IS NOT NULL "
    "ORDER BY account, business_date, (message_type LIKE 'camt.053%') DESC, created_at DESC NULLS LAST"
)
BALANCES_SQL = (
    "SELECT b.chain, b.asset, b.holder, b.balance FROM recon.chain_balances b "
    "WHERE b.partition_key = :p AND b.holder_kind = 'holder'"
)
READS_SQL = "SELECT chain, asset, status FROM recon.chain_reads WHERE partition_key = :p"


def warehouse_frame(wh: Warehouse, sql: str, schema: dict, name: str, **params: object) -> pl.DataFrame:
    return schemas.conform(wh.query(sql, **params), schema, name)


def ledger_read(source: LedgerSource, table: LedgerTable, as_of: datetime, partition_key: str,
                errors: dict[str, str]) -> pl.DataFrame | None:
    """The partition's snapshot of a ledger table; None (and the reason in `errors`) when unreadable."""
    try:
        return source.snapshot(table, as_of, partition_key).frame
    except (LedgerError, OSError) as exc:
        errors[table.name] = str(exc)
        return None


def read_receipts(wh: Warehouse, evm: EvmResource, partition_key: str, cutoff: datetime,
                  hashes: dict[str, list[str]]) -> tuple[dict[str, dict[str, ReceiptRead] | None], dict]:
    """Per chain, receipts of the redemption hashes at the chain's pinned block, in JSON-RPC batches.

    A chain that is not configured or cannot be read maps to None (its redemptions stay unknown)."""
    out: dict[str, dict[str, ReceiptRead] | None] = {}
    errors: dict[str, str] = {}
    configured = set(evm.chain_names())
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
