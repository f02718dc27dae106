"""Reserve floors and redemption activity: a chain's reserve below its floor, an unusual run on the
reserve, a redemption service refusing its users. Logic in recon/reserves/{floors,redemption_activity}.py."""

import dagster as dg

from assets import reserves_inputs as inputs
from assets.partitions import business_day_partitions
from assets.reserves import GROUP, _config, _day, _record, not_checked
from recon.discrepancies import Discrepancy
from recon.reserves import schemas, tables
from recon.reserves.floors import check_floors
from recon.reserves.redemption_activity import check_failures, check_rate
from resources.ledger import LedgerResource
from resources.reserves import ReservesResource
from resources.warehouse_resource import WarehouseResource


@dg.asset(partitions_def=business_day_partitions, group_name=GROUP, kinds={"python", "postgres"},
          deps=["evm_chain_reads", "stellar_chain_reads"])
def reserve_floor_checks(context: dg.AssetExecutionContext, warehouse: WarehouseResource, ledger: LedgerResource,
                         reserves: ReservesResource) -> dg.MaterializeResult:
    """Each redemption chain's reserve against its configured floors (absolute, share of circulating)."""
    wh, (_, cutoff) = warehouse.get(), _day(context)
    got = _config(context, wh, reserves)
    if got.value is None:
        return not_checked(context, wh, got, None, "")
    config, floors = got.value, reserves.activity().floors
    errors: dict[str, str] = {}
    reserve_ledger = inputs.ledger_read(context, wh, ledger, tables.RESERVE_LEDGER, cutoff, errors)
    if reserve_ledger is None:
        # The ledger read recorded its own source_unavailable finding; nothing is judged or cleared here.
        return dg.MaterializeResult(metadata={"chains_below_floor": dg.MetadataValue.text("unknown"),
                                              "errors": dg.MetadataValue.json(errors)})
    supply = inputs.warehouse_frame(wh, inputs.SUPPLY_SQL, schemas.CHAIN_SUPPLY, "chain_supply",
                                    p=context.partition_key)
    result = check_floors(config, floors, reserve_ledger, supply)
    unknown = {f"reserve_floor:{chain}": why for chain, why in result.unknown.items()}
    found = result.findings + [
        Discrepancy(type="source_unavailable", scope_type="source", scope_id="reserve_floor", natural_key=what,
                    severity="unknown", summary=f"{what} unreadable: {why}"[:500]) for what, why in unknown.items()]
    meta = _record(wh, "reserve_floors", context.partition_key, found, context.run.run_id, not unknown)
    meta["chains_checked"] = dg.MetadataValue.int(len(result.rows))
    meta["chains_below_floor"] = dg.MetadataValue.text(", ".join(f.scope_id for f in result.findings) or "none")
    meta["floors_not_configured"] = dg.MetadataValue.text(
        ", ".join(c.chain for c in config.chains if c.chain not in floors) or "none")
    return dg.MaterializeResult(metadata=meta)


@dg.asset(partitions_def=business_day_partitions, group_name=GROUP, kinds={"python", "postgres"})
def redemption_activity(context: dg.AssetExecutionContext, warehouse: WarehouseResource, ledger: LedgerResource,
                        reserves: ReservesResource) -> dg.MaterializeResult:
    """Redemptions in the window to the cut-off against their trailing baseline (per chain and user), and
    the day's share of refused or failed redemptions."""
    wh, (_, cutoff) = warehouse.get(), _day(context)
    got = _config(context, wh, reserves)
    if got.value is None:
        return not_checked(context, wh, got, None, "")
    config, monitoring = got.value, reserves.activity().monitoring
    # A finding here is about its own day: only a re-run of that day closes it.
    detector = f"redemption_activity:{context.partition_key}"
    errors: dict[str, str] = {}
    log = inputs.ledger_read(context, wh, ledger, tables.REDEMPTIONS, cutoff, errors)
    if log is None:
        return dg.MaterializeResult(metadata={"status": dg.MetadataValue.text("unknown"),
                                              "errors": dg.MetadataValue.json(errors)})
    rate = check_rate(config, monitoring, log, cutoff, context.partition_key)
    failures = check_failures(config, monitoring, log, cutoff, context.partition_key)
    meta = _record(wh, detector, context.partition_key, rate + failures, context.run.run_id, True)
    meta["unusual_windows"] = dg.MetadataValue.int(len(rate))
    meta["failing_chains"] = dg.MetadataValue.text(", ".join(f.scope_id for f in failures) or "none")
    return dg.MaterializeResult(metadata=meta)
