"""Intraday ERC-20 reads start from the last complete read: only holders named in a Transfer log since (mints
and burns included) or never read are read again, the result equals a full read at the window's block, and a
basis that is missing, partial or off the chain gives the full read. Each read says its basis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from assets.chain_reads import read_evm_chain
from clients.chain_retry import RetryPolicy
from clients.evm_client import EvmClient, EvmSettings, Token
from devworld.evm_node import MULTICALL3_ADDRESS, LocalEvmChain
from stores.warehouse import Warehouse

T0 = 1_767_571_200  # 2026-01-05 00:00:00 UTC
FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05)


@pytest.fixture(scope="module")
def world() -> Iterator[dict]:
    with LocalEvmChain(chain_id=1, genesis_timestamp=T0) as chain:
        token = chain.deploy_token("Reserve USD", "RUSD", 6, at=T0 + 12)
        treasury, alice, bob, carol, dave = (chain.new_account(n) for n in ("t", "a", "b", "c", "d"))
        chain.mint(token, treasury, 1_000_000_000, at=T0 + 100)
        chain.transfer(token, treasury, alice, 250_000_000, at=T0 + 200)
        chain.transfer(token, treasury, dave, 7_000_000, at=T0 + 300)
        chain.mine_at(T0 + 3600)
        # Between the first and the second window: a transfer, a mint and a burn (each logs Transfer).
        chain.transfer(token, alice, bob, 5_000_000, at=T0 + 3700)
        chain.mint(token, carol, 3_000_000, at=T0 + 3800)
        chain.burn(token, dave, 2_000_000, at=T0 + 3900)
        chain.mine_at(T0 + 5400)
        yield {"chain": chain, "token": Token(token, "RUSD", 6), "treasury": treasury,
               "holders": (alice, bob, carol, dave)}


def client(w: dict, name: str, holders: tuple[str, ...] | None = None) -> EvmClient:
    return EvmClient(EvmSettings(  # type: ignore[arg-type]
        name=name, chain_id=1, url=w["chain"].url, tokens=(w["token"],), treasury=(w["treasury"],),
        holders=w["holders"] if holders is None else holders, multicall3=MULTICALL3_ADDRESS, policy=FAST,
        timeout=2.0))


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(T0 + seconds, UTC)


def execute(wh: Warehouse, sql: str, **params: object) -> None:
    with wh.engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def balances(wh: Warehouse, key: str, chain: str) -> dict[str, int]:
    return {r["holder"]: int(r["balance_raw"]) for r in wh.rows(
        "SELECT holder, balance_raw FROM recon.chain_balances WHERE partition_key = :p AND chain = :c",
        p=key, c=chain)}


def test_a_window_reads_again_only_what_moved_and_equals_a_full_read(world: dict, warehouse: Warehouse) -> None:
    name = f"since{uuid.uuid4().hex[:8]}"
    first = read_evm_chain(warehouse, "2026-01-05-01:00", client(world, name), cutoff=at(3600))
    assert first.failed == [] and first.bases["RUSD"] == "full read: no earlier complete read"

    second = read_evm_chain(warehouse, "2026-01-05-01:30", client(world, name), cutoff=at(5400))

    # alice and bob (transfer), carol (mint), dave (burn) read again; the treasury carried over.
    assert second.failed == [] and second.bases["RUSD"].startswith(
        "since the complete read of 2026-01-05-01:00 at block ")
    assert "4 of 5 balances read again" in second.bases["RUSD"]
    supply, full = client(world, name).supply(world["token"], second.block or 0)
    assert balances(warehouse, "2026-01-05-01:30", name) == {b.holder: b.balance_raw for b in full}
    supply_row = warehouse.rows(
        "SELECT total_supply_raw FROM recon.chain_supply WHERE partition_key = :p AND chain = :c",
        p="2026-01-05-01:30", c=name)
    assert int(supply_row[0]["total_supply_raw"]) == supply.total_raw == 1_001_000_000


def test_a_holder_never_read_is_read_and_nothing_moved_reads_only_it(world: dict, warehouse: Warehouse) -> None:
    name = f"since{uuid.uuid4().hex[:8]}"
    few = world["holders"][:2]
    read_evm_chain(warehouse, "2026-01-05-01:30", client(world, name, few), cutoff=at(5400))

    later = read_evm_chain(warehouse, "2026-01-05-02:00", client(world, name), cutoff=at(5400))

    assert "2 of 5 balances read again, 0 addresses" in later.bases["RUSD"]  # carol and dave, never read
    _, full = client(world, name).supply(world["token"], later.block or 0)
    assert balances(warehouse, "2026-01-05-02:00", name) == {b.holder: b.balance_raw for b in full}


def test_a_partial_or_failed_basis_gives_the_full_read(world: dict, warehouse: Warehouse) -> None:
    name = f"since{uuid.uuid4().hex[:8]}"
    read_evm_chain(warehouse, "2026-01-05-01:00", client(world, name), cutoff=at(3600))
    execute(warehouse, "DELETE FROM recon.chain_balances WHERE chain = :c AND holder = :h",
                      c=name, h=world["holders"][0])

    partial = read_evm_chain(warehouse, "2026-01-05-01:30", client(world, name), cutoff=at(5400))

    assert partial.bases["RUSD"].startswith("full read: the last read (2026-01-05-01:00) holds 4 of its 5")
    execute(warehouse, "UPDATE recon.chain_reads SET status = 'failed' WHERE chain = :c", c=name)
    failed = read_evm_chain(warehouse, "2026-01-05-02:00", client(world, name), cutoff=at(5400))
    assert failed.bases["RUSD"] == "full read: no earlier complete read"
    execute(warehouse, "UPDATE recon.chain_reads SET block_hash = '0x00' WHERE chain = :c", c=name)
    moved = read_evm_chain(warehouse, "2026-01-05-02:30", client(world, name), cutoff=at(5400))
    assert "is no longer on the chain" in moved.bases["RUSD"]
