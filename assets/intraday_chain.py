"""Intraday, every 30 minutes: every chain's supply and tracked balances at the last final block at or
before the window's end, and the tokens' backing against the bank position at that moment."""

from collections.abc import Callable
from datetime import UTC

import dagster as dg
import polars as pl

from assets import freshness
from assets import reserves_inputs as inputs
from assets import source_kit as kit
from assets.chain import chain_metadata, read_chain, read_metadata, reads_complete_check, unread
from assets.chain_reads import ChainRead, read_evm_chain, read_stellar
from assets.intraday_bank import bank_position
from assets.partitions import CALENDAR, intraday_window_partitions
from assets.reserves import backing_outcome, not_checked
from recon.reserves import schemas, tables
from resources.evm import EvmResource
from resources.ledger import LedgerResource
from resources.reserves import ReservesResource
from resources.stellar import StellarResource
from resources.warehouse_resource import WarehouseResource


@dg.asset(
    partitions_def=intraday_window_partitions, group_name="intraday", kinds={"python", "postgres"},
    check_specs=[dg.AssetCheckSpec("reads_complete", asset="intraday_chain_reads")],
)
def intraday_chain_reads(context: dg.AssetExecutionContext, warehouse: WarehouseResource, evm: EvmResource,
                         stellar: StellarResource) -> dg.MaterializeResult:
    """ERC-20 and Stellar supply and tracked balances at the window's end: the last block at or before
    it with the configured confirmations (a closed Stellar ledger is final). No transfers: the daily
    run reads those."""
    wh, key = warehouse.get(), context.partition_key
    end = context.partition_time_window.end.astimezone(UTC)
    evm_names = kit.read(context, wh, "chain_config", evm.chain_names, end)
    has_stellar = kit.read(context, wh, "chain_config", stellar.enabled, end)
    if evm_names.value is None or has_stellar.value is None:
        return unread(context, wh, evm_names if evm_names.value is None else has_stellar)
    names = list(evm_names.value)
    def evm_read(name: str) -> Callable[[], ChainRead]:
        return lambda: read_evm_chain(wh, key, evm.client(name), cutoff=end)

    results = [read_chain(context, wh, n, evm_read(n), "evm.") for n in names]
    if has_stellar.value:
        results.append(read_chain(context, wh, "stellar", lambda: read_stellar(wh, key, stellar.client(), cutoff=end),
                                  ""))
        names = [*names, "stellar"]
    return dg.MaterializeResult(metadata={**chain_metadata(results), **read_metadata(results)},
                                check_results=[reads_complete_check(wh, key, names)])


@dg.asset(
    partitions_def=intraday_window_partitions, group_name="intraday", kinds={"python", "postgres"},
    deps=["intraday_chain_reads", "intraday_balance_checks"],
    check_specs=[dg.AssetCheckSpec("fully_backed", asset="intraday_backing_checks"),
                 dg.AssetCheckSpec("supply_matches_reserve_ledger", asset="intraday_backing_checks"),
                 freshness.spec("intraday_backing_checks")],
)
def intraday_backing_checks(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                            ledger: LedgerResource, reserves: ReservesResource) -> dg.MaterializeResult:
    """Reserves / circulating per token at the window's end: the reserve accounts' last statement plus
    the booked camt.054 movements since, the reserve ledger now, the chains as read above. Same rules,
    findings and flags as end of day."""
    wh, key = warehouse.get(), context.partition_key
    window = context.partition_time_window
    day, end = window.start.date(), window.end.astimezone(UTC)
    got = kit.read(context, wh, "reserves_config", reserves.config, end)
    if got.value is None:
        fresh = freshness.sources_fresh_check(wh, key, "intraday_backing_checks", context.run.run_id)
        result = not_checked(context, wh, got, "backing_checks", "tier",
                             ("fully_backed", "supply_matches_reserve_ledger"))
        return dg.MaterializeResult(metadata=result.metadata, check_results=[*(result.check_results or []), fresh])
    config = got.value
    errors: dict[str, str] = {}
    reserve_ledger = inputs.ledger_read(context, wh, ledger, tables.RESERVE_LEDGER, end, errors)
    supply = inputs.warehouse_frame(wh, inputs.SUPPLY_SQL, schemas.CHAIN_SUPPLY, "chain_supply", p=key)
    accounts = {a for t in config.tokens for a in t.reserve_accounts}
    position, _ = bank_position(wh, day, end)
    # Built on the previous business day's statement, the position is today's; on an older one it is
    # as old as that statement, and the age limit applies.
    current = pl.col("closed_on") >= CALENDAR.previous_business_day(day)
    bank = schemas.conform(position.filter(pl.col("account").is_in(sorted(accounts))).select(
        "account", "currency", pl.col("balance").alias("closing_balance"),
        pl.when(current).then(pl.lit(day)).otherwise(pl.col("closed_on")).alias("business_date")),
        schemas.BANK_BALANCES, "bank position")
    outcome = backing_outcome(wh, config, key, context.run.run_id, day, supply, bank, reserve_ledger, errors)
    # Last of the window's assets: the balance tiers and the chain reads have recorded what they missed.
    fresh = freshness.sources_fresh_check(wh, key, "intraday_backing_checks", context.run.run_id)
    return dg.MaterializeResult(metadata=outcome.metadata, check_results=[*(outcome.check_results or []), fresh])
