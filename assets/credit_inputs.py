"""What the credit assets read: ledger snapshots, Stellar collateral, prices, bank credits."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl

from recon.credit.repayments import BANK_SCHEMA
from recon.credit.rules import CreditRules
from recon.ledger.tables import LedgerTable
from recon.ledger.typed import LedgerError
from resources.chain_retry import ChainReadError
from resources.collateral import BALANCE_SCHEMA, CollateralRead, read_collateral
from resources.ledger import LedgerResource
from resources.prices import PriceRead, PriceResource, PriceSourceError
from resources.stellar import StellarResource
from resources.warehouse import Warehouse

# Repayment credits up to the business date, whatever day they arrived: an unmatched one stays open
# until it is matched, and does not drop out of a look-back window.
BANK_CREDITS_SQL = (
    "SELECT entry_key, account, currency, amount, coalesce(booking_date, value_date, business_date) "
    "AS booking_date, creditor_ref, end_to_end_id FROM recon.bank_entries "
    "WHERE direction = 'CRDT' AND amount IS NOT NULL AND business_date <= :d "
    "AND (creditor_ref IS NOT NULL OR end_to_end_id IS NOT NULL)"
)


def ledger_table(ledger: LedgerResource, table: LedgerTable, cutoff: datetime, partition_key: str,
                 errors: dict[str, str]) -> pl.DataFrame | None:
    try:
        return ledger.source().snapshot(table, cutoff, partition_key).frame
    except (LedgerError, OSError) as exc:
        errors[f"ledger {table.name}"] = str(exc)
        return None


def collateral(stellar: StellarResource, accounts: list[str], cutoff: datetime) -> CollateralRead:
    if not accounts:
        return CollateralRead(None, pl.DataFrame(schema=BALANCE_SCHEMA))
    try:
        client = stellar.client()
    except ChainReadError as exc:
        return CollateralRead(None, pl.DataFrame(schema=BALANCE_SCHEMA), {a: str(exc) for a in accounts})
    return read_collateral(client, accounts, cutoff)


def prices(resource: PriceResource, cutoff: datetime, rules: CreditRules) -> tuple[PriceRead | None, str | None]:
    """The history the volatility window needs, up to the cut-off; or why it could not be read."""
    since = cutoff - timedelta(days=rules.vol_window_days + 1)
    try:
        return resource.source().read(since, cutoff), None
    except PriceSourceError as exc:
        return None, str(exc)


def bank_credits(wh: Warehouse, day: date) -> pl.DataFrame:
    frame = wh.query(BANK_CREDITS_SQL, d=day)
    if frame.height == 0:
        return pl.DataFrame(schema=BANK_SCHEMA)
    return frame.select([pl.col(c).cast(t) for c, t in BANK_SCHEMA.items()])
