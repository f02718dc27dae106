"""ERC-20 and Multicall3 call encoding and Transfer log decoding (eth_abi; no network)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eth_abi import decode, encode
from eth_utils import keccak, to_checksum_address

TRANSFER_TOPIC = "0x" + keccak(text="Transfer(address,address,uint256)").hex()
TOTAL_SUPPLY = keccak(text="totalSupply()")[:4]
BALANCE_OF = keccak(text="balanceOf(address)")[:4]
DECIMALS = keccak(text="decimals()")[:4]
AGGREGATE3 = keccak(text="aggregate3((address,bool,bytes)[])")[:4]


@dataclass(frozen=True)
class TransferLog:
    token: str
    block_number: int
    block_hash: str
    tx_hash: str
    log_index: int
    sender: str
    receiver: str
    amount_raw: int


def balance_of_data(holder: str) -> bytes:
    return BALANCE_OF + encode(["address"], [holder])


def decode_uint(data: bytes | str) -> int:
    raw = _bytes(data)
    if len(raw) != 32:
        raise ValueError(f"expected a 32-byte uint256 reply, got {len(raw)} bytes")
    return int.from_bytes(raw, "big")


def aggregate3_data(calls: Sequence[tuple[str, bytes]], allow_failure: bool = True) -> bytes:
    payload = [(to_checksum_address(target), allow_failure, data) for target, data in calls]
    return AGGREGATE3 + encode(["(address,bool,bytes)[]"], [payload])


def decode_aggregate3(data: bytes | str) -> list[tuple[bool, bytes]]:
    (results,) = decode(["(bool,bytes)[]"], _bytes(data))
    return [(bool(ok), bytes(ret)) for ok, ret in results]


def _topic_address(topic: str) -> str:
    raw = _bytes(topic)
    if len(raw) != 32 or any(raw[:12]):
        raise ValueError(f"topic {topic} is not an address")
    return to_checksum_address(raw[12:])


def decode_transfer(log: dict) -> TransferLog | None:
    """A Transfer(address,address,uint256) log in JSON-RPC form, or None for any other event.

    ERC-721 Transfer shares the topic but indexes the third argument: it has 4 topics, skipped."""
    topics = log.get("topics") or []
    if len(topics) != 3 or str(topics[0]).lower() != TRANSFER_TOPIC:
        return None
    return TransferLog(
        token=to_checksum_address(log["address"]),
        block_number=_int(log["blockNumber"]),
        block_hash=str(log["blockHash"]),
        tx_hash=str(log["transactionHash"]),
        log_index=_int(log["logIndex"]),
        sender=_topic_address(topics[1]),
        receiver=_topic_address(topics[2]),
        amount_raw=decode_uint(log["data"]),
    )


def _bytes(value: bytes | str) -> bytes:
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    return bytes.fromhex(value.removeprefix("0x"))


def _int(value: int | str) -> int:
    return value if isinstance(value, int) else int(value, 16)
