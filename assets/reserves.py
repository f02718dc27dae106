"""Reserve assets: 1:1 backing, the reserve ledger and its redemption log, utilisation, custodial balances.

Each reads its inputs at the business date's cut-off, calls recon.reserves, writes its partition and
records what it found; a source it could not read leaves its verdict "unknown" and clears nothing.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import dagster as dg
import polars as pl

from assets import reserves_inputs as inputs
from assets import source_kit as kit
from assets.partitions import CALENDAR, business_day_partitions
from assets.reserves_audit import run_ledger_audit
from recon import sources as S
from recon.discrepancies import Discrepancy, discrepancy_frame
from recon.money import show
from recon.reserves import schemas, tables
from recon.reserves.backing import check_backing
from recon.reserves.config import ReservesConfig
from recon.reserves.custodial import custodial_findings, custodial_plan
from recon.reserves.utilization import check_utilization
from resources.evm import EvmResource
from resources.ledger import LedgerResource
from resources.reserves import ReservesResource
from resources.warehouse_resource import WarehouseResource
from stores.warehouse import Warehouse

GROUP = "reserves"


def _record(wh: Warehouse, detector: str, partition_key: str, found: list[Discrepancy], run_id: str,
            complete: bool) -> dict[str, dg.MetadataValue]:
    result = wh.record_discrepancies(detector, partition_key, discrepancy_frame(found), run_id, complete)
    by_severity = {s: sum(1 for f in found if f.severity == s) for s in ("critical", "significant", "minor",
                                                                        "unknown")}
    return {"discrepancies": dg.MetadataValue.int(len(found)),
            **{f"discrepancies_{s}": dg.MetadataValue.int(n) for s, n in by_severity.items()},
            "cleared": dg.MetadataValue.int(result.cleared),
            "flags_opened": dg.MetadataValue.int(len(result.flags_opened)),
            "complete": dg.MetadataValue.bool(complete)}


def _cell(value: object) -> str:
    if value is None:
        return ""
    return show(value) if isinstance(value, Decimal) else str(value)


def _md(frame: pl.DataFrame) -> dg.MetadataValue:
    head = "| " + " | ".join(frame.columns) + " |\n|" + "---|" * len(frame.columns) + "\n"
    body = "\n".join("| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.rows())
    return dg.MetadataValue.md(head + body)


def _config(context: dg.AssetExecutionContext, wh: Warehouse, reserves: ReservesResource
            ) -> S.SourceRead[ReservesConfig]:
    return kit.read(context, wh, "reserves_config", reserves.config)


def not_checked(context: dg.AssetExecutionContext, wh: Warehouse, got: S.SourceRead[object],
                 table: str | None, column: str, checks: tuple[str, ...] = ()) -> dg.MaterializeResult:
    """An input could not be read: the partition keeps its rows with unknown verdicts, nothing is cleared,
    nothing is opened from defaults, and the asset's checks fail (unknown is never a pass)."""
    unknown = kit.mark_unknown(wh, table, context.partition_key, context.run.run_id, column) if table else 0
    meta = {**kit.metadata([got], 0, unknown), "overall": dg.MetadataValue.text("unknown")}
    return dg.MaterializeResult(metadata=meta, check_results=[
        dg.AssetCheckResult(check_name=c, passed=False, severity=dg.AssetCheckSeverity.ERROR,
                            metadata={"source_state": dg.MetadataValue.text(got.state),
                                      "reason": dg.MetadataValue.text(got.reason or "")}) for c in checks])


def _day(context: dg.AssetExecutionContext) -> tuple[date, datetime]:
    day = date.fromisoformat(context.partition_key)
    return day, CALENDAR.chain_pin(day).astimezone(UTC)


