"""Balances held by Soroban contracts, read through Soroban RPC `getLedgerEntries` (stellar-sdk).

Soroban RPC serves current state only: an entry is accepted as the state at the pinned ledger when it
was last modified at or before it; one changed since cannot say what it held then, so that contract's
read fails (its lines turn unknown), and so does a contract whose instance is not on chain. A reply
that never comes (down, timeouts, 429, 5xx, JSON-RPC errors, garbled) fails every contract of the read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

import requests
from pydantic import ValidationError

from clients.chain_retry import ChainReadError, RetryPolicy, TransientError, with_retries

if TYPE_CHECKING:
    from stellar_sdk.soroban_rpc import GetLedgerEntriesResponse

T = TypeVar("T")
MAX_KEYS = 200  # Soroban RPC's limit of keys per getLedgerEntries request


@dataclass
class ContractBalances:
    """Per (contract, asset): the balance at the pinned ledger; per contract: why it could not be read."""

    latest_ledger: int | None = None
    balances: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


class SorobanClient:
    def __init__(self, rpc_url: str, passphrase: str, timeout: int = 10, policy: RetryPolicy | None = None) -> None:
        # stellar_sdk takes seconds to import: only a process that reads Soroban pays for it.
        from stellar_sdk import SorobanServer
        from stellar_sdk.client.requests_client import RequestsClient

        self.passphrase = passphrase
        self.policy = policy or RetryPolicy()
        self.server = SorobanServer(rpc_url, client=RequestsClient(num_retries=0, request_timeout=timeout))

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        from stellar_sdk.exceptions import BadResponseError, SorobanRpcErrorResponse
        from stellar_sdk.exceptions import ConnectionError as SdkConnectionError

        def attempt() -> T:
            try:
                return fn()
            except (SdkConnectionError, requests.RequestException) as exc:
                raise TransientError(type(exc).__name__) from None
            except (BadResponseError, ValidationError, ValueError):
                raise TransientError("no JSON-RPC reply (an HTTP error status or a garbled body)") from None
            except SorobanRpcErrorResponse as exc:
                raise TransientError(f"JSON-RPC error {exc.code}: {exc.message}") from None

        return with_retries(attempt, self.policy, f"soroban: {what}")

    def latest_ledger(self) -> int:
        """The newest ledger the RPC server knows, after checking it serves this network."""
        network = self._call("getNetwork", self.server.get_network)
        if network.passphrase != self.passphrase:
            raise ChainReadError("soroban: the RPC server serves another network")
        health = self._call("getHealth", self.server.get_health)
        if health.status != "healthy":
            raise ChainReadError(f"soroban: the RPC server is {health.status}")
        return health.latest_ledger

    def _entries(self, keys: list[str]) -> GetLedgerEntriesResponse:
        from stellar_sdk import xdr as x

        parsed = [x.LedgerKey.from_xdr(k) for k in keys]

        return self._call("getLedgerEntries", lambda: self.server.get_ledger_entries(parsed))

    def contract_balances(self, holdings: Sequence[tuple[str, str]], pinned_ledger: int) -> ContractBalances:
        """Balances of (contract_id, asset) pairs at `pinned_ledger`; raises ChainReadError when RPC fails."""
        from recon.chain import soroban

        pairs = list(dict.fromkeys(holdings))
        want: dict[str, tuple[str, str | None]] = {}  # key XDR -> (contract, asset or None for the instance)
        for contract, asset in pairs:
            want[soroban.instance_key(contract).to_xdr()] = (contract, None)
            want[soroban.balance_key(contract, asset, self.passphrase).to_xdr()] = (contract, asset)
        keys = list(want)
        found: dict[str, tuple[str, int]] = {}
        out = ContractBalances()
        for start in range(0, len(keys), MAX_KEYS):
            reply = self._entries(keys[start:start + MAX_KEYS])
            out.latest_ledger = reply.latest_ledger
            found.update({e.key: (e.xdr, e.last_modified_ledger) for e in reply.entries or []})
        if out.latest_ledger is not None and out.latest_ledger < pinned_ledger:
            raise ChainReadError(f"soroban: RPC is at ledger {out.latest_ledger}, before the cut-off's "
                                 f"ledger {pinned_ledger}")
        for contract, asset in pairs:
            if soroban.instance_key(contract).to_xdr() not in found:
                out.failed[contract] = f"contract {contract} not found on chain (no instance entry)"
                continue
            key = soroban.balance_key(contract, asset, self.passphrase).to_xdr()
            if key not in found:
                out.balances[(contract, asset)] = Decimal(0).scaleb(-7)  # exists, holds none of the asset
                continue
            data, modified = found[key]
            if modified > pinned_ledger:
                out.failed[contract] = (f"contract {contract}'s {asset} balance changed at ledger {modified}, "
                                        f"after the cut-off's ledger {pinned_ledger}")
                continue
            try:
                out.balances[(contract, asset)] = soroban.balance_from_entry(data)
            except ValueError as exc:
                out.failed[contract] = f"contract {contract}'s {asset} balance entry unreadable: {exc}"
        # A contract with any failed asset is failed whole: its lines must not be valued on part of it.
        for contract in out.failed:
            for pair in [p for p in out.balances if p[0] == contract]:
                del out.balances[pair]
        return out
