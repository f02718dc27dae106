"""The output store itself: schema applied, and what it holds."""

from __future__ import annotations

import dagster as dg

from resources.warehouse_resource import WarehouseResource


@dg.asset(group_name="outputs", description="Schema `recon` at the newest migration, with its row counts.")
def output_store(warehouse: WarehouseResource) -> dg.MaterializeResult:
    wh = warehouse.get()
    applied = wh.ensure_current()
    counts = wh.table_counts()
    return dg.MaterializeResult(
        metadata={
            "migrations_applied": dg.MetadataValue.int(len(applied)),
            "tables": dg.MetadataValue.int(len(counts)),
            "rows": dg.MetadataValue.int(sum(counts.values())),
            "row_counts": dg.MetadataValue.md(
                "| table | rows |\n|---|---|\n" + "\n".join(f"| {t} | {n} |" for t, n in counts.items())
            ),
        }
    )
