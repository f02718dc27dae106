"""EVM reads against a real py-evm chain over HTTP JSON-RPC: pinning, balances, logs, receipts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from clients.chain_retry import ChainReadError, RetryPolicy
from clients.evm_client import EvmClient, EvmSettings, Token
from devworld.evm_node import MULTICALL3_ADDRESS, LocalEvmChain
from recon.chain.models import RECEIPT_AFTER_CUTOFF, RECEIPT_NOT_FOUND, RECEIPT_REVERTED, RECEIPT_SUCCESS

T0 = 1_767_571_200  # 2026-01-05 00:00:00 UTC
FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05)


@pytest.fixture(scope="module")
def world() -> Iterator[dict]:
    with LocalEvmChain(chain_id=1, genesis_timestamp=T0) as chain:
        token = chain.deploy_token("Reserve USD", "RUSD", 6, at=T0 + 12)
        treasury, alice, bob = (chain.new_account(n) for n in ("treasury", "alice", "bob"))
        chain.mint(token, treasury, 1_000_000_000, at=T0 + 100)
        paid = chain.transfer(token, treasury, alice, 250_000_000, at=T0 + 200)
        reverted = chain.transfer(token, bob, alice, 1, at=T0 + 300)  # bob holds nothing
        chain.mine(30)
        cut_block = chain.mine_at(T0 + 3600)
        late = chain.transfer(token, alice, bob, 5_000_000, at=T0 + 3700)
        chain.mine(10)
        yield {"chain": chain, "token": Token(token, "RUSD", 6), "treasury": treasury,
               "alice": alice, "bob": bob, "paid": paid, "reverted": reverted, "late": late,
               "cut_block": cut_block}


def client(w: dict, **overrides: object) -> EvmClient:
    settings = {"name": "ethereum", "chain_id": 1, "url": w["chain"].url, "tokens": (w["token"],),
                "treasury": (w["treasury"],), "holders": (w["alice"], w["bob"]),
                "multicall3": MULTICALL3_ADDRESS, "policy": FAST, "timeout": 2.0, **overrides}
    return EvmClient(EvmSettings(**settings))  # type: ignore[arg-type]


def test_pin_is_last_block_at_or_before_cutoff(world: dict) -> None:
    pin = client(world).pin(datetime.fromtimestamp(T0 + 3650, UTC))
    assert pin.block_number == pin.at_cutoff == world["cut_block"]
    assert pin.block_hash == world["chain"].block(world["cut_block"])["hash"]
    # exactly at a block's timestamp: that block counts
    assert client(world).pin(datetime.fromtimestamp(T0 + 3600, UTC)).block_number == world["cut_block"]


def test_pin_holds_back_unconfirmed_blocks(world: dict) -> None:
    head = world["chain"].block_number  # a cut-off at the head's own second: the newest blocks are unconfirmed
    pin = client(world, confirmations=5).pin(datetime.fromtimestamp(world["chain"].block()["timestamp"], UTC))
    assert (pin.at_cutoff, pin.block_number) == (head, head - 5)


def test_a_node_short_of_the_cutoff_is_behind_the_chain(world: dict) -> None:
    newest = world["chain"].block()["timestamp"]
    with pytest.raises(ChainReadError, match="901 s older than the cut-off"):
        client(world).pin(datetime.fromtimestamp(newest + 901, UTC))
    assert client(world).pin(datetime.fromtimestamp(newest + 900, UTC)).block_number == world["chain"].block_number


def test_wrong_chain_id_is_refused(world: dict) -> None:
    with pytest.raises(ChainReadError, match="chain id 1, configuration says 8453"):
        client(world, chain_id=8453).pin(datetime.fromtimestamp(T0 + 3650, UTC))


@pytest.mark.parametrize("multicall", [MULTICALL3_ADDRESS, None])
def test_supply_and_balances_at_pinned_block(world: dict, multicall: str | None) -> None:
    supply, balances = client(world, multicall3=multicall).supply(world["token"], world["cut_block"])
    assert (supply.total_raw, supply.treasury_raw, supply.circulating_raw) == (
        1_000_000_000, 750_000_000, 250_000_000)
    by_holder = {b.holder: (b.balance_raw, b.kind) for b in balances}
    # the late transfer to bob happened after the pinned block and must not show
    assert by_holder == {world["treasury"]: (750_000_000, "treasury"),
                         world["alice"]: (250_000_000, "holder"), world["bob"]: (0, "holder")}


def test_multicall_address_without_code_falls_back_to_batched_calls(world: dict) -> None:
    c = client(world, multicall3="0x000000000000000000000000000000000000dEaD")
    assert c.balances(world["token"], [world["alice"]], world["cut_block"]) == {world["alice"]: 250_000_000}


def test_transfers_shrink_range_when_node_refuses(world: dict) -> None:
    chain = world["chain"]
    wide = list(client(world).transfers(world["token"], 0, chain.block_number))
    chain.set_max_log_range(4)
    try:
        narrow = list(client(world, log_chunk=64).transfers(world["token"], 0, chain.block_number))
    finally:
        chain.set_max_log_range(None)
    assert [(t.tx_hash, t.log_index) for t in narrow] == [(t.tx_hash, t.log_index) for t in wide]
    assert [(t.sender[:4], t.amount_raw) for t in wide] == [
        ("0x00", 1_000_000_000), (world["treasury"][:4], 250_000_000), (world["alice"][:4], 5_000_000)]
    assert wide[0].block_time == datetime.fromtimestamp(T0 + 100, UTC)


def test_receipts_as_seen_at_the_pinned_block(world: dict) -> None:
    missing = "0x" + "ab" * 32
    got = client(world).receipts([world["paid"], world["reverted"], world["late"], missing],
                                 world["cut_block"])
    assert [r.status for r in got] == [RECEIPT_SUCCESS, RECEIPT_REVERTED, RECEIPT_AFTER_CUTOFF,
                                       RECEIPT_NOT_FOUND]
    (t,) = got[0].transfers
    assert (t.sender, t.receiver, t.amount_raw, t.asset) == (
        world["treasury"], world["alice"], 250_000_000, "RUSD")


def test_balances_for_many_holders_take_few_round_trips(world: dict) -> None:
    chain = world["chain"]
    holders = [f"0x{i:040x}" for i in range(1, 2501)]
    chain.reset_request_count()
    got = client(world, timeout=60.0).balances(world["token"], holders, world["cut_block"])
    assert chain.request_count <= 2  # eth_getCode probe + one batch of three aggregate3 calls
    assert len(got) == 2500 and set(got.values()) == {0}
