"""Ledger snapshots per business day: what the ledger said at the partition's cut-off, kept for backfills."""

from datetime import date, datetime

import dagster as dg

from assets import source_kit as kit
from assets.partitions import CALENDAR, business_day_partitions
from recon.ledger.tables import ACCOUNTS, TRANSACTIONS, LedgerTable
from resources.ledger import LedgerResource, LedgerSnapshot
from resources.warehouse_resource import WarehouseResource


def ledger_as_of(partition_key: str) -> datetime:
    """The ledger snapshot's cut-off: everything booked on or before it belongs to the partition."""
    return CALENDAR.ledger_as_of(date.fromisoformat(partition_key[:10]))


def take_snapshot(context: dg.AssetExecutionContext, ledger: LedgerResource, warehouse: WarehouseResource,
                  table: LedgerTable) -> tuple[LedgerSnapshot | None, dg.MaterializeResult]:
    """The partition's pinned snapshot; an unreadable ledger leaves no snapshot and says why."""
    cutoff, wh = ledger_as_of(context.partition_key), warehouse.get()
    got = kit.read(context, wh, f"ledger.{table.name}",
                   lambda: ledger.source().snapshot(table, cutoff, context.partition_key), cutoff)
    if got.value is None:
        return None, dg.MaterializeResult(metadata=kit.metadata([got], 0, 0))
    snap = got.value
    wh.start_run("daily", context.partition_key, {f"ledger_{table.name}": cutoff.isoformat()},
                 {f"ledger_{table.name}_sha256": snap.sha256}, run_id=context.run.run_id)
    return snap, dg.MaterializeResult(metadata={
        **kit.metadata([got], snap.frame.height, 0),
        "rows": dg.MetadataValue.int(snap.frame.height),
        "as_of": dg.MetadataValue.text(cutoff.isoformat()),
        "sha256": dg.MetadataValue.text(snap.sha256),
        "reused": dg.MetadataValue.bool(snap.reused),
        "path": dg.MetadataValue.path(str(snap.path)),
    })


@dg.asset(group_name="ledger", partitions_def=business_day_partitions,
          description="Ledger accounts (balances) as of the business day's cut-off, snapshotted once.")
def ledger_accounts(context: dg.AssetExecutionContext, ledger: LedgerResource,
                    warehouse: WarehouseResource) -> dg.MaterializeResult:
    return take_snapshot(context, ledger, warehouse, ACCOUNTS)[1]


@dg.asset(group_name="ledger", partitions_def=business_day_partitions,
          description="Ledger transactions booked up to the business day's cut-off, snapshotted once.")
def ledger_transactions(context: dg.AssetExecutionContext, ledger: LedgerResource,
                        warehouse: WarehouseResource) -> dg.MaterializeResult:
    return take_snapshot(context, ledger, warehouse, TRANSACTIONS)[1]
