"""Remove what earlier demo runs wrote to the warehouse, so a re-run reports exactly the scenario.

Only the demo's partitions, its files and the findings and flags first or last seen in them go;
the audit log is append-only and keeps its history.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from recon.sql import postgres_sql
from stores.identifiers import render
from stores.warehouse import Warehouse

_COLUMNS = postgres_sql("select_output_table_columns")
# Tier 1's notifications of the demo's days, children first; positions of the demo's accounts.
_TIER1_PLAN = ["bank_positions", "notification_checks", "notification_entries", "notifications"]


def file_hashes(folder: Path) -> list[str]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()]


def wipe_demo_rows(wh: Warehouse, partitions: list[str], drop_folder: Path) -> dict[str, int]:
    days = sorted({date.fromisoformat(k[:10]) for k in partitions})
    params = {"keys": partitions, "days": days, "src": f"drop_folder:{drop_folder.resolve()}",
              "shas": file_hashes(drop_folder)}
    deleted: dict[str, int] = {}
    with wh.engine.begin() as conn:
        tables = {r.table_name: set(r.cols) for r in conn.execute(sa.text(_COLUMNS))}
        plan = [(t, postgres_sql(f"delete_demo_{t}"))
                for t in ("circuit_breakers", *_TIER1_PLAN, "discrepancies", "ingested_files")]
        for name, cols in sorted(tables.items()):
            if name in ("circuit_breakers", "discrepancies", "ingested_files", "audit_log", "schema_migrations",
                        *_TIER1_PLAN):
                continue
            if "partition_key" in cols:
                plan.append((name, render(postgres_sql("delete_partition_rows"), table=name)))
            elif "business_date" in cols:
                plan.append((name, render(postgres_sql("delete_business_date_rows"), table=name)))
        for name, delete in plan:
            if name in tables:
                deleted[name] = conn.execute(sa.text(delete), params).rowcount
    return deleted
