"""Reads of a Stellar network through Horizon (stellar-sdk), pinned to the last ledger closed at or
before the cut-off. Horizon serves current state only, so balances and supply are read at the
latest ledger and rolled back through the payments made after the pinned ledger."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import requests

from clients.chain_retry import ChainReadError, RetryPolicy, TransientError, with_retries
from recon.chain import stellar
from recon.chain.models import BalanceRead, PinnedRead, SupplyRead, TransferRead
from recon.chain.pinning import head_lag, pin_block
from recon.chain.units import STELLAR_DECIMALS, parse_stellar_amount, stellar_to_raw

PAGE = 200
SHARED_ROLLBACK_LEDGERS = 720  # an hour of 5 s ledgers: beyond it, a busy network's every payment is too many


@dataclass(frozen=True)
class StellarSettings:
    horizon_url: str
    passphrase: str
    assets: tuple[tuple[str, str], ...] = ()  # (code, issuer)
    treasury: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    name: str = "stellar"
    max_head_lag: int = 300  # seconds the newest ledger may trail a cut-off it has not reached
    timeout: int = 10
    policy: RetryPolicy = field(default_factory=RetryPolicy)


class StellarClient:
    def __init__(self, settings: StellarSettings) -> None:
        # stellar_sdk takes seconds to import: only a process that reads Horizon pays for it.
        from stellar_sdk import Server
        from stellar_sdk.client.requests_client import RequestsClient

        self.s = settings
        client = RequestsClient(num_retries=0, request_timeout=settings.timeout)
        self.server = Server(settings.horizon_url, client=client)

    def _get(self, what: str, build: Callable[[], Any]) -> dict:
        from stellar_sdk.exceptions import BadRequestError, BadResponseError
        from stellar_sdk.exceptions import ConnectionError as SdkConnectionError

        def attempt() -> dict:
            try:
                return build().call()
            except (SdkConnectionError, BadResponseError, requests.RequestException) as exc:
                raise TransientError(type(exc).__name__) from None
            except BadRequestError as exc:
                if exc.status == 429:
                    raise TransientError("HTTP 429") from None
                raise ChainReadError(f"{self.s.name}: {what}: HTTP {exc.status}") from None
            except ValueError:
                raise TransientError("malformed reply (not JSON)") from None

        return with_retries(attempt, self.s.policy, f"{self.s.name}: {what}")

    def head(self) -> tuple[int, int]:
        root = self._get("root", self.server.root)
        if root.get("network_passphrase") != self.s.passphrase:
            raise ChainReadError(f"{self.s.name}: Horizon serves another network")
        return int(root["history_latest_ledger"]), int(root.get("history_elder_ledger") or 1)

    def ledger(self, seq: int) -> dict:
        return self._get(f"ledger {seq}", lambda: self.server.ledgers().ledger(seq))

    def pin(self, cutoff: datetime) -> PinnedRead:
        head, elder = self.head()
        cache: dict[int, int] = {}

        def ts(n: int) -> int:
            if n not in cache:
                closed = self.ledger(n)["closed_at"].replace("Z", "+00:00")
                cache[n] = int(datetime.fromisoformat(closed).timestamp())
            return cache[n]

        pin = pin_block(int(cutoff.timestamp()), head, 0, ts, first=elder)
        lag = head_lag(int(cutoff.timestamp()), pin, ts(head), self.s.max_head_lag)
        if lag is not None:
            raise ChainReadError(f"{self.s.name}: Horizon's newest ledger {head} is {lag} s older than the "
                                 f"cut-off {cutoff.isoformat()}; it is behind the network")
        record = self.ledger(pin.block)
        closed = datetime.fromisoformat(record["closed_at"].replace("Z", "+00:00"))
        return PinnedRead(self.s.name, None, pin.block, record["hash"], closed, cutoff,
                          pin.at_cutoff, head)

    def payments(self, start: int, end: int | None = None, account: str | None = None) -> Iterator[dict]:
        """Payment operations of ledgers [start, end], oldest first, paged by cursor."""
        cursor = str(stellar.first_id_of(start) - 1)
        while True:
            def build(c: str = cursor) -> Any:
                b = self.server.payments()
                b = b.for_account(account) if account else b
                return b.cursor(c).limit(PAGE).order(desc=False)
            records = self._get("payments", build)["_embedded"]["records"]
            for r in records:
                if end is not None and stellar.ledger_of(r["paging_token"]) > end:
                    return
                if r.get("transaction_successful", True):
                    yield r
            if len(records) < PAGE:
                return
            cursor = records[-1]["paging_token"]

    def _stable(self, read: Callable[[], Any]) -> tuple[Any, int]:
        """Read current state between two identical head ledgers, so we know what it reflects."""
        for _ in range(3):
            before, _elder = self.head()
            value = read()
            after, _elder = self.head()
            if before == after:
                return value, after
        raise ChainReadError(f"{self.s.name}: ledgers kept closing during the read; try again")

    def supply(self, code: str, issuer: str, pinned: int) -> tuple[SupplyRead, list[BalanceRead]]:
        key = f"{code}:{issuer}"
        tracked = list(dict.fromkeys([*self.s.treasury, *self.s.accounts]))

        def read() -> tuple[Decimal, dict[str, Decimal]]:
            records = self._get("asset", lambda: self.server.assets().for_code(code).for_issuer(issuer))
            found = records["_embedded"]["records"]
            total = stellar.supply_from_asset_record(found[0]) if found else Decimal(0)
            return total, {a: self._balance(a, key) for a in tracked}

        (total, balances), state_ledger = self._stable(read)
        if state_ledger > pinned:
            later = self._later_payments(pinned, state_ledger, [issuer, *tracked])
            total -= stellar.net_issuance(later(issuer), issuer, key)
            for a in tracked:
                balances[a] -= stellar.net_flow(later(a), a, key)
        rows = [BalanceRead(self.s.name, code, a, pinned, STELLAR_DECIMALS, stellar_to_raw(balances[a]),
                            "treasury" if a in self.s.treasury else "holder") for a in tracked]
        treasury = sum(stellar_to_raw(balances[a]) for a in self.s.treasury)
        return SupplyRead(self.s.name, code, pinned, STELLAR_DECIMALS, stellar_to_raw(total), treasury), rows

    def _later_payments(self, pinned: int, state_ledger: int, accounts: list[str]
                        ) -> Callable[[str], list[dict]]:
        """Each account's payments after the pinned ledger up to the state read. Over a short range, one
        stream of every payment in it (indexed by the accounts it names) instead of a stream per account;
        over a long one (a busy network's every payment), per account."""
        if state_ledger - pinned > SHARED_ROLLBACK_LEDGERS or len(accounts) < 3:
            return lambda a: list(self.payments(pinned + 1, state_ledger, a))
        named: dict[str, list[dict]] = {}
        for p in self.payments(pinned + 1, state_ledger):
            for a in {p.get(k) for k in ("from", "to", "account", "funder")} - {None}:
                named.setdefault(str(a), []).append(p)
        return lambda a: named.get(a, [])

    def _balance(self, account: str, key: str) -> Decimal:
        return (self.account_balances(account) or {}).get(key, Decimal(0))

    def account_balances(self, account: str) -> dict[str, Decimal] | None:
        """Every balance line of an account now, by asset key; None when Horizon does not know it."""
        from stellar_sdk.exceptions import NotFoundError

        try:
            record = self._get(f"account {account}", lambda: self.server.accounts().account_id(account))
        except NotFoundError:
            return None
        return {stellar.asset_key(line): parse_stellar_amount(line["balance"]) for line in record.get("balances", [])}

    def balances_at(self, account: str, pinned: int) -> dict[str, Decimal]:
        """An account's balances at the pinned ledger: read now, rolled back through later payments."""
        current, state_ledger = self._stable(lambda: self.account_balances(account))
        if current is None:
            return {}  # an account Horizon does not know holds nothing
        if state_ledger > pinned:
            later = list(self.payments(pinned + 1, state_ledger, account))
            for asset in current:
                current[asset] -= stellar.net_flow(later, account, asset)
        return current

    def transfers(self, code: str, issuer: str, start: int, end: int) -> Iterator[TransferRead]:
        """Payments of the issued asset in [start, end] that touch a tracked or issuer account."""
        key = f"{code}:{issuer}"
        seen: set[str] = set()
        for account in dict.fromkeys([issuer, *self.s.treasury, *self.s.accounts]):
            for p in self.payments(start, end, account):
                if p["id"] in seen or p.get("type") != "payment" or stellar.asset_key(p) != key:
                    continue
                seen.add(p["id"])
                closed = datetime.fromisoformat(p["created_at"].replace("Z", "+00:00"))
                yield TransferRead(self.s.name, code, stellar.ledger_of(p["id"]), p["transaction_hash"],
                                   int(p["id"]), p["from"], p["to"], STELLAR_DECIMALS,
                                   stellar_to_raw(parse_stellar_amount(p["amount"])), closed)
