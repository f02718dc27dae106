"""Reserve floors and redemption activity as assets, on real Postgres with the books as ledger files:
findings land with their figures, a missing supply leaves the floor unknown, a day's finding stays
open when the next day runs."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import polars as pl
import sqlalchemy as sa

from assets.reserves_activity import redemption_activity, reserve_floor_checks
from resources.ledger import LedgerResource
from resources.reserves import ReservesResource
from resources.warehouse_resource import WarehouseResource
from stores.warehouse import Warehouse

DAY1, DAY2 = "2026-02-04", "2026-02-05"
CONFIG = json.dumps({
    "redemption_asset": "USDT",
    "redemption_chains": [{"chain": "ethereum", "chain_id": 1, "initial_reserve": "1000"},
                          {"chain": "base", "chain_id": 8453, "initial_reserve": "1000"}],
    "floors": {"ethereum": {"min_share": "0.5"}, "base": {"min_reserve": "950"}},
    "redemption_monitoring": {"min_count": 3, "min_amount": "100", "user_min_count": 3,
                              "user_min_amount": "100"},
})
USER = "0x" + "ab" * 20


def books(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pl.DataFrame({"chain_id": ["1", "8453"], "total_reserve": ["400", "900"],
                  "last_updated": ["2026-02-01T00:00:00Z"] * 2, "notes": ["", ""]}).write_csv(
        folder / "reserve_ledger.csv")
    rows = [{"redemption_id": f"q{i}", "user_address": USER, "amount": "50",
             "redeemed_at": f"2026-02-04T10:0{i}:00Z", "chain_id": "1", "tx_hash": "",
             "reserve_before": "400", "reserve_after": "400", "test_mode": "false", "status": "refused"}
            for i in range(4)]
    pl.DataFrame(rows).write_csv(folder / "redemptions.csv")
    return folder


def run(wh: Warehouse, folder: Path, day: str) -> dg.ExecuteInProcessResult:
    url = wh.engine.url.render_as_string(hide_password=False)
    return dg.materialize(
        [reserve_floor_checks, redemption_activity], partition_key=day,
        resources={"warehouse": WarehouseResource(database_url=url),
                   "ledger": LedgerResource(kind="files", snapshot_dir=str(folder),
                                            snapshot_home=str(folder / "home")),
                   "reserves": ReservesResource(inline_json=CONFIG)})


def open_findings(wh: Warehouse) -> dict[tuple[str, str, str], dict]:
    rows = wh.rows("SELECT type, scope_id, natural_key, severity, details FROM recon.discrepancies "
                   "WHERE status = 'open' AND type <> 'source_unavailable' AND first_seen_partition >= :d", d=DAY1)
    return {(r["type"], r["scope_id"], r["natural_key"]): r for r in rows}


def set_supply(wh: Warehouse, day: str, circulating: str) -> None:
    with wh.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM recon.chain_supply WHERE partition_key = :p"), {"p": day})
        conn.execute(sa.text(
            "INSERT INTO recon.chain_supply (partition_key, chain, asset, block_number, decimals, total_supply_raw, "
            "total_supply, treasury_raw, treasury, circulating_raw, circulating) "
            "VALUES (:p, 'ethereum', 'USDT', 1, 6, 0, :c, 0, 0, 0, :c)"), {"p": day, "c": circulating})


def test_floors_and_a_run_on_the_reserve(fresh_warehouse: Warehouse, tmp_path: Path) -> None:
    wh, folder = fresh_warehouse, books(tmp_path / "books")
    # No supply read for ethereum yet: its share floor is unknown, never ok; base's absolute floor is known.
    assert run(wh, folder, DAY1).success
    found = open_findings(wh)
    assert found[("low_reserve", "base", "floor")]["details"]["shortfall"] == "50"
    assert not any(k[0] == "low_reserve" and k[1] == "ethereum" for k in found)
    unknown = wh.rows("SELECT natural_key FROM recon.discrepancies WHERE type = 'source_unavailable' "
                      "AND detector = 'reserve_floors' AND status = 'open'")
    assert [r["natural_key"] for r in unknown] == ["reserve_floor:ethereum"]
    # Four refused requests from one user in an hour: a run per chain and per user, 100 % refused.
    assert found[("redemption_rate", "ethereum", f"chain:{DAY1}")]["details"]["count"] == 4
    assert ("redemption_rate", "ethereum", f"user:{USER}:{DAY1}") in found
    fail = found[("redemption_failures", "ethereum", DAY1)]["details"]
    assert (fail["failed"], fail["requests"], fail["share"]) == (4, 4, "1")

    # The next day: ethereum's 400 against 1000 circulating is below half; Wednesday's run stays on record.
    set_supply(wh, DAY2, "1000")
    assert run(wh, folder, DAY2).success
    found = open_findings(wh)
    assert found[("low_reserve", "ethereum", "floor")]["details"]["required"] == "500"
    assert ("redemption_failures", "ethereum", DAY1) in found
    assert not any(k[2].endswith(DAY2) for k in found if k[0].startswith("redemption_"))
