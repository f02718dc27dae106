"""Stellar reads through stellar-sdk against the Horizon fixture: pinning, supply rolled back to the
pinned ledger, paging, faults, and the asset on real Postgres."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import dagster as dg
import pytest

from assets.chain import stellar_chain_reads
from clients.chain_retry import ChainReadError, RetryPolicy
from clients.stellar_client import StellarClient, StellarSettings
from devworld.horizon import HorizonFixture
from devworld.horizon_scenario import Asset, HorizonScenario, Payment, account_id
from resources.stellar import StellarAssetConfig, StellarResource
from resources.warehouse_resource import WarehouseResource
from stores.warehouse import Warehouse

ISSUER, TREASURY, ALICE = account_id("issuer"), account_id("treasury"), account_id("alice")
RUSD = Asset("RUSD", ISSUER)
FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05)
# 2026-01-06 (Tuesday) ends at ledger 1000 + 2 days of 5-second ledgers.
FIRST_CLOSE = datetime(2026, 1, 5, 0, 0, tzinfo=UTC)
CUT_LEDGER = 1000 + (2 * 86_400 - 5) // 5


def scenario() -> HorizonScenario:
    pays = [Payment(1010, ISSUER, TREASURY, RUSD, D("1000000.0000000"))]
    # 450 small payments on Tuesday: more than two pages of 200
    pays += [Payment(CUT_LEDGER - 500 + i, TREASURY, ALICE, RUSD, D("0.0000001") * (i + 1))
             for i in range(450)]
    pays += [Payment(CUT_LEDGER - 10, ALICE, ISSUER, RUSD, D("5")),  # redemption burn
             Payment(CUT_LEDGER + 3, ISSUER, TREASURY, RUSD, D("77")),  # after the cut-off
             Payment(CUT_LEDGER + 4, TREASURY, ALICE, RUSD, D("1.5"))]
    return HorizonScenario(issued=[RUSD], opening={TREASURY: {"native": D(50)}, ALICE: {"native": D(2)}},
                           payments=pays, first_ledger=1000, ledger_count=2 * 17_280 + 100,
                           first_close=FIRST_CLOSE, claimable={RUSD.key: D("3")}, pools={RUSD.key: D("2")})


@pytest.fixture(scope="module")
def horizon() -> Iterator[HorizonFixture]:
    with HorizonFixture(scenario()) as h:
        yield h


def client(h: HorizonFixture) -> StellarClient:
    return StellarClient(StellarSettings(h.url, h.scenario.passphrase, (("RUSD", ISSUER),),
                                         (TREASURY,), (ALICE,), timeout=2, policy=FAST))


def test_pin_and_supply_rolled_back_to_the_pinned_ledger(horizon: HorizonFixture) -> None:
    c = client(horizon)
    pin = c.pin(FIRST_CLOSE + timedelta(days=2) - timedelta(seconds=1))
    assert pin.block_number == CUT_LEDGER
    supply, balances = c.supply("RUSD", ISSUER, pin.block_number)
    truth = horizon.scenario.balances(CUT_LEDGER)
    # accounts + claimable 3 + pools 2; the later 77 mint is rolled back
    assert supply.amount(supply.total_raw) == D("1000000") - D("5") + D("5")
    assert {b.holder: supply.amount(b.balance_raw) for b in balances} == {
        TREASURY: truth[TREASURY][RUSD.key], ALICE: truth[ALICE][RUSD.key]}
    assert supply.treasury_raw == int(truth[TREASURY][RUSD.key] * 10**7)


def test_transfers_page_by_cursor(horizon: HorizonFixture) -> None:
    got = list(client(horizon).transfers("RUSD", ISSUER, CUT_LEDGER - 600, CUT_LEDGER))
    assert len(got) == 451  # 450 to alice + the burn, each once though seen from two accounts
    assert sum(t.amount_raw for t in got if t.receiver == ALICE) == sum(range(1, 451))


@pytest.mark.parametrize("kind", ["http_429", "http_503", "timeout", "malformed"])
def test_transient_faults_are_retried(horizon: HorizonFixture, kind: str) -> None:
    horizon.faults.clear()
    horizon.inject(kind, count=2, path="/accounts", delay=3.0)
    _supply, balances = client(horizon).supply("RUSD", ISSUER, CUT_LEDGER)
    assert len(balances) == 2 and horizon.faults.injected >= 2


def test_persistent_fault_fails_clearly(horizon: HorizonFixture) -> None:
    horizon.inject("http_500", count=None, path="/ledgers")
    try:
        with pytest.raises(ChainReadError, match="failed after 4 attempts"):
            client(horizon).pin(FIRST_CLOSE + timedelta(days=2))
    finally:
        horizon.faults.clear()


def test_asset_writes_supply_and_balances(warehouse: Warehouse, horizon: HorizonFixture) -> None:
    stellar = StellarResource(horizon_url=horizon.url, network_passphrase=horizon.scenario.passphrase,
                              assets=[StellarAssetConfig(code="RUSD", issuer=ISSUER)],
                              treasury=[TREASURY], accounts=[ALICE], retry_base_delay=0.01)
    wh = WarehouseResource(database_url=warehouse.engine.url.render_as_string(hide_password=False))
    result = dg.materialize([stellar_chain_reads], partition_key="2026-01-06",
                            resources={"warehouse": wh, "stellar": stellar})
    assert result.success
    rows = warehouse.rows("SELECT block_number, total_supply, circulating FROM recon.chain_supply "
                          "WHERE partition_key = '2026-01-06' AND chain = 'stellar'")
    assert [(r["block_number"], r["total_supply"]) for r in rows] == [(CUT_LEDGER, D("1000000.0000000"))]
    n = warehouse.rows("SELECT count(*) AS n FROM recon.chain_transfers WHERE chain = 'stellar' "
                       "AND partition_key = '2026-01-06'")[0]["n"]
    assert n == 451
