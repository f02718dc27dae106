"""Reads of one EVM chain at a pinned block: supply, balances, Transfer logs and receipts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from eth_utils import to_checksum_address

from clients.chain_retry import ChainReadError, RetryPolicy
from clients.evm_transport import JsonRpcTransport, RpcError
from recon.chain import abi, rpc_errors
from recon.chain.models import (
    RECEIPT_AFTER_CUTOFF,
    RECEIPT_NOT_FOUND,
    RECEIPT_REVERTED,
    RECEIPT_SUCCESS,
    BalanceRead,
    PinnedRead,
    ReceiptRead,
    SupplyRead,
    TransferRead,
)
from recon.chain.pinning import head_lag, pin_block
from recon.chain.ranges import AdaptiveChunk


@dataclass(frozen=True)
class Token:
    address: str
    symbol: str
    decimals: int


@dataclass(frozen=True)
class EvmSettings:
    name: str
    chain_id: int
    url: str
    confirmations: int = 0
    max_head_lag: int = 900  # seconds the newest block may trail a cut-off it has not reached
    tokens: tuple[Token, ...] = ()
    treasury: tuple[str, ...] = ()
    holders: tuple[str, ...] = ()
    multicall3: str | None = None
    multicall_size: int = 1000  # calls per aggregate3 (the project's Multicall3 takes 1024)
    batch_size: int = 500  # JSON-RPC requests per HTTP batch
    log_chunk: int = 2000  # blocks per eth_getLogs, shrunk when the node refuses
    timeout: float = 10.0
    policy: RetryPolicy = field(default_factory=RetryPolicy)


class EvmClient:
    def __init__(self, settings: EvmSettings) -> None:
        self.s = settings
        self.rpc = JsonRpcTransport(settings.name, settings.url, settings.timeout, settings.policy)
        self._multicall_ok: bool | None = None

    # -- the pinned point ---------------------------------------------------------------------
    def check_chain_id(self) -> None:
        actual = int(self.rpc.call("eth_chainId", []), 16)
        if actual != self.s.chain_id:
            raise ChainReadError(
                f"{self.s.name}: node reports chain id {actual}, configuration says {self.s.chain_id}"
            )

    def head(self) -> int:
        return int(self.rpc.call("eth_blockNumber", []), 16)

    def block(self, number: int) -> dict:
        block = self.rpc.call("eth_getBlockByNumber", [hex(number), False])
        if block is None:
            raise ChainReadError(f"{self.s.name}: block {number} not found")
        return block

    def pin(self, cutoff: datetime) -> PinnedRead:
        """The block every read of a run uses (binary search by timestamp, then confirmations)."""
        self.check_chain_id()
        cache: dict[int, int] = {}

        def ts(n: int) -> int:
            if n not in cache:
                cache[n] = int(self.block(n)["timestamp"], 16)
            return cache[n]

        head = self.head()
        pin = pin_block(int(cutoff.timestamp()), head, self.s.confirmations, ts)
        lag = head_lag(int(cutoff.timestamp()), pin, ts(head), self.s.max_head_lag)
        if lag is not None:
            raise ChainReadError(f"{self.s.name}: the node's newest block {head} is {lag} s older than the "
                                 f"cut-off {cutoff.isoformat()}; the node is behind the chain")
        block = self.block(pin.block)
        return PinnedRead(
            chain=self.s.name, chain_id=self.s.chain_id, block_number=pin.block,
            block_hash=block["hash"], block_time=_utc(int(block["timestamp"], 16)),
            cutoff=cutoff, at_cutoff=pin.at_cutoff, head=head,
        )

    # -- supply and balances ------------------------------------------------------------------
    def total_supply(self, token: Token, block: int) -> int:
        return abi.decode_uint(self._eth_call(token.address, abi.TOTAL_SUPPLY, block))

    def balances(self, token: Token, holders: Sequence[str], block: int) -> dict[str, int]:
        """balanceOf for every holder: Multicall3 aggregate3 where deployed, else batched eth_call."""
        calls = [(token.address, abi.balance_of_data(h)) for h in holders]
        replies = self._multicall(calls, block) if self._use_multicall(block) else self._batched(calls, block)
        return {to_checksum_address(h): abi.decode_uint(r) for h, r in zip(holders, replies, strict=True)}

    def supply(self, token: Token, block: int, carried: Mapping[str, int] | None = None
               ) -> tuple[SupplyRead, list[BalanceRead]]:
        """Total supply and every tracked balance at `block`; `carried` (lower-case address -> raw) are
        balances known to be unchanged at `block`, taken as they are instead of read."""
        treasury = list(dict.fromkeys(self.s.treasury))
        holders = [h for h in dict.fromkeys(self.s.holders) if h not in treasury]
        carried = carried or {}
        fresh = [h for h in treasury + holders if h.lower() not in carried]
        amounts = self.balances(token, fresh, block) if fresh else {}
        amounts.update({to_checksum_address(h): carried[h.lower()] for h in treasury + holders
                        if h.lower() in carried})
        total = self.total_supply(token, block)
        rows = [
            BalanceRead(self.s.name, token.symbol, h, block, token.decimals, amounts[to_checksum_address(h)],
                        "treasury" if h in treasury else "holder")
            for h in treasury + holders
        ]
        treasury_raw = sum(amounts[to_checksum_address(h)] for h in treasury)
        return SupplyRead(self.s.name, token.symbol, block, token.decimals, total, treasury_raw), rows

    def _eth_call(self, to: str, data: bytes, block: int) -> str:
        return self.rpc.call("eth_call", [{"to": to, "data": "0x" + data.hex()}, hex(block)])

    def _use_multicall(self, block: int) -> bool:
        if self.s.multicall3 is None:
            return False
        if self._multicall_ok is None:
            code = self.rpc.call("eth_getCode", [self.s.multicall3, hex(block)])
            self._multicall_ok = code not in (None, "0x", "0x0")
        return self._multicall_ok

    def _batched(self, calls: list[tuple[str, bytes]], block: int) -> list[bytes]:
        out: list[bytes] = []
        for i in range(0, len(calls), self.s.batch_size):
            requests = [("eth_call", [{"to": t, "data": "0x" + d.hex()}, hex(block)])
                        for t, d in calls[i : i + self.s.batch_size]]
            out.extend(bytes.fromhex(r.removeprefix("0x")) for r in self.rpc.batch(requests))
        return out

    def _multicall(self, calls: list[tuple[str, bytes]], block: int) -> list[bytes]:
        size = self.s.multicall_size
        groups = [calls[i : i + size] for i in range(0, len(calls), size)]
        wrapped = [(self.s.multicall3 or "", abi.aggregate3_data(g, allow_failure=False)) for g in groups]
        out: list[bytes] = []
        for reply in self._batched(wrapped, block):
            out.extend(data for _ok, data in abi.decode_aggregate3(reply))
        return out

    # -- transfers and receipts ---------------------------------------------------------------
    def transfers(self, token: Token, start: int, end: int) -> Iterator[TransferRead]:
        """Transfer logs of `token` in [start, end], streamed chunk by chunk (memory stays flat)."""
        chunk = AdaptiveChunk(size=self.s.log_chunk, maximum=self.s.log_chunk)
        lo = start
        while lo <= end:
            hi = min(end, lo + chunk.size - 1)
            query = {"address": token.address, "topics": [abi.TRANSFER_TOPIC],
                     "fromBlock": hex(lo), "toBlock": hex(hi)}
            try:
                logs = self.rpc.call("eth_getLogs", [query])
            except RpcError as exc:
                if exc.kind != rpc_errors.RANGE_TOO_LARGE:
                    raise
                try:
                    chunk.too_large(hi - lo + 1)
                except ValueError:
                    raise ChainReadError(f"{self.s.name}: {exc.message}") from None
                continue
            chunk.succeeded()
            decoded = [t for t in (abi.decode_transfer(log) for log in logs) if t is not None]
            times = self._block_times(sorted({t.block_number for t in decoded}))
            for t in decoded:
                yield TransferRead(self.s.name, token.symbol, t.block_number, t.tx_hash, t.log_index,
                                   t.sender, t.receiver, token.decimals, t.amount_raw,
                                   times[t.block_number])
            lo = hi + 1

    def _block_times(self, numbers: list[int]) -> dict[int, datetime]:
        out: dict[int, datetime] = {}
        for i in range(0, len(numbers), self.s.batch_size):
            part = numbers[i : i + self.s.batch_size]
            blocks = self.rpc.batch([("eth_getBlockByNumber", [hex(n), False]) for n in part])
            out.update({n: _utc(int(b["timestamp"], 16)) for n, b in zip(part, blocks, strict=True)})
        return out

    def receipts(self, hashes: Sequence[str], pinned_block: int) -> list[ReceiptRead]:
        """Status and decoded Transfers of each transaction, as visible at the pinned block."""
        by_address: dict[str, Token] = {to_checksum_address(t.address): t for t in self.s.tokens}
        out: list[ReceiptRead] = []
        for i in range(0, len(hashes), self.s.batch_size):
            part = list(hashes[i : i + self.s.batch_size])
            replies = self.rpc.batch([("eth_getTransactionReceipt", [h]) for h in part])
            out.extend(
                self._receipt(h, r, pinned_block, by_address)
                for h, r in zip(part, replies, strict=True)
            )
        return out

    def _receipt(self, tx_hash: str, r: dict | None, pinned: int, tokens: dict[str, Token]) -> ReceiptRead:
        if r is None:
            return ReceiptRead(self.s.name, tx_hash, RECEIPT_NOT_FOUND, None)
        number = int(r["blockNumber"], 16)
        if number > pinned:
            return ReceiptRead(self.s.name, tx_hash, RECEIPT_AFTER_CUTOFF, number)
        if int(r["status"], 16) != 1:
            return ReceiptRead(self.s.name, tx_hash, RECEIPT_REVERTED, number)
        transfers = []
        for log in r.get("logs") or []:
            t = abi.decode_transfer(log)
            token = tokens.get(t.token) if t else None
            if t is not None and token is not None:
                transfers.append(TransferRead(self.s.name, token.symbol, number, t.tx_hash, t.log_index,
                                              t.sender, t.receiver, token.decimals, t.amount_raw))
        return ReceiptRead(self.s.name, tx_hash, RECEIPT_SUCCESS, number, tuple(transfers))


def _utc(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)
