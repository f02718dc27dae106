"""Backing and utilisation assets on real Postgres: a shortfall opens a breaker on the token, a missing
input is unknown (never ok), full backing is quiet; utilisation levels land in recon.reserve_status."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import dagster as dg
import polars as pl

from assets.reserves import backing_checks, reserve_utilization
from resources.ledger import LedgerResource
from resources.reserves import ReservesResource
from resources.warehouse_resource import WarehouseResource
from stores.warehouse import Warehouse

ACCOUNT = "DE89370400440532013000"
CONFIG = json.dumps({
    "redemption_asset": "RUSD",
    "tokens": [{"token": "RUSD", "currency": "USD", "chain_assets": {"ethereum": "RUSD", "base": "RUSD"},
                "reserve_accounts": [ACCOUNT], "ledger_reserve_chains": []}],
    "redemption_chains": [{"chain": "ethereum", "chain_id": 1, "initial_reserve": "100000"},
                          {"chain": "base", "chain_id": 8453, "initial_reserve": "100000"}],
})


def seed(wh: Warehouse, day: str, bank: str | None, eth: str, base: str | None) -> None:
    with wh.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM recon.chain_supply WHERE partition_key = %s", (day,))
        conn.exec_driver_sql("DELETE FROM recon.bank_statements WHERE account = %s AND business_date = %s",
                             (ACCOUNT, day))
    supply = [("ethereum", eth)] + ([("base", base)] if base is not None else [])
    wh.write("chain_supply", pl.DataFrame([{
        "partition_key": day, "chain": c, "asset": "RUSD", "block_number": 1, "decimals": 6,
        "total_supply_raw": "0", "total_supply": v, "treasury_raw": "0", "treasury": "0",
        "circulating_raw": "0", "circulating": v} for c, v in supply]), ["partition_key", "chain", "asset"])
    if bank is not None:
        wh.write("bank_statements", pl.DataFrame([{
            "statement_key": f"stmt-{day}", "business_date": date.fromisoformat(day),
            "message_type": "camt.053.001.08", "message_id": "m", "statement_id": "s", "account": ACCOUNT,
            "currency": "USD", "closing_balance": bank, "source_file": "f.xml", "file_sha256": "x"}]),
            ["statement_key"])


def books(folder: Path, eth: str, base: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pl.DataFrame({"chain_id": ["1", "8453"], "total_reserve": [eth, base]}).write_csv(folder / "reserve_ledger.csv")
    pl.DataFrame({"reserve_id": ["USD:fiat", "USDT:crypto"], "currency": ["USD", "USDT"],
                  "reserve_type": ["fiat", "crypto"], "initial_total": ["1000", "0"]}) \
        .write_csv(folder / "reserve_accounts.csv")
    pl.DataFrame({"reserve_id": ["USD:fiat"], "operation": ["lock"], "amount": ["920"], "reference": ["L1"],
                  "at": ["2026-01-07T10:00:00Z"], "ttl_seconds": ["3600"]}).write_csv(folder / "reserve_operations.csv")
    return folder


def run(wh: Warehouse, assets: list, day: str, folder: Path) -> dg.ExecuteInProcessResult:
    return dg.materialize(assets, partition_key=day, raise_on_error=False, resources={
        "warehouse": WarehouseResource(database_url=wh.engine.url.render_as_string(hide_password=False)),
        "ledger": LedgerResource(kind="files", snapshot_dir=str(folder), snapshot_home=str(folder / "home")),
        "reserves": ReservesResource(inline_json=CONFIG)})


def checks(wh: Warehouse, day: str) -> dict[str, tuple]:
    return {r["scope"]: (r["tier"], r["ratio"]) for r in wh.rows(
        "SELECT scope, tier, ratio FROM recon.backing_checks WHERE partition_key = :p AND token = 'RUSD'", p=day)}


def test_shortfall_opens_breaker_and_full_backing_is_quiet(warehouse: Warehouse, tmp_path: Path) -> None:
    day = "2026-01-07"
    seed(warehouse, day, bank="1000", eth="600", base="500")  # 1000 against 1100: 0.909...
    result = run(warehouse, [backing_checks], day, books(tmp_path / "a", "600", "450"))
    assert result.success
    got = checks(warehouse, day)
    assert got["all"][0] == "critical" and str(got["all"][1]).startswith("0.909090909091")
    assert got["ethereum"][0] == "ok" and got["base"][0] == "critical"  # 450 against 500: 10 %
    assert warehouse.rows("SELECT kind FROM recon.circuit_breakers WHERE scope_type = 'token' "
                          "AND scope_id = 'RUSD' AND status = 'open'") == [{"kind": "circuit_breaker"}]
    assert {c.check_name: c.passed for c in result.get_asset_check_evaluations()} == {
        "fully_backed": False, "supply_matches_reserve_ledger": False}

    seed(warehouse, "2026-01-08", bank="1100", eth="600", base="500")
    result = run(warehouse, [backing_checks], "2026-01-08", books(tmp_path / "b", "600", "500"))
    assert checks(warehouse, "2026-01-08") == {"all": ("ok", 1), "ethereum": ("ok", 1), "base": ("ok", 1)}
    assert all(c.passed for c in result.get_asset_check_evaluations())


def test_missing_bank_balance_is_unknown(warehouse: Warehouse, tmp_path: Path) -> None:
    day = "2026-01-09"
    seed(warehouse, day, bank=None, eth="600", base=None)
    run(warehouse, [backing_checks], day, books(tmp_path / "c", "600", "500"))
    got = checks(warehouse, day)
    assert got["all"] == ("unknown", None) and got["base"] == ("unknown", None)
    keys = {r["natural_key"] for r in warehouse.rows(
        "SELECT natural_key FROM recon.discrepancies WHERE detector = 'reserve_backing' AND type = "
        "'source_unavailable' AND last_seen_partition = :p", p=day)}
    assert keys == {"backing:all", "backing:base"}


def test_utilization_levels_written(warehouse: Warehouse, tmp_path: Path) -> None:
    day = "2026-01-09"
    result = run(warehouse, [reserve_utilization], day, books(tmp_path / "d", "1", "1"))
    assert result.success
    rows = {r["reserve_id"]: (r["level"], r["utilization"], r["stale_locks"]) for r in warehouse.rows(
        "SELECT reserve_id, level, utilization, stale_locks FROM recon.reserve_status WHERE partition_key = :p",
        p=day)}
    # 920 of 1000 locked: critical; the empty crypto reserve is 0 % (healthy); the lock is hours past its TTL
    assert rows == {"USD:fiat": ("critical", Decimal("0.92"), 1), "USDT:crypto": ("healthy", 0, 0)}
    highest = result.asset_materializations_for_node("reserve_utilization")[0].metadata["highest_utilization"]
    assert Decimal(highest.value) == Decimal("0.92")  # exact text, as the ratio is stored, never a float
    types = {r["type"] for r in warehouse.rows(
        "SELECT type FROM recon.discrepancies WHERE detector = 'reserve_utilization' AND last_seen_partition = :p",
        p=day)}
    assert types == {"utilization_level", "stale_reserve_lock"}
