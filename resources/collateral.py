"""Collateral balances of credit lines' Stellar accounts at the cut-off, through the Stellar resource.

Horizon serves current balances only: each account is read between two identical head ledgers, then
rolled back through the payments made after the ledger pinned for the cut-off (as the supply read
does). A failed read is kept per account, so only the lines that depend on it turn unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import polars as pl

from clients.chain_retry import ChainReadError
from clients.stellar_client import StellarClient
from recon.chain.models import PinnedRead

BALANCE_SCHEMA = {"account": pl.String(), "asset": pl.String(), "balance": pl.Decimal(38, 7)}


@dataclass
class CollateralRead:
    pinned: PinnedRead | None
    balances: pl.DataFrame  # account, asset ("native" or CODE:ISSUER), balance at the pinned ledger
    failed: dict[str, str] = field(default_factory=dict)  # account -> why its read failed


def read_collateral(client: StellarClient, accounts: Sequence[str], cutoff: datetime) -> CollateralRead:
    accounts = list(dict.fromkeys(accounts))
    try:
        pinned = client.pin(cutoff)
    except ChainReadError as exc:
        return CollateralRead(None, pl.DataFrame(schema=BALANCE_SCHEMA), {a: str(exc) for a in accounts})
    rows, failed = [], {}
    for account in accounts:
        try:
            for asset, balance in client.balances_at(account, pinned.block_number).items():
                rows.append({"account": account, "asset": asset, "balance": balance})
        except ChainReadError as exc:
            failed[account] = str(exc)
    return CollateralRead(pinned, pl.DataFrame(rows, schema=BALANCE_SCHEMA), failed)
