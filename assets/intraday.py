"""Intraday, every 30 minutes: the bank position (last statement + booked CAMT.054 since) against the
ledger now, in the same four tiers as end of day."""

import dagster as dg
import polars as pl

from assets.balances import DETECTOR, critical_tier_check, ledger_balances, tier_counts
from pipelines.partitions import intraday_window_partitions
from recon.balances import BalanceRules, check_balances, intraday_bank_balances
from recon.discrepancies import AMOUNT_DTYPE
from recon.ledger.tables import ACCOUNTS
from resources.ledger import LedgerResource
from resources.statements import StatementsResource, load_business_date
from resources.warehouse import WarehouseResource

_LAST_CLOSING = """
SELECT DISTINCT ON (account, currency) account, currency, closing_balance AS balance, business_date AS closed_on
FROM recon.bank_statements
WHERE message_type LIKE 'camt.053%' AND business_date < :d AND closing_balance IS NOT NULL
ORDER BY account, currency, business_date DESC, coalesce(statement_created_at, created_at) DESC NULLS LAST
"""

# One row per booked notification entry (a batch's TxDtls rows share their entry's amount).
_BOOKED_SINCE = """
SELECT DISTINCT ON (e.statement_key, e.entry_seq) e.account, e.entry_currency AS currency,
       e.entry_direction AS direction, e.entry_amount AS amount, e.business_date
FROM recon.bank_entries e JOIN recon.bank_statements s USING (statement_key)
WHERE e.message_type LIKE 'camt.054%' AND e.status = 'BOOK' AND e.business_date <= :d
  AND coalesce(s.statement_created_at, s.created_at) < :end
"""

_BALANCE = {"account": pl.String(), "currency": pl.String(), "balance": AMOUNT_DTYPE}
_MOVE = {"account": pl.String(), "currency": pl.String(), "direction": pl.String(), "amount": AMOUNT_DTYPE}


@dg.asset(group_name="intraday", partitions_def=intraday_window_partitions, kinds={"python", "postgres"},
          check_specs=[dg.AssetCheckSpec("no_critical_accounts_intraday", asset="intraday_balance_checks")],
          description="Ledger now vs the bank position at the end of the window: the last camt.053 closing "
                      "balance plus booked camt.054 movements since. Same tiers and flags as end of day.")
def intraday_balance_checks(context: dg.AssetExecutionContext, statements: StatementsResource,
                            ledger: LedgerResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    window, key, run_id = context.partition_time_window, context.partition_key, context.run.run_id
    day, wh = window.start.date(), warehouse.get()
    load_business_date(wh, statements.source(), day, run_id)  # today's notifications so far
    closing = wh.query(_LAST_CLOSING, d=day)
    closing = closing.select(pl.col("account"), pl.col("currency"), pl.col("balance").cast(AMOUNT_DTYPE),
                             pl.col("closed_on")) if closing.height else pl.DataFrame(
        schema={**_BALANCE, "closed_on": pl.Date()})
    moves = wh.query(_BOOKED_SINCE, d=day, end=window.end)
    moves = (moves.join(closing.select("account", "currency", "closed_on"), on=["account", "currency"])
             .filter(pl.col("business_date") > pl.col("closed_on"))
             .select(list(_MOVE)).cast({"amount": AMOUNT_DTYPE})) if moves.height else pl.DataFrame(schema=_MOVE)
    bank = intraday_bank_balances(closing.select(list(_BALANCE)), moves)
    accounts = ledger.source().read(ACCOUNTS, window.end)
    checks, found = check_balances(ledger_balances(accounts), bank, BalanceRules())

    rows = checks.with_columns(pl.lit(key).alias("partition_key"), pl.lit(day).alias("business_date"),
                               pl.lit(run_id).alias("run_id"), pl.lit("intraday").alias("run_kind"))
    wh.write("balance_checks", rows, ["partition_key", "account", "currency"], {"partition_key": key})
    # An account whose position is unknown proves nothing, so nothing is closed on its account's behalf.
    complete = not checks.filter(pl.col("tier") == "unknown").height
    recorded = wh.record_discrepancies(DETECTOR, key, found, run_id, complete=complete)

    return dg.MaterializeResult(
        metadata={"accounts": dg.MetadataValue.int(checks.height),
                  "notification_movements": dg.MetadataValue.int(moves.height), **tier_counts(checks),
                  "flags_opened": dg.MetadataValue.int(len(recorded.flags_opened))},
        check_results=[critical_tier_check("no_critical_accounts_intraday", checks)],
    )
