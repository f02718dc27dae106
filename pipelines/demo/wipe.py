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
from resources.warehouse import Warehouse

_COLUMNS = postgres_sql("select_output_table_columns")
_DEMO_FINDINGS = postgres_sql("select_demo_finding_keys")

# Tier 1's notifications of the demo's days, children first; positions of the demo's accounts.
_TIER1_PLAN = [
    ("bank_positions", "account IN (SELECT account FROM recon.bank_statements WHERE business_date = ANY(:days))"),
    ("notification_checks", "entry_key IN (SELECT entry_key FROM recon.notification_entries "
                            "WHERE business_date = ANY(:days))"),
    ("notification_entries", "business_date = ANY(:days)"),
    ("notifications", "NOT EXISTS (SELECT 1 FROM recon.notification_entries e WHERE e.sha256 = notifications.sha256)"),
]


def file_hashes(folder: Path) -> list[str]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()]


def wipe_demo_rows(wh: Warehouse, partitions: list[str], drop_folder: Path) -> dict[str, int]:
    days = sorted({date.fromisoformat(k[:10]) for k in partitions})
    params = {"keys": partitions, "days": days, "src": f"drop_folder:{drop_folder.resolve()}",
              "shas": file_hashes(drop_folder)}
    deleted: dict[str, int] = {}
    with wh.engine.begin() as conn:
        tables = {r.table_name: set(r.cols) for r in conn.execute(sa.text(_COLUMNS))}
        plan = [("circuit_breakers", f"discrepancy_key IN ({_DEMO_FINDINGS})"),
                *_TIER1_PLAN,
                ("discrepancies", f"discrepancy_key IN ({_DEMO_FINDINGS})"),
                ("ingested_files", "source = :src OR file_sha256 = ANY(:shas)")]
        for name, cols in sorted(tables.items()):
            if name in ("circuit_breakers", "discrepancies", "ingested_files", "audit_log", "schema_migrations",
                        *(t for t, _ in _TIER1_PLAN)):
                continue
            if "partition_key" in cols:
                plan.append((name, "partition_key = ANY(:keys)"))
            elif "business_date" in cols:
                plan.append((name, "business_date = ANY(:days)"))
        for name, where in plan:
            if name in tables:
                deleted[name] = conn.execute(sa.text(f"DELETE FROM recon.{name} WHERE {where}"), params).rowcount
    return deleted
