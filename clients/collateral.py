"""Collateral balances of credit lines' Stellar accounts and Soroban contracts at the cut-off.

Horizon serves current balances only: each account is read between two identical head ledgers, then
rolled back through the payments made after the ledger pinned for the cut-off (as the supply read
does). A failed read is kept per account, so only the lines that depend on it turn unknown. Contracts are
read through Soroban RPC at the same pinned ledger (clients/soroban_client.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import polars as pl

from clients.chain_retry import ChainReadError
from clients.soroban_client import ContractBalances, SorobanClient
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


def read_contracts(client: StellarClient, soroban: SorobanClient, holdings: Sequence[tuple[str, str]],
                   cutoff: datetime, pinned: PinnedRead | None = None) -> tuple[PinnedRead | None, ContractBalances]:
    """Contracts' balances at the ledger pinned for the cut-off (pinned here unless given); every
    contract failed, with the reason, when the pin or the RPC read fails."""
    contracts = list(dict.fromkeys(c for c, _ in holdings))
    try:
        pinned = pinned or client.pin(cutoff)
        return pinned, soroban.contract_balances(holdings, pinned.block_number)
    except ChainReadError as exc:
        return pinned, ContractBalances(failed={c: str(exc) for c in contracts})
