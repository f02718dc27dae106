"""The run manifest records what the day read, its ledger snapshot included, also when a backfill splits the
day over runs: the ledger snapshot taken in one run, the manifest written in another (as Dagster's asset
backfill does when a day's matching waits for the day before)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dagster as dg
import sqlalchemy as sa

from assets.ledger import ledger_accounts, ledger_transactions
from assets.manifest import run_manifest
from resources.ledger import LedgerResource
from resources.warehouse_resource import WarehouseResource
from stores.warehouse import Warehouse

DAY = "2026-01-07"
ACCOUNTS = "account_id,iban,currency,ledger_balance,as_of\nL-M,CH9300762011623852957,CHF,10.00,2026-01-07T18:00:00Z\n"
TXNS = ("txn_id,account_id,direction,amount,currency,booked_at,uetr,end_to_end_id\n"
        "m1,L-M,CRDT,10.00,CHF,2026-01-07T09:00:00Z,u-m1,\n")


def _manifest(wh: Warehouse, run_id: str) -> dict[str, Any]:
    with wh.engine.connect() as conn:
        row = conn.execute(sa.text("SELECT cutoffs, inputs FROM recon.runs WHERE run_id = :r"), {"r": run_id}).one()
    return {"cutoffs": row.cutoffs, "inputs": row.inputs}


def _ledger_part(manifest: dict[str, Any]) -> dict[str, Any]:
    return {part: {k: v for k, v in manifest[part].items() if k.startswith("ledger_")} for part in manifest}


def test_a_manifest_written_in_another_run_than_the_snapshot_records_the_snapshot(
        warehouse: Warehouse, pg_server_url: str, tmp_path: Path) -> None:
    (tmp_path / "accounts.csv").write_text(ACCOUNTS)
    (tmp_path / "transactions.csv").write_text(TXNS)
    resources = {"warehouse": WarehouseResource(database_url=pg_server_url),
                 "ledger": LedgerResource(kind="files", snapshot_dir=str(tmp_path),
                                          snapshot_home=str(tmp_path / "home"))}

    # In order: one run takes the snapshots and writes the manifest.
    whole = dg.materialize([ledger_accounts, ledger_transactions, run_manifest], partition_key=DAY,
                           resources=resources, raise_on_error=True)
    in_order = _ledger_part(_manifest(warehouse, whole.run_id))
    assert set(in_order["inputs"]) == {"ledger_accounts_sha256", "ledger_transactions_sha256"}
    assert {"ledger_accounts", "ledger_transactions", "ledger_as_of"} <= set(in_order["cutoffs"])

    # Split as a backfill splits it: the manifest's run reads the snapshot the other run pinned.
    first = dg.materialize([ledger_accounts, ledger_transactions], partition_key=DAY, resources=resources,
                           raise_on_error=True)
    second = dg.materialize([run_manifest], partition_key=DAY, resources=resources, raise_on_error=True)
    assert _ledger_part(_manifest(warehouse, second.run_id)) == in_order
    assert _ledger_part(_manifest(warehouse, first.run_id))["inputs"] == in_order["inputs"]

    # A day whose ledger could not be snapshotted: the manifest names no snapshot rather than a made-up one.
    other = dg.materialize([run_manifest], partition_key="2026-01-08", resources=resources, raise_on_error=True)
    assert _ledger_part(_manifest(warehouse, other.run_id))["inputs"] == {}
