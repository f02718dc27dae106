"""The evm_chain_reads asset materialised in process: two real chains, real Postgres."""

from __future__ import annotations

from collections.abc import Iterator

import dagster as dg
import pytest

from assets.chain import evm_chain_reads
from assets.reserves_inputs import SUPPLY_SQL
from devworld.evm_node import MULTICALL3_ADDRESS, LocalEvmChain
from resources.evm import EvmChainConfig, EvmResource, EvmTokenConfig
from resources.warehouse_resource import WarehouseResource
from stores.warehouse import Warehouse

DAY = "2026-01-06"  # a Tuesday; the previous business day is Monday 2026-01-05
T0 = 1_767_571_200  # 2026-01-05 00:00:00 UTC
CUTOFF = T0 + 2 * 86_400 - 1


@pytest.fixture(scope="module")
def chains() -> Iterator[list[tuple[str, LocalEvmChain, str, str]]]:
    with LocalEvmChain(chain_id=1, genesis_timestamp=T0) as eth, \
            LocalEvmChain(chain_id=8453, genesis_timestamp=T0, block_time=2,
                          multicall3_address=None) as base:
        out = []
        for name, chain in (("ethereum", eth), ("base", base)):
            token = chain.deploy_token("Reserve USD", "RUSD", 6, at=T0 + 60)
            treasury = chain.new_account(f"{name}-treasury")
            chain.mint(token, treasury, 5_000_000, at=T0 + 3_600)  # Monday: before the range
            chain.transfer(token, treasury, chain.accounts[1], 1_000_000, at=T0 + 90_000)  # Tuesday
            chain.mine_at(CUTOFF)
            chain.mint(token, treasury, 7, at=CUTOFF + 1)  # Wednesday: after the cut-off
            out.append((name, chain, token, treasury))
        yield out


def resource(chains: list, url_override: str | None = None) -> EvmResource:
    return EvmResource(chains=[
        EvmChainConfig(name=name, chain_id=chain.chain_id, rpc_url=url_override or chain.url,
                       tokens=[EvmTokenConfig(address=token, symbol="RUSD", decimals=6)],
                       treasury=[treasury], holders=[chain.accounts[1]],
                       multicall3=MULTICALL3_ADDRESS, timeout_seconds=2, retry_attempts=3,
                       retry_base_delay=0.01)
        for name, chain, token, treasury in chains
    ])


def materialize(warehouse: Warehouse, evm: EvmResource) -> dg.ExecuteInProcessResult:
    wh = WarehouseResource(database_url=warehouse.engine.url.render_as_string(hide_password=False))
    return dg.materialize([evm_chain_reads], partition_key=DAY,
                          resources={"warehouse": wh, "evm": evm}, raise_on_error=True)


def test_reads_both_chains_and_writes_idempotently(fresh_warehouse: Warehouse, chains: list) -> None:
    warehouse = fresh_warehouse  # only this test's partitions: other tests read the same days
    for _ in range(2):  # a re-run of the partition must not duplicate anything
        result = materialize(warehouse, resource(chains))
    supply = warehouse.rows("SELECT chain, total_supply_raw, circulating, block_number FROM "
                            "recon.chain_supply WHERE partition_key = :p ORDER BY chain", p=DAY)
    assert [(r["chain"], int(r["total_supply_raw"]), str(r["circulating"])) for r in supply] == [
        ("base", 5_000_000, "1.000000"), ("ethereum", 5_000_000, "1.000000")]
    transfers = warehouse.rows("SELECT chain, count(*) AS n FROM recon.chain_transfers "
                               "WHERE partition_key = :p GROUP BY chain ORDER BY chain", p=DAY)
    assert [(r["chain"], r["n"]) for r in transfers] == [("base", 1), ("ethereum", 1)]
    reads = warehouse.rows("SELECT chain, status, block_number FROM recon.chain_reads "
                           "WHERE partition_key = :p ORDER BY chain", p=DAY)
    assert [r["status"] for r in reads] == ["complete", "complete"]
    assert {r["block_number"] for r in reads} == {r["block_number"] for r in supply}
    meta = result.asset_materializations_for_node("evm_chain_reads")[0].metadata
    assert meta["failed_reads"].value == 0 and meta["ethereum_holders"].value == 2
    assert all(c.passed for c in result.get_asset_check_evaluations())


def test_failed_read_leaves_nothing_complete(fresh_warehouse: Warehouse, chains: list) -> None:
    warehouse = fresh_warehouse
    materialize(warehouse, resource(chains))
    eth = chains[0][1]
    eth.inject("http_503", count=None)
    try:
        result = materialize(warehouse, resource(chains))
    finally:
        eth.faults.clear()
    reads = warehouse.rows("SELECT chain, status, error FROM recon.chain_reads "
                           "WHERE partition_key = :p ORDER BY chain", p=DAY)
    assert [(r["chain"], r["status"]) for r in reads] == [("base", "complete"), ("ethereum", "failed")]
    assert "HTTP 503" in reads[1]["error"] and "127.0.0.1" not in reads[1]["error"]
    left = warehouse.rows("SELECT count(*) AS n FROM recon.chain_supply "
                          "WHERE partition_key = :p AND chain = 'ethereum'", p=DAY)
    assert left[0]["n"] == 1  # a failed read never empties the partition...
    used = warehouse.rows(SUPPLY_SQL, p=DAY)
    assert [r["chain"] for r in used] == ["base"]  # ...and its earlier rows are not passed off as current
    assert warehouse.rows("SELECT scope_id FROM recon.discrepancies WHERE type = 'source_unavailable' "
                          "AND status = 'open'") == [{"scope_id": "evm.ethereum"}]
    (check,) = result.get_asset_check_evaluations()
    assert not check.passed and check.metadata["incomplete"].value == 1