@dg.asset(
    partitions_def=business_day_partitions, group_name=GROUP, kinds={"python", "postgres"},
    deps=["evm_chain_reads", "stellar_chain_reads", "bank_entries"],
    check_specs=[dg.AssetCheckSpec("fully_backed", asset="backing_checks"),
                 dg.AssetCheckSpec("supply_matches_reserve_ledger", asset="backing_checks")],
)
def backing_checks(context: dg.AssetExecutionContext, warehouse: WarehouseResource, ledger: LedgerResource,
                   reserves: ReservesResource) -> dg.MaterializeResult:
    """Per token reserves / circulating (bank + reserve ledger vs every chain), and per chain the reserve
    ledger against that chain's supply; written to recon.backing_checks."""
    wh, (day, cutoff) = warehouse.get(), _day(context)
    got = _config(context, wh, reserves)
    upstream = kit.run_states(wh, context.run.run_id, "drop_folder") | \
        kit.run_states(wh, context.run.run_id, "chain_config")
    unread = sorted(n for n, state in upstream.items() if state != "complete")
    if got.value is None or unread:
        why = got if got.value is None else S.unavailable(unread[0], "not read in this run: " + ", ".join(unread))
        return not_checked(context, wh, why, "backing_checks", "tier",
                            ("fully_backed", "supply_matches_reserve_ledger"))
    config = got.value
    errors: dict[str, str] = {}
    reserve_ledger = inputs.ledger_read(context, wh, ledger, tables.RESERVE_LEDGER, cutoff, errors)
    supply = inputs.warehouse_frame(wh, inputs.SUPPLY_SQL, schemas.CHAIN_SUPPLY, "chain_supply",
                                    p=context.partition_key)
    accounts = sorted({a for t in config.tokens for a in t.reserve_accounts})
    bank = inputs.warehouse_frame(wh, inputs.BANK_SQL, schemas.BANK_BALANCES, "bank_statements",
                                  accounts=accounts, d=day)
    return backing_outcome(wh, config, context.partition_key, context.run.run_id, day,
                           supply, bank, reserve_ledger, errors)


def backing_outcome(wh: Warehouse, config: ReservesConfig, partition_key: str, run_id: str, day: date,
                    supply: pl.DataFrame, bank: pl.DataFrame, reserve_ledger: pl.DataFrame | None,
                    errors: dict[str, str]) -> dg.MaterializeResult:
    """Check backing on these inputs, write the partition's rows and findings, and say what was found."""
    result = check_backing(config, supply, bank, reserve_ledger, day)
    rows = result.frame().with_columns(pl.lit(partition_key).alias("partition_key"),
                                       pl.lit(run_id).alias("run_id"))
    wh.write("backing_checks", rows, ["partition_key", "token", "scope"], {"partition_key": partition_key})
    found = result.findings
    meta = _record(wh, "reserve_backing", partition_key, found, run_id, result.complete and not errors)
    overall = rows.filter(pl.col("scope") == "all")
    ratios = [r for r in overall["ratio"].to_list() if r is not None]
    meta["backing_ratio_min"] = dg.MetadataValue.text(str(min(ratios)) if ratios else "unknown")  # exact
    meta["backing"] = _md(rows.select("token", "scope", "circulating", "reserves", "ratio", "tier"))
    return dg.MaterializeResult(metadata=meta, check_results=[
        _tier_check("fully_backed", overall), _tier_check("supply_matches_reserve_ledger",
                                                          rows.filter(pl.col("scope") != "all"))])


def _tier_check(name: str, rows: pl.DataFrame) -> dg.AssetCheckResult:
    bad = rows.filter(pl.col("tier") != "ok")
    return dg.AssetCheckResult(
        check_name=name, passed=bad.is_empty(), severity=dg.AssetCheckSeverity.ERROR,
        metadata={"failing": dg.MetadataValue.int(bad.height),
                  "rows": _md(bad.select("token", "scope", "ratio", "tier")) if bad.height
                  else dg.MetadataValue.text("none")})


@dg.asset(partitions_def=business_day_partitions, group_name=GROUP, kinds={"python", "postgres"},
          deps=["evm_chain_reads"],
          check_specs=[dg.AssetCheckSpec("reserve_books_consistent", asset="reserve_ledger_audit")])
def reserve_ledger_audit(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                         ledger: LedgerResource, evm: EvmResource,
                         reserves: ReservesResource) -> dg.MaterializeResult:
    """The per-chain reserve ledger against its redemption log, and every real redemption on chain."""
    wh, (_, cutoff) = warehouse.get(), _day(context)
    got = _config(context, wh, reserves)
    if got.value is not None and got.value.redemption_chains is None:
        got = S.not_configured("reserves_config", "reserves.redemption_chains is not configured: the books' "
                               "starting reserves are unknown")
    if got.value is None:
        return not_checked(context, wh, got, None, "", ("reserve_books_consistent",))
    summary, found, complete = run_ledger_audit(context, wh, ledger, evm, got.value, cutoff)
    meta = _record(wh, "reserve_ledger_audit", context.partition_key, found, context.run.run_id, complete)
    meta.update(summary)
    bad = [f for f in found if f.type in ("reserve_ledger_inconsistent", "redemption_unverified")]
    check = dg.AssetCheckResult(
        check_name="reserve_books_consistent", passed=not bad and complete, severity=dg.AssetCheckSeverity.ERROR,
        metadata={"findings": dg.MetadataValue.int(len(bad)),
                  "keys": dg.MetadataValue.text(", ".join(f.key for f in bad[:20]) or "none")})
    return dg.MaterializeResult(metadata=meta, check_results=[check])


