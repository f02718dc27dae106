"""Collateral balances of credit lines' Stellar accounts at the cut-off, through the Stellar resource.

Horizon serves current balances only: each account is read between two identical head ledgers, then
rolled back through the payments made after the ledger pinned for the cut-off (as the supply read
does). A failed read is kept per account, so only the lines that depend on it turn unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import polars as pl
import requests
from stellar_sdk.exceptions import BadRequestError, BadResponseError, NotFoundError
from stellar_sdk.exceptions import ConnectionError as SdkConnectionError

from recon.chain import stellar
from recon.chain.models import PinnedRead
from recon.chain.units import parse_stellar_amount
from resources.chain_retry import ChainReadError, TransientError, with_retries
from resources.stellar_client import StellarClient

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
            for asset, balance in _balances_at(client, account, pinned.block_number).items():
                rows.append({"account": account, "asset": asset, "balance": balance})
        except ChainReadError as exc:
            failed[account] = str(exc)
    return CollateralRead(pinned, pl.DataFrame(rows, schema=BALANCE_SCHEMA), failed)


def _balances_at(client: StellarClient, account: str, pinned: int) -> dict[str, Decimal]:
    for _ in range(3):
        before, _elder = client.head()
        current = _current(client, account)
        after, _elder = client.head()
        if before == after:
            break
    else:
        raise ChainReadError(f"account {account}: ledgers kept closing during the read; try again")
    if current is None:
        return {}  # the account does not exist: it holds nothing
    if after > pinned:
        later = list(client.payments(pinned + 1, after, account))
        for asset in current:
            current[asset] -= stellar.net_flow(later, account, asset)
    return current


def _current(client: StellarClient, account: str) -> dict[str, Decimal] | None:
    try:
        record = _call(f"account {account}", lambda: client.server.accounts().account_id(account).call(), client)
    except NotFoundError:
        return None
    return {stellar.asset_key(line): parse_stellar_amount(line["balance"]) for line in record.get("balances", [])}


def _call(what: str, fn: Callable[[], Any], client: StellarClient) -> dict:
    def attempt() -> dict:
        try:
            return fn()
        except NotFoundError:
            raise
        except (SdkConnectionError, BadResponseError, requests.RequestException) as exc:
            raise TransientError(type(exc).__name__) from None
        except BadRequestError as exc:
            if exc.status == 429:
                raise TransientError("HTTP 429") from None
            raise ChainReadError(f"stellar: {what}: HTTP {exc.status}") from None
        except ValueError:
            raise TransientError("malformed reply (not JSON)") from None

    return with_retries(attempt, client.s.policy, f"stellar: {what}")
