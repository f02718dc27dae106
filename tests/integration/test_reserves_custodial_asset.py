"""The custodial balance asset on real Postgres: a user off from the chain is a finding on that chain's
detector; a chain whose read failed is unknown, never ok."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import polars as pl

from assets.reserves import custodial_balance_checks
from resources.ledger import LedgerResource
from resources.reserves import ReservesResource
from resources.warehouse_resource import WarehouseResource
from stores.warehouse import Warehouse

DAY = "2026-01-12"


def test_mismatch_and_failed_read(warehouse: Warehouse, tmp_path: Path) -> None:
    cutoff = datetime(2026, 1, 12, 23, 59, 59, tzinfo=UTC)
    warehouse.write("chain_reads", pl.DataFrame([
        {"read_id": f"{DAY}:{c}:USDT", "partition_key": DAY, "chain": c, "asset": "USDT", "cutoff": cutoff,
         "status": s} for c, s in (("ethereum", "complete"), ("base", "failed"))]), ["read_id"])
    warehouse.write("chain_balances", pl.DataFrame([
        {"partition_key": DAY, "chain": "ethereum", "asset": "USDT", "holder": h, "block_number": 1,
         "balance_raw": "0", "balance": b, "holder_kind": "holder"} for h, b in (("0xA", "10"), ("0xB", "7"))]),
        ["partition_key", "chain", "asset", "holder"])
    pl.DataFrame({"user_id": ["alice", "bob", "carol"], "chain": ["ethereum", "ethereum", "base"],
                  "asset": ["USDT"] * 3, "address": ["0xa", "0xB", "0xC"], "balance": ["10", "5", "1"]}) \
        .write_csv(tmp_path / "custodial_balances.csv")
    result = dg.materialize([custodial_balance_checks], partition_key=DAY, resources={
        "warehouse": WarehouseResource(database_url=warehouse.engine.url.render_as_string(hide_password=False)),
        "ledger": LedgerResource(kind="files", snapshot_dir=str(tmp_path), snapshot_home=str(tmp_path / "h")),
        "reserves": ReservesResource(inline_json='{"redemption_asset": "USDT"}')})
    found = {(r["detector"], r["type"], r["natural_key"]) for r in warehouse.rows(
        "SELECT detector, type, natural_key FROM recon.discrepancies WHERE detector LIKE 'custodial_balances:%' "
        "AND last_seen_partition = :p", p=DAY)}
    # base's failed read is the chain asset's own source_unavailable finding; here base is only unknown.
    assert found == {("custodial_balances:ethereum", "holder_balance_mismatch", "USDT:bob")}
    meta = result.asset_materializations_for_node("custodial_balance_checks")[0].metadata
    assert meta["ethereum_mismatches"].value == 1 and meta["base_mismatches"].value == "unknown"
