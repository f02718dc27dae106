"""What the credit assets read: ledger snapshots, Stellar collateral, prices, bank credits."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import dagster as dg
import polars as pl

from assets import source_kit as kit
from clients.chain_retry import ChainReadError
from clients.collateral import BALANCE_SCHEMA, CollateralRead, read_collateral, read_contracts
from clients.soroban_client import ContractBalances
from recon import sources as S
from recon.chain.models import PinnedRead
from recon.credit.repayments import BANK_SCHEMA
from recon.credit.rules import CreditRules
from recon.ledger.tables import LedgerTable
from recon.sources import ConfigurationError, NotConfigured
from recon.sql import postgres_sql
from resources.ledger import LedgerResource
from resources.prices import PriceRead, PriceResource
from resources.stellar import StellarResource
from stores.warehouse import Warehouse

# Repayment credits up to the business date, whatever day they arrived: an unmatched one stays open
# until it is matched, and does not drop out of a look-back window.
BANK_CREDITS_SQL = postgres_sql("select_bank_credits")


def ledger_table(context: dg.AssetExecutionContext, wh: Warehouse, ledger: LedgerResource, table: LedgerTable,
                 cutoff: datetime, errors: dict[str, str]) -> pl.DataFrame | None:
    got = kit.ledger_table(context, wh, ledger, table, cutoff)
    if got.value is None:
        errors[f"ledger {table.name}"] = f"{got.state}: {got.reason}"
    return got.value


def collateral(stellar: StellarResource, accounts: list[str], cutoff: datetime) -> CollateralRead:
    if not accounts:
        return CollateralRead(None, pl.DataFrame(schema=BALANCE_SCHEMA))
    try:
        client = stellar.client()
    except (ChainReadError, ConfigurationError, NotConfigured) as exc:
        return CollateralRead(None, pl.DataFrame(schema=BALANCE_SCHEMA), {a: str(exc) for a in accounts})
    return read_collateral(client, accounts, cutoff)


def contract_collateral(stellar: StellarResource, holdings: list[tuple[str, str]], cutoff: datetime,
                        pinned: PinnedRead | None) -> tuple[ContractBalances, S.SourceRead[object]]:
    """Balances of the Soroban contracts the escrow names, and how the read went (source `stellar.soroban`):
    complete, partial (the contracts that failed), unavailable, or not configured (no RPC URL)."""
    at = cutoff.isoformat()
    contracts = sorted({c for c, _ in holdings})
    try:
        soroban, client = stellar.soroban(), stellar.client()
    except NotConfigured as exc:
        return ContractBalances(failed={c: str(exc) for c in contracts}), S.not_configured("stellar.soroban", str(exc))
    except (ChainReadError, ConfigurationError) as exc:
        return ContractBalances(failed={c: str(exc) for c in contracts}), S.unavailable("stellar.soroban", str(exc), at)
    _, read = read_contracts(client, soroban, holdings, cutoff, pinned)
    if not read.failed:
        return read, S.complete("stellar.soroban", None, at)
    if len(read.failed) == len(contracts):
        return read, S.unavailable("stellar.soroban", "; ".join(sorted(set(read.failed.values())))[:300], at)
    return read, S.partial("stellar.soroban", None, at, sorted(read.failed),
                           "; ".join(sorted(set(read.failed.values())))[:300])


def prices(context: dg.AssetExecutionContext, wh: Warehouse, resource: PriceResource, cutoff: datetime,
           rules: CreditRules) -> tuple[PriceRead | None, str | None]:
    """The history the volatility window needs, up to the cut-off; or why it could not be read."""
    since = cutoff - timedelta(days=rules.vol_window_days + 1)
    got = kit.read(context, wh, "prices", lambda: resource.source().read(since, cutoff), cutoff)
    return got.value, None if got.value is not None else f"{got.state}: {got.reason}"


def bank_credits(wh: Warehouse, day: date) -> pl.DataFrame:
    frame = wh.query(BANK_CREDITS_SQL, d=day)
    if frame.height == 0:
        return pl.DataFrame(schema=BANK_SCHEMA)
    return frame.select([pl.col(c).cast(t) for c, t in BANK_SCHEMA.items()])
