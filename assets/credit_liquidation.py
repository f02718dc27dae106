"""Liquidations carried out: a line in partial or full liquidation shows its collateral sale in time.
Logic in recon/credit/liquidation_watch.py."""

from collections import defaultdict

import dagster as dg

from assets import credit_inputs as read
from assets import source_kit as kit
from assets.credit import GROUP, _day, _record
from assets.partitions import business_day_partitions
from recon.credit.liquidation_watch import LIQUIDATING, DayPosition, check_liquidations
from recon.credit.tables import COLLATERAL_SALES
from recon.discrepancies import Discrepancy
from recon.sql import postgres_sql
from resources.credit import CreditResource
from resources.ledger import LedgerResource
from resources.warehouse_resource import WarehouseResource

DETECTOR = "credit_liquidations"
HISTORY_SQL = postgres_sql("select_liquidating_line_history")
UNKNOWN_SQL = postgres_sql("count_unknown_ltv_bands")


# A line's time in liquidation is read from the LTV bands of the days before: a day waits for the day before
# to be watched (which waited for that day's bands), so a backfill newest first or two days at once sees it.
PREVIOUS_DAY = dg.AssetDep("liquidation_watch",
                           partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-1, end_offset=-1))


@dg.asset(partitions_def=business_day_partitions, group_name=GROUP, kinds={"python", "postgres"},
          deps=["ltv_positions", PREVIOUS_DAY])
def liquidation_watch(context: dg.AssetExecutionContext, warehouse: WarehouseResource, ledger: LedgerResource,
                      credit: CreditResource) -> dg.MaterializeResult:
    """Each line in partial or full liquidation: the collateral sale shown in the ledger or on chain within
    the configured time since it entered liquidation, else a finding that turns critical at the deadline."""
    wh, pk = warehouse.get(), context.partition_key
    _, cutoff = _day(context)
    got = kit.read(context, wh, "credit_config", credit.credit_rules, cutoff)
    if got.value is None:
        # Without the credit rules there is no deadline to judge by: nothing is found, nothing cleared.
        return dg.MaterializeResult(metadata={**kit.metadata([got], 0, 1), "complete": dg.MetadataValue.bool(False)})
    rules = got.value
    errors: dict[str, str] = {}
    sales = read.ledger_table(context, wh, ledger, COLLATERAL_SALES, cutoff, errors)
    history: dict[str, list[DayPosition]] = defaultdict(list)
    for r in wh.rows(HISTORY_SQL, p=pk, bands=list(LIQUIDATING)):
        history[r["credit_line_id"]].append(DayPosition(r["partition_key"], r["band"], r["cutoff"] or cutoff,
                                                        r["assets"]))
    found = check_liquidations(history, sales if sales is not None else COLLATERAL_SALES.empty(), cutoff,
                               rules.liquidation_deadline_hours)
    if sales is None:
        # Without the ledger's sales a sale not seen on chain may still have happened: unknown, not late.
        found = [Discrepancy("source_unavailable", "credit_line", f.scope_id, "collateral_sales", "unknown",
                             f"{f.scope_id}: liquidation sale not seen on chain and the ledger's sales "
                             "unreadable") for f in found]
    # A line whose band is unknown today may still be liquidating: what it found before stays open.
    unknown = wh.rows(UNKNOWN_SQL, p=pk)[0]["n"]
    meta = _record(wh, DETECTOR, pk, found, context.run.run_id, sales is not None and not unknown)
    meta["lines_liquidating"] = dg.MetadataValue.int(len(history))
    meta["not_executed"] = dg.MetadataValue.text(
        ", ".join(f"{f.scope_id} ({f.severity})" for f in found if f.type == "liquidation_not_executed") or "none")
    return dg.MaterializeResult(metadata=meta)
