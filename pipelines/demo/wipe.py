"""Remove what earlier demo runs wrote to the warehouse, so a re-run reports exactly the scenario.

Only the demo's partitions, its files and the findings and flags first or last seen in them go;
the audit log is append-only and keeps its history.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from resources.warehouse import Warehouse

_COLUMNS = """
SELECT table_name, array_agg(column_name::text) AS cols FROM information_schema.columns
WHERE table_schema = 'recon' AND table_name IN (
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'recon' AND table_type = 'BASE TABLE')
GROUP BY table_name
"""
_DEMO_FINDINGS = ("SELECT discrepancy_key FROM recon.discrepancies "
                  "WHERE first_seen_partition = ANY(:keys) OR last_seen_partition = ANY(:keys)")


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
                ("discrepancies", f"discrepancy_key IN ({_DEMO_FINDINGS})"),
                ("ingested_files", "source = :src OR file_sha256 = ANY(:shas)")]
        for name, cols in sorted(tables.items()):
            if name in ("circuit_breakers", "discrepancies", "ingested_files", "audit_log", "schema_migrations"):
                continue
            if "partition_key" in cols:
                plan.append((name, "partition_key = ANY(:keys)"))
            elif "business_date" in cols:
                plan.append((name, "business_date = ANY(:days)"))
        for name, where in plan:
            if name in tables:
                deleted[name] = conn.execute(sa.text(f"DELETE FROM recon.{name} WHERE {where}"), params).rowcount
    return deleted
