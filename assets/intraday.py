"""Intraday, every 30 minutes: the bank position (the latest camt.052 report + notifications after it, else
the last statement + booked camt.054 since) against the ledger now, in the same four tiers as end of day,
and balance drift across consecutive windows."""

import dagster as dg
import polars as pl

from assets import source_kit as kit
from assets.balances import DETECTOR, UNKNOWN_CHECKS, critical_tier_check, ledger_balances, tier_counts
from assets.intraday_bank import bank_position, tier1_movements
from assets.intraday_drift import record_drift
from assets.partitions import intraday_window_partitions
from recon.balances import BalanceRules, check_balances
from recon.intraday import REPORT, STATEMENT
from recon.ledger.tables import ACCOUNTS, TRANSACTIONS
from recon.sources import SourceRead
from recon.sql import postgres_sql
from resources.bank_rules import BankRulesResource
from resources.drop_folder import StatementsResource
from resources.ledger import LedgerResource
from resources.warehouse_resource import WarehouseResource
from stores.statement_days import load_business_date


@dg.asset(group_name="intraday", partitions_def=intraday_window_partitions, kinds={"python", "postgres"},
          check_specs=[dg.AssetCheckSpec("no_critical_accounts_intraday", asset="intraday_balance_checks")],
          description="Ledger now vs the bank position at the end of the window: the latest camt.052 report "
                      "plus notifications after it, else the last camt.053 closing balance plus booked camt.054 "
                      "movements since. Same tiers and flags as end of day; balance_drift across windows.")
def intraday_balance_checks(context: dg.AssetExecutionContext, statements: StatementsResource,
                            ledger: LedgerResource, warehouse: WarehouseResource,
                            bank_rules: BankRulesResource) -> dg.MaterializeResult:
    window, key, run_id = context.partition_time_window, context.partition_key, context.run.run_id
    day, wh = window.start.date(), warehouse.get()
    # Today's notifications so far, and the ledger now; either unread leaves the window's rows unknown.
    bank_read = kit.read(context, wh, "drop_folder",
                         lambda: load_business_date(wh, kit.statements_source(statements), day, run_id), window.end)
    ledger_read = kit.read(context, wh, "ledger.accounts", lambda: ledger.source().read(ACCOUNTS, window.end),
                           window.end)
    reads: list[SourceRead[object]] = [bank_read, ledger_read]
    if any(r.value is None for r in reads):
        unknown = kit.mark_unknown(wh, "balance_checks", key, run_id, "tier", {"action": "record"})
        checks = wh.query(postgres_sql("select_balance_checks"), p=key)
        return dg.MaterializeResult(metadata=kit.metadata(reads, 0, unknown), check_results=[
            critical_tier_check("no_critical_accounts_intraday", checks if checks.height else UNKNOWN_CHECKS)])
    position, moves = bank_position(wh, day, window.end)
    bank = position.select("account", "currency", "balance")
    accounts = ledger_read.value
    assert accounts is not None  # read, or the asset returned above
    checks, found = check_balances(ledger_balances(accounts), bank, BalanceRules())

    rows = checks.with_columns(pl.lit(key).alias("partition_key"), pl.lit(day).alias("business_date"),
                               pl.lit(run_id).alias("run_id"), pl.lit("intraday").alias("run_kind"))
    wh.write("balance_checks", rows, ["partition_key", "account", "currency"], {"partition_key": key})
    # An account whose position is unknown proves nothing, so nothing is closed on its account's behalf.
    complete = not checks.filter(pl.col("tier") == "unknown").height
    recorded = wh.record_discrepancies(DETECTOR, key, found, run_id, complete=complete, cutoff=window.end)
    # Drift compares value date with value date: the ledger's postings valued after today are in transit.
    postings = kit.read(context, wh, "ledger.transactions",
                        lambda: ledger.source().read(TRANSACTIONS, window.end, after={"value_date": day}), window.end)
    figures, drift, drift_unknown = record_drift(wh, key, day, window.start, window.end, run_id, checks, position,
                                                 accounts, postings.value, bank_rules.drift())

    return dg.MaterializeResult(
        metadata={**kit.metadata([*reads, postings], accounts.height,
                                 checks.filter(pl.col("tier") == "unknown").height),
                  "accounts": dg.MetadataValue.int(checks.height),
                  "notification_movements": dg.MetadataValue.int(moves),
                  "basis_camt052_report": dg.MetadataValue.int(figures.filter(pl.col("basis") == REPORT).height),
                  "basis_statement_notifications": dg.MetadataValue.int(
                      figures.filter(pl.col("basis") == STATEMENT).height),
                  "balance_drift_found": dg.MetadataValue.int(drift.inserted + drift.updated),
                  "balance_drift_unknown": dg.MetadataValue.int(drift_unknown),
                  "tier1_notifications": dg.MetadataValue.int(tier1_movements(wh, day, window.end)),
                  **tier_counts(checks),
                  "flags_opened": dg.MetadataValue.int(len(recorded.flags_opened))},
        check_results=[critical_tier_check("no_critical_accounts_intraday", checks)],
    )