@dg.asset(partitions_def=business_day_partitions, group_name=GROUP, kinds={"python", "postgres"})
def reserve_utilization(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                        ledger: LedgerResource, reserves: ReservesResource) -> dg.MaterializeResult:
    """Reserve accounts replayed from the operations log: locked / total and its level, stale locks."""
    wh, (_, cutoff) = warehouse.get(), _day(context)
    got = _config(context, wh, reserves)
    if got.value is None:
        return not_checked(context, wh, got, "reserve_status", "level")
    config = got.value
    errors: dict[str, str] = {}
    accounts = inputs.ledger_read(context, wh, ledger, tables.RESERVE_ACCOUNTS, cutoff, errors)
    ops = inputs.ledger_read(context, wh, ledger, tables.RESERVE_OPERATIONS, cutoff, errors)
    if accounts is None or ops is None:
        return not_checked(context, wh, S.unavailable("ledger", "; ".join(errors.values())), "reserve_status",
                            "level")
    result = check_utilization(config, accounts, ops, cutoff)
    rows = result.frame().with_columns(pl.lit(context.partition_key).alias("partition_key"),
                                       pl.lit(context.run.run_id).alias("run_id"))
    wh.write("reserve_status", rows, ["partition_key", "reserve_id"], {"partition_key": context.partition_key})
    meta = _record(wh, "reserve_utilization", context.partition_key, result.findings, context.run.run_id, True)
    meta.update({
        "overall": dg.MetadataValue.text(result.overall),
        "highest_utilization": dg.MetadataValue.text(str(result.highest)),  # exact, as a ratio is kept
        "warning": dg.MetadataValue.text(", ".join(result.at_level("warning")) or "none"),
        "critical": dg.MetadataValue.text(", ".join(result.at_level("critical", "emergency")) or "none"),
        "stale_locks": dg.MetadataValue.int(int(rows["stale_locks"].sum() or 0)),
        "analytics": _md(result.analytics),
    })
    return dg.MaterializeResult(metadata=meta)


@dg.asset(partitions_def=business_day_partitions, group_name=GROUP, kinds={"python", "postgres"},
          deps=["evm_chain_reads", "stellar_chain_reads"])
def custodial_balance_checks(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                             ledger: LedgerResource, reserves: ReservesResource) -> dg.MaterializeResult:
    """Custodial users' off-chain balances against the chain's, per chain (the chain is the truth)."""
    wh, (_, cutoff) = warehouse.get(), _day(context)
    got = _config(context, wh, reserves)
    if got.value is None:
        return not_checked(context, wh, got, None, "")
    config = got.value
    errors: dict[str, str] = {}
    off = inputs.ledger_read(context, wh, ledger, tables.CUSTODIAL_BALANCES, cutoff, errors)
    on = inputs.warehouse_frame(wh, inputs.BALANCES_SQL, schemas.CHAIN_BALANCES, "chain_balances",
                                p=context.partition_key)
    reads = wh.query(inputs.READS_SQL, p=context.partition_key)
    failed = set(reads.filter(pl.col("status") != "complete")["chain"]) if reads.height else set()
    chains = sorted(set(on["chain"]) | (set(off["chain"]) if off is not None else set()) | failed)
    meta: dict[str, dg.MetadataValue] = {}
    for chain in chains:
        detector = f"custodial_balances:{chain}"
        if off is None or chain in failed:
            # Unknown: the source's own finding names what failed (source_kit); nothing here is cleared.
            meta[f"{chain}_mismatches"] = dg.MetadataValue.text("unknown")
            continue
        plan = custodial_plan(config, off.filter(pl.col("chain") == chain), on.filter(pl.col("chain") == chain))
        found = custodial_findings(plan)
        _record(wh, detector, context.partition_key, found, context.run.run_id, True)
        meta[f"{chain}_users"] = dg.MetadataValue.int(plan.height)
        meta[f"{chain}_mismatches"] = dg.MetadataValue.int(len(found))
    return dg.MaterializeResult(metadata=meta)
