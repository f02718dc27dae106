"""Collateral held by Soroban contracts, read through the Soroban RPC fixture (JSON-RPC over HTTP, real XDR)
into recon.ltv_positions on real Postgres: the chain's balance, never the ledger's; a contract missing, a
balance changed after the cut-off and RPC down each leave their lines unknown and open source_unavailable."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path

import dagster as dg
import pytest
from stellar_sdk import StrKey

from assets.credit import ltv_positions
from devworld.horizon import HorizonFixture
from devworld.horizon_scenario import HorizonScenario, account_id
from devworld.soroban_rpc import SorobanRpcFixture
from resources.credit import CreditResource
from resources.ledger import LedgerResource
from resources.prices import PriceResource
from resources.stellar import StellarResource
from resources.warehouse_resource import WarehouseResource
from stores.warehouse import Warehouse

DAY = "2026-01-05"
PINNED = 1086  # 1000-second ledgers from midnight: the last closed at or before 23:59:59


def contract(label: str) -> str:
    return StrKey.encode_contract(hashlib.sha256(label.encode()).digest())


HELD, MISSING, MOVED = contract("escrow-held"), contract("escrow-missing"), contract("escrow-moved")
LINES = ("credit_line_id,user_id,currency,credit_limit,outstanding_principal,accrued_interest,target_ltv,status,"
         "collateral_accounts,creditor_reference,updated_at\n"
         "S1,u1,EUR,1000,100,0,0.40,active,,RF1,2026-01-01T00:00:00Z\n"
         "S2,u2,EUR,1000,100,0,0.40,active,,RF2,2026-01-01T00:00:00Z\n"
         "S3,u3,EUR,1000,100,0,0.40,active,,RF3,2026-01-01T00:00:00Z\n")
# The ledger's escrowed amounts are deliberately wrong: only the chain's balance may count.
ESCROW = ("credit_line_id,asset,contract_id,escrowed_amount,accrued_yield,as_of\n"
          f"S1,native,{HELD},9999,100,2026-01-05T12:00:00Z\n"
          f"S2,native,{MISSING},5000,0,2026-01-05T12:00:00Z\n"
          f"S3,native,{MOVED},5000,0,2026-01-05T12:00:00Z\n")


@pytest.fixture(scope="module")
def horizon() -> Iterator[HorizonFixture]:
    scenario = HorizonScenario(issued=[], opening={account_id("credit-funder"): {"native": D(1000)}}, payments=[],
                               first_ledger=1000, ledger_count=100, first_close=datetime(2026, 1, 5, tzinfo=UTC),
                               ledger_seconds=1000)
    with HorizonFixture(scenario) as h:
        yield h


@pytest.fixture
def rpc(horizon: HorizonFixture) -> Iterator[SorobanRpcFixture]:
    with SorobanRpcFixture(horizon.scenario.passphrase, latest_ledger=1099) as server:
        for c in (HELD, MOVED):
            server.add_contract(c, last_modified=1001)
        server.set_balance(HELD, "native", 5_000 * 10**7, last_modified=1050)  # 5000 XLM at the cut-off
        server.set_balance(MOVED, "native", 7_000 * 10**7, last_modified=1095)  # changed after the cut-off
        yield server


def _materialize(wh: Warehouse, horizon: HorizonFixture, rpc_url: str, tmp: Path) -> None:
    (tmp / "credit_lines.csv").write_text(LINES)
    (tmp / "collateral_escrow.csv").write_text(ESCROW)
    (tmp / "prices.csv").write_text("asset,quote,price,observed_at\nXLM,EUR,0.10,2026-01-05T23:50:00Z\n")
    (tmp / "vol.csv").write_text("asset,annual_vol\nXLM,0.6\n")
    with wh.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM recon.circuit_breakers WHERE scope_type = 'credit_line'")
        conn.exec_driver_sql("DELETE FROM recon.discrepancies WHERE detector IN ('credit_ltv', "
                             "'source:stellar.soroban')")
        conn.exec_driver_sql("DELETE FROM recon.ltv_positions")
    resources = {
        "warehouse": WarehouseResource(database_url=wh.engine.url.render_as_string(hide_password=False)),
        "ledger": LedgerResource(kind="files", snapshot_dir=str(tmp), snapshot_home=str(tmp / "home")),
        "stellar": StellarResource(horizon_url=horizon.url, soroban_rpc_url=rpc_url,
                                   network_passphrase=horizon.scenario.passphrase,
                                   retry_attempts=2, retry_base_delay=0.01, timeout_seconds=2),
        "prices": PriceResource(kind="file", path=str(tmp / "prices.csv"), volatility_path=str(tmp / "vol.csv")),
        "credit": CreditResource(rules={"assets": [{"asset": "native", "price_symbol": "XLM"}]}),
    }
    dg.materialize([ltv_positions], partition_key=DAY, resources=resources, raise_on_error=True)


def _rows(wh: Warehouse) -> dict[str, dict]:
    return {r["credit_line_id"]: r for r in wh.query(
        "SELECT * FROM recon.ltv_positions WHERE partition_key = :p", p=DAY).to_dicts()}


def _source_finding(wh: Warehouse) -> dict | None:
    found = wh.query("SELECT severity, status, summary FROM recon.discrepancies "
                     "WHERE discrepancy_key = 'source_unavailable|source|stellar.soroban|read'").to_dicts()
    return found[0] if found else None


def test_contract_balance_is_read_from_the_chain(warehouse: Warehouse, horizon: HorizonFixture,
                                                 rpc: SorobanRpcFixture, tmp_path: Path) -> None:
    _materialize(warehouse, horizon, rpc.url, tmp_path)
    rows = _rows(warehouse)
    # S1: 5000 XLM on chain (not the ledger's 9999) x 0.10 x (1 - 0.17) = 415; 100 / 415 = 0.24096386.
    assert (rows["S1"]["collateral_value"], rows["S1"]["ltv"], rows["S1"]["band"]) == (
        D("415.00000000"), D("0.24096386"), "healthy")
    assert rows["S1"]["yield_cushion_value"] == D("8.30000000")  # the ledger's accrued yield, kept apart
    # S2: the contract is not on chain; S3: its balance changed after the cut-off's ledger.
    assert rows["S2"]["band"] == "unknown" and f"contract {MISSING} not found on chain" in rows["S2"]["reason"]
    assert rows["S3"]["band"] == "unknown" and f"after the cut-off's ledger {PINNED}" in rows["S3"]["reason"]
    # A partial read opens source_unavailable naming the source; each unknown line has its own finding.
    source = _source_finding(warehouse)
    assert source is not None and source["status"] == "open" and "stellar.soroban partial" in source["summary"]
    lines = set(warehouse.query("SELECT scope_id FROM recon.discrepancies WHERE detector = 'credit_ltv' AND "
                                "type = 'source_unavailable' AND status = 'open'")["scope_id"].to_list())
    assert lines == {"S2", "S3"}


def test_rpc_down_leaves_every_contract_line_unknown(warehouse: Warehouse, horizon: HorizonFixture,
                                                     tmp_path: Path) -> None:
    with SorobanRpcFixture(horizon.scenario.passphrase, latest_ledger=1099) as gone:
        url = gone.url  # a port that served once and is closed now: connection refused
    _materialize(warehouse, horizon, url, tmp_path)
    rows = _rows(warehouse)
    assert {r["band"] for r in rows.values()} == {"unknown"}
    assert "getLedgerEntries failed after 2 attempts" in rows["S1"]["reason"]
    source = _source_finding(warehouse)
    assert source is not None and "stellar.soroban unavailable" in source["summary"]


def test_rpc_errors_are_retried_then_unknown(warehouse: Warehouse, horizon: HorizonFixture, rpc: SorobanRpcFixture,
                                             tmp_path: Path) -> None:
    rpc.inject("http_503", count=1, method="getLedgerEntries")  # one 503, then the answer: retried, read whole
    _materialize(warehouse, horizon, rpc.url, tmp_path)
    assert _rows(warehouse)["S1"]["band"] == "healthy" and rpc.faults.injected == 1
    rpc.inject("rpc_error", count=None, method="getLedgerEntries")  # a JSON-RPC error every time
    _materialize(warehouse, horizon, rpc.url, tmp_path)
    assert _rows(warehouse)["S1"]["band"] == "unknown"
