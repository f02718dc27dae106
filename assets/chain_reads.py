"""One chain's reads for a partition: pin, then per asset supply, balances and transfers.
A failure is kept per asset (and per chain when the pin itself fails), never raised past here."""

from __future__ import annotations

from datetime import date

from assets.chain_store import store_complete, store_failed
from recon.chain.cutoff import business_day_cutoff, previous_business_day
from recon.chain.pinning import NothingBeforeCutoff
from resources.chain_retry import ChainReadError
from resources.evm_client import EvmClient
from resources.stellar_client import StellarClient
from resources.warehouse import Warehouse

READ_ERRORS = (ChainReadError, NothingBeforeCutoff, ValueError, KeyError)


def read_evm_chain(wh: Warehouse, partition_key: str, client: EvmClient) -> dict[str, object]:
    day = date.fromisoformat(partition_key)
    cutoff = business_day_cutoff(day)
    name = client.s.name
    assets = [t.symbol for t in client.s.tokens]
    try:
        pin = client.pin(cutoff)
        try:
            start = client.pin(business_day_cutoff(previous_business_day(day))).block_number + 1
        except NothingBeforeCutoff:
            start = 0
    except READ_ERRORS as exc:
        for asset in assets:
            store_failed(wh, partition_key, name, asset, cutoff, None, str(exc))
        return {"chain": name, "block": None, "failed": assets, "error": str(exc)}
    failed, counts = [], {"holders": 0, "transfers": 0}
    for token in client.s.tokens:
        try:
            supply, balances = client.supply(token, pin.block_number)
            transfers = list(client.transfers(token, start, pin.block_number))
        except READ_ERRORS as exc:
            store_failed(wh, partition_key, name, token.symbol, cutoff, pin, str(exc))
            failed.append(token.symbol)
            continue
        for k, v in store_complete(wh, partition_key, pin, supply, balances, transfers).items():
            counts[k] += v
    return {"chain": name, "block": pin.block_number, "from_block": start, "failed": failed, **counts}


def read_stellar(wh: Warehouse, partition_key: str, client: StellarClient) -> dict[str, object]:
    day = date.fromisoformat(partition_key)
    cutoff = business_day_cutoff(day)
    name = client.s.name
    codes = [code for code, _issuer in client.s.assets]
    try:
        pin = client.pin(cutoff)
        try:
            start = client.pin(business_day_cutoff(previous_business_day(day))).block_number + 1
        except NothingBeforeCutoff:
            start = client.head()[1]
    except READ_ERRORS as exc:
        for code in codes:
            store_failed(wh, partition_key, name, code, cutoff, None, str(exc))
        return {"chain": name, "block": None, "failed": codes, "error": str(exc)}
    failed, counts = [], {"holders": 0, "transfers": 0}
    for code, issuer in client.s.assets:
        try:
            supply, balances = client.supply(code, issuer, pin.block_number)
            transfers = list(client.transfers(code, issuer, start, pin.block_number))
        except READ_ERRORS as exc:
            store_failed(wh, partition_key, name, code, cutoff, pin, str(exc))
            failed.append(code)
            continue
        for k, v in store_complete(wh, partition_key, pin, supply, balances, transfers).items():
            counts[k] += v
    return {"chain": name, "block": pin.block_number, "from_block": start, "failed": failed, **counts}
