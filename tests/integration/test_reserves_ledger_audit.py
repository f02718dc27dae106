"""The reserve ledger audit asset on a real local EVM and real Postgres: each break in the books or on
chain fires, consistent books stay quiet."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from assets.reserves import reserve_ledger_audit
from devworld.evm_node import LocalEvmChain
from resources.evm import EvmChainConfig, EvmResource, EvmTokenConfig
from resources.ledger import LedgerResource
from resources.reserves import ReservesResource
from resources.warehouse_resource import WarehouseResource
from stores.warehouse import Warehouse

T0 = 1_767_571_200  # 2026-01-05 00:00:00 UTC, a Monday
USDT = 10**6
CONFIG = json.dumps({"redemption_asset": "USDT",
                     "redemption_chains": [{"chain": "ethereum", "chain_id": 1, "initial_reserve": "100000"}]})


@pytest.fixture(scope="module")
def chain() -> Iterator[dict]:
    with LocalEvmChain(chain_id=1, genesis_timestamp=T0) as node:
        token = node.deploy_token("Tether USD", "USDT", 6, at=T0 + 60)
        treasury, alice, bob = (node.new_account(n) for n in ("treasury", "alice", "bob"))
        node.mint(token, alice, 1_000 * USDT, at=T0 + 120)
        txs = {
            "alice_100": node.transfer(token, alice, treasury, 100 * USDT, at=T0 + 600),
            "alice_250": node.transfer(token, alice, treasury, 250 * USDT, at=T0 + 900),
            "bob_reverted": node.transfer(token, bob, treasury, 50 * USDT, at=T0 + 1200),  # bob has none
        }
        node.mine_at(T0 + 3600)
        node.mine_at(T0 + 2 * 86_400 + 60)  # the chain goes on past both days' cut-offs
        yield {"node": node, "token": token, "alice": alice, "bob": bob, "tx": txs}


def books(tmp: Path, rows: list[dict], reserve: str) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    pl.DataFrame([{"chain_id": "1", "total_reserve": reserve, "last_updated": "2026-01-05T02:00:00Z",
                   "notes": "initial 100000"}]).write_csv(tmp / "reserve_ledger.csv")
    pl.DataFrame(rows, schema={k: pl.String for k in rows[0]}).write_csv(tmp / "redemptions.csv")
    pl.DataFrame(schema={c: pl.String for c in ("reserve_id", "operation", "amount", "reference", "at")}) \
        .write_csv(tmp / "reserve_operations.csv")
    return tmp


def row(rid: str, user: str, amount: str, before: str, after: str, tx: str, minute: int,
        test: str = "false") -> dict:
    return {"redemption_id": rid, "user_address": user, "amount": amount,
            "redeemed_at": f"2026-01-05T00:{minute:02d}:00Z", "chain_id": "1", "tx_hash": tx,
            "reserve_before": before, "reserve_after": after, "test_mode": test}


def run(warehouse: Warehouse, chain: dict, folder: Path, day: str, config: str = CONFIG
        ) -> dg.ExecuteInProcessResult:
    url = warehouse.engine.url.render_as_string(hide_password=False)
    evm = EvmResource(chains=[EvmChainConfig(
        name="ethereum", chain_id=1, rpc_url=chain["node"].url, timeout_seconds=2, retry_attempts=2,
        retry_base_delay=0.01, tokens=[EvmTokenConfig(address=chain["token"], symbol="USDT", decimals=6)])])
    return dg.materialize(
        [reserve_ledger_audit], partition_key=day, raise_on_error=False,
        resources={"warehouse": WarehouseResource(database_url=url), "evm": evm,
                   "ledger": LedgerResource(kind="files", snapshot_dir=str(folder),
                                            snapshot_home=str(folder / "home")),
                   "reserves": ReservesResource(inline_json=config)})


def found(warehouse: Warehouse, day: str) -> set[str]:
    rows = warehouse.rows("SELECT natural_key FROM recon.discrepancies WHERE detector = 'reserve_ledger_audit' "
                          "AND last_seen_partition = :p AND status = 'open'", p=day)
    return {r["natural_key"] for r in rows}


def test_broken_books_and_chain_fire(warehouse: Warehouse, chain: dict, tmp_path: Path) -> None:
    a, b, tx = chain["alice"], chain["bob"], chain["tx"]
    missing = "0x" + "ee" * 32
    rows = [
        row("r1", a, "100", "100000", "99900", tx["alice_100"], 10),
        row("r2", a, "200", "99900", "99700", tx["alice_250"], 15),  # chain carries 250, log says 200
        row("r3", b, "50", "99700", "99650", tx["bob_reverted"], 20),  # failed on chain
        row("r4", a, "10", "99650", "99640", missing, 25),  # never mined
        row("r5", a, "100", "99640", "99540", tx["alice_100"], 30),  # r1's hash again
        row("r6", a, "5", "99540", "99530", tx["alice_100"][:-2] + "00", 35),  # 99540 - 5 is not 99530
        row("t1", a, "7", "99530", "99523", missing, 40, test="true"),  # test mode moved the reserve
    ]
    result = run(warehouse, chain, books(tmp_path / "broken", rows, "99530"), "2026-01-05")
    assert result.success
    assert found(warehouse, "2026-01-05") == {
        "no_transfer:r2", "reverted:r3", "not_found:r4", "not_found:r6", "duplicate_hash:" + tx["alice_100"],
        "arithmetic:r6", "test_changed_reserve:t1", "current_reserve:ledger"}
    audit = {r["redemption_key"]: r["onchain"] for r in warehouse.rows(
        "SELECT redemption_key, onchain FROM recon.redemption_audit WHERE partition_key = '2026-01-05'")}
    assert audit == {"r1": "verified", "r2": "no_transfer", "r3": "reverted", "r4": "not_found",
                     "r5": "verified", "r6": "not_found", "t1": "skipped"}
    check = result.get_asset_check_evaluations()[0]
    assert not check.passed
    # a critical finding (money paid out without tokens coming back) stops the chain
    breakers = warehouse.rows("SELECT kind FROM recon.circuit_breakers WHERE scope_type = 'chain' "
                              "AND scope_id = 'ethereum' AND status = 'open'")
    assert {"circuit_breaker"} <= {r["kind"] for r in breakers}


def test_consistent_books_are_quiet(warehouse: Warehouse, chain: dict, tmp_path: Path) -> None:
    a, tx = chain["alice"], chain["tx"]
    rows = [row("r1", a, "100", "100000", "99900", tx["alice_100"], 10),
            row("t1", a, "7", "99900", "99900", "0x" + "ee" * 32, 12, test="true"),
            row("r2", a, "250", "99900", "99650", tx["alice_250"], 15)]
    result = run(warehouse, chain, books(tmp_path / "ok", rows, "99650"), "2026-01-06")
    assert result.success
    assert found(warehouse, "2026-01-06") == set()
    assert result.get_asset_check_evaluations()[0].passed
    per_chain = warehouse.rows("SELECT real_count, real_amount, test_count, expected_reserve, ledger_reserve "
                               "FROM recon.reserve_ledger_audit WHERE partition_key = '2026-01-06'")
    assert per_chain == [{"real_count": 2, "real_amount": 350, "test_count": 1, "expected_reserve": 99650,
                          "ledger_reserve": 99650}]
    # The reserve ledger row as read, so `recon reserves status` reports it from the store.
    as_read = warehouse.rows("SELECT notes, ledger_rows, last_updated FROM recon.reserve_ledger_audit "
                             "WHERE partition_key = '2026-01-06'")
    assert as_read == [{"notes": "initial 100000", "ledger_rows": 1,
                        "last_updated": datetime(2026, 1, 5, 2, tzinfo=UTC)}]
    # the later partition no longer finds the earlier breaks: they are closed as cleared by data
    assert found(warehouse, "2026-01-05") == set()


def test_chains_not_configured_audit_nothing(warehouse: Warehouse, chain: dict, tmp_path: Path) -> None:
    # No redemption_chains key: no chain at a made-up launch reserve; the audit says not configured.
    a, tx = chain["alice"], chain["tx"]
    rows = [row("r1", a, "100", "100000", "99900", tx["alice_100"], 10)]
    result = run(warehouse, chain, books(tmp_path / "bare", rows, "99900"), "2026-01-07",
                 config=json.dumps({"redemption_asset": "USDT"}))
    assert result.success and not result.get_asset_check_evaluations()[0].passed
    meta = result.asset_materializations_for_node("reserve_ledger_audit")[0].metadata
    assert meta["source_state"].value == "not_configured"
    assert warehouse.rows("SELECT count(*) AS n FROM recon.reserve_ledger_audit WHERE partition_key = '2026-01-07'"
                          ) == [{"n": 0}]
    assert found(warehouse, "2026-01-07") == set()
