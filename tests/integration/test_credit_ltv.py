"""Stellar collateral read through the Horizon fixture, priced from a file, into recon.ltv_positions on
real Postgres; breaches recorded, a Horizon fault left unknown, never healthy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path

import dagster as dg
import pytest

from assets.credit import ltv_positions
from devworld.faults import Fault
from devworld.horizon import HorizonFixture
from devworld.horizon_scenario import NATIVE, HorizonScenario, Payment, account_id
from resources.credit import CreditResource
from resources.ledger import LedgerResource
from resources.prices import PriceResource
from resources.stellar import StellarResource
from resources.warehouse_resource import WarehouseResource
from stores.warehouse import Warehouse

DAY = "2026-01-05"  # a Monday; its cut-off is 23:59:59 UTC
A1, A2, A3, A5, FUNDER = (account_id(f"credit-{n}") for n in ("a1", "a2", "a3", "a5", "funder"))
# 1000-second ledgers from midnight: ledger 1086 closes 23:53:20, the last at or before the cut-off.
PINNED = 1086

LINES = ("credit_line_id,user_id,currency,credit_limit,outstanding_principal,accrued_interest,target_ltv,status,"
         "collateral_accounts,creditor_reference,updated_at\n") + f"""\
L1,u1,EUR,1000,290,10,0.40,active,{A1},RF01,2026-01-01T00:00:00Z
L2,u2,EUR,1000,590,10.00,0.40,active,{A2},RF02,2026-01-01T00:00:00Z
L3,u3,EUR,1000,100,0,0.40,active,{A3},RF03,2026-01-01T00:00:00Z
L4,u4,EUR,1000,200,0,0.40,active,,RF04,2026-01-01T00:00:00Z
L5,u5,EUR,1000,50,0,0.40,active,{A5},RF05,2026-01-01T00:00:00Z
L6,u6,EUR,1000,0,0,0.40,closed,{A1},RF06,2026-01-01T00:00:00Z
"""
ESCROW = """credit_line_id,asset,contract_id,escrowed_amount,accrued_yield,as_of
L4,native,,5000,100,2026-01-05T12:00:00Z
L4,native,,9999,0,2026-01-06T12:00:00Z
"""
PRICES = "asset,quote,price,observed_at\nXLM,EUR,0.10,2026-01-05T23:50:00Z\nXLM,EUR,0.01,2026-01-06T00:30:00Z\n"


def scenario() -> HorizonScenario:
    opening = {A1: {"native": D(10000)}, A2: {"native": D(10000)}, A5: {"native": D(10000)},
               FUNDER: {"native": D(100000)}}
    # After the cut-off A1 receives 5000 XLM: the read must roll it back to the pinned ledger.
    return HorizonScenario(issued=[], opening=opening, payments=[Payment(1090, FUNDER, A1, NATIVE, D(5000))],
                           first_ledger=1000, ledger_count=100, first_close=datetime(2026, 1, 5, tzinfo=UTC),
                           ledger_seconds=1000)


@pytest.fixture(scope="module")
def horizon() -> Iterator[HorizonFixture]:
    # A5's account endpoint answers 500 every time: its line must end unknown.
    with HorizonFixture(scenario(), faults=[Fault("http_500", None, f"/accounts/{A5}")]) as h:
        yield h


def _clean(wh: Warehouse) -> None:
    with wh.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM recon.circuit_breakers WHERE scope_type = 'credit_line'")
        conn.exec_driver_sql("DELETE FROM recon.discrepancies WHERE detector = 'credit_ltv'")
        conn.exec_driver_sql("DELETE FROM recon.ltv_positions")


def _materialize(wh: Warehouse, horizon: HorizonFixture, tmp: Path) -> dg.ExecuteInProcessResult:
    (tmp / "credit_lines.csv").write_text(LINES)
    (tmp / "collateral_escrow.csv").write_text(ESCROW)
    (tmp / "prices.csv").write_text(PRICES)
    (tmp / "vol.csv").write_text("asset,annual_vol\nXLM,0.6\n")
    resources = {
        "warehouse": WarehouseResource(database_url=wh.engine.url.render_as_string(hide_password=False)),
        "ledger": LedgerResource(kind="files", snapshot_dir=str(tmp), snapshot_home=str(tmp / "home")),
        "stellar": StellarResource(horizon_url=horizon.url, network_passphrase=horizon.scenario.passphrase,
                                   retry_attempts=2, retry_base_delay=0.01, timeout_seconds=2),
        "prices": PriceResource(kind="file", path=str(tmp / "prices.csv"), volatility_path=str(tmp / "vol.csv")),
        "credit": CreditResource(rules={"assets": [{"asset": "native", "price_symbol": "XLM"}]}),
    }
    return dg.materialize([ltv_positions], partition_key=DAY, resources=resources, raise_on_error=True)


def test_positions_from_stellar_collateral(warehouse: Warehouse, horizon: HorizonFixture, tmp_path: Path) -> None:
    _clean(warehouse)
    result = _materialize(warehouse, horizon, tmp_path)
    rows = {r["credit_line_id"]: r for r in warehouse.query(
        "SELECT * FROM recon.ltv_positions WHERE partition_key = :p", p=DAY).to_dicts()}
    # vol 0.6: haircut 0.02 + 0.25 x 0.6 = 0.17; thresholds x (1 - 0.25 x 0.6) = 0.85 -> 0.51/0.595/0.68/0.765.
    # L1: 10000 XLM (the 5000 after the cut-off rolled back) x 0.10 x 0.83 = 830; 300 / 830 = 0.36144578.
    assert (rows["L1"]["collateral_value"], rows["L1"]["ltv"], rows["L1"]["band"]) == \
        (D("830.00000000"), D("0.36144578"), "healthy")
    assert rows["L1"]["stellar_ledger"] == PINNED
    # L2: 600 / 830 = 0.72289157: partial liquidation, sold back to its 0.40 target.
    assert (rows["L2"]["band"], rows["L2"]["threshold_partial_liquidation"]) == ("partial_liquidation", D("0.68"))
    assert rows["L2"]["liquidation_value"] > 0
    # L3's account does not exist: debt and no collateral.
    assert (rows["L3"]["band"], rows["L3"]["ltv"]) == ("full_liquidation", None)
    # L4: escrow the ledger holds (no contract) as of the cut-off (the later row is not yet true), yield apart.
    assert (rows["L4"]["collateral_value"], rows["L4"]["yield_cushion_value"]) == (D("415.00000000"), D("8.30000000"))
    # L5: Horizon kept failing for its account.
    assert rows["L5"]["band"] == "unknown" and A5 in rows["L5"]["reason"]
    assert "L6" not in rows  # closed with no debt
    found = {r["discrepancy_key"]: r for r in warehouse.query(
        "SELECT * FROM recon.discrepancies WHERE detector = 'credit_ltv'").to_dicts()}
    assert found["ltv_breach|credit_line|L2|ltv"]["severity"] == "critical"
    assert found["ltv_breach|credit_line|L3|ltv"]["action"] == "circuit_breaker"
    assert found["source_unavailable|credit_line|L5|ltv_inputs"]["severity"] == "unknown"
    assert "ltv_breach|credit_line|L1|ltv" not in found
    breakers = warehouse.query("SELECT scope_id FROM recon.circuit_breakers WHERE scope_type = 'credit_line' "
                               "AND status = 'open' ORDER BY 1")["scope_id"].to_list()
    assert breakers == ["L2", "L3"]
    meta = result.asset_materializations_for_node("ltv_positions")[0].metadata
    assert meta["lines_unknown"].value == 1 and meta["lines_partial_liquidation"].value == 1
    assert meta["exposure_EUR"].value == "1250.00"  # the currency's scale, not the frame's 8 places
    checks = {c.check_name: c.passed for c in result.get_asset_check_evaluations()}
    assert checks == {"every_line_valued": False, "no_line_in_liquidation": False}


def test_rerun_is_idempotent(warehouse: Warehouse, horizon: HorizonFixture, tmp_path: Path) -> None:
    _clean(warehouse)
    _materialize(warehouse, horizon, tmp_path)
    first = warehouse.query("SELECT credit_line_id, band, ltv FROM recon.ltv_positions ORDER BY 1")
    _materialize(warehouse, horizon, tmp_path)
    assert warehouse.query("SELECT credit_line_id, band, ltv FROM recon.ltv_positions ORDER BY 1").equals(first)
    n = warehouse.query("SELECT count(*) AS n FROM recon.circuit_breakers WHERE scope_type = 'credit_line'")
    assert n["n"][0] == 2


def test_cli_positions(warehouse: Warehouse, horizon: HorizonFixture, tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from pipelines.cli import app
    _clean(warehouse)
    _materialize(warehouse, horizon, tmp_path)
    env = {"RECON_DATABASE_URL": warehouse.engine.url.render_as_string(hide_password=False)}
    out = CliRunner().invoke(app, ["credit", "positions", "--date", DAY, "--json"], env=env)
    assert out.exit_code == 0, out.output
    got = json.loads(out.output)
    # Worst first: liquidations, then unknown, then the rest.
    assert [p["band"] for p in got["positions"]][:3] == ["full_liquidation", "partial_liquidation", "unknown"]
    assert got["positions"][1]["assets"][0]["asset"] == "native"
    text = CliRunner().invoke(app, ["credit", "positions", "--band", "healthy"], env=env)
    assert text.exit_code == 0 and "L1" in text.output and "L2" not in text.output


def test_limits_and_liquidation_watch(warehouse: Warehouse, horizon: HorizonFixture, tmp_path: Path) -> None:
    from assets.credit_liquidation import liquidation_watch

    _clean(warehouse)
    with warehouse.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM recon.discrepancies WHERE detector IN ('credit_limits', "
                             "'credit_liquidations')")
    _materialize(warehouse, horizon, tmp_path)
    # L1 drawn 290 against a limit lowered to 250; L2 is in partial liquidation with no sale recorded yet.
    (tmp_path / "credit_lines.csv").write_text(LINES.replace("L1,u1,EUR,1000,", "L1,u1,EUR,250,"))
    (tmp_path / "collateral_sales.csv").write_text("sale_id,credit_line_id,asset,quantity,proceeds,sold_at,tx_hash\n")
    resources = {
        "warehouse": WarehouseResource(database_url=warehouse.engine.url.render_as_string(hide_password=False)),
        "ledger": LedgerResource(kind="files", snapshot_dir=str(tmp_path), snapshot_home=str(tmp_path / "home2")),
        "stellar": StellarResource(horizon_url=horizon.url, network_passphrase=horizon.scenario.passphrase,
                                   retry_attempts=2, retry_base_delay=0.01, timeout_seconds=2),
        "prices": PriceResource(kind="file", path=str(tmp_path / "prices.csv"),
                                volatility_path=str(tmp_path / "vol.csv")),
        "credit": CreditResource(rules={"assets": [{"asset": "native", "price_symbol": "XLM"}]}),
    }
    assert dg.materialize([ltv_positions, liquidation_watch], partition_key=DAY, resources=resources).success
    found = {r["discrepancy_key"]: r for r in warehouse.rows(
        "SELECT discrepancy_key, severity, action, amount FROM recon.discrepancies "
        "WHERE detector IN ('credit_limits', 'credit_liquidations') AND status = 'open'")}
    assert found["credit_limit_exceeded|credit_line|L1|limit"]["amount"] == 40
    watch = found[f"liquidation_not_executed|credit_line|L2|since:{DAY}"]
    assert (watch["severity"], watch["action"]) == ("significant", "record")  # the 24 h have not run out
    assert not any("|L3|" in k for k in found)  # no collateral: nothing to sell
