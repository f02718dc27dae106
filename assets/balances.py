"""Ledger vs bank balance per account for a business day: tiers, actions and the flags they raise."""

from collections import Counter
from datetime import date

import dagster as dg
import polars as pl

from assets import source_kit as kit
from assets.ledger import ledger_as_of
from assets.partitions import CALENDAR, business_day_partitions
from recon.balances import BalanceRules, check_balances
from recon.discrepancies import AMOUNT_DTYPE
from recon.ledger.scales import with_sent_scale
from recon.ledger.tables import ACCOUNTS
from recon.money import show, show_ratio
from recon.sql import postgres_sql
from resources.ledger import LedgerResource
from resources.warehouse_resource import WarehouseResource

DETECTOR = "balance_tiers"

# End of day the bank side is the last booked closing balance of the day's CAMT.053 statements.
_CLOSING = postgres_sql("select_statement_closings")


def ledger_balances(accounts: pl.DataFrame, day: date | None = None) -> pl.DataFrame:
    """The latest row per account at or before its statement cut-off of `day` (the calendar's: an AED
    account closes in Dubai), named as the bank names it (IBAN)."""
    if day is not None and CALENDAR.accounts and accounts.height:
        named = pl.coalesce("iban", "account_id")
        names = accounts.select(named).to_series().unique()
        cutoffs = named.replace_strict({a: CALENDAR.statement_cutoff(day, a) for a in names},
                                       return_dtype=accounts["as_of"].dtype)
        accounts = accounts.filter(pl.col("as_of") <= cutoffs)
    sent = [pl.col("ledger_balance_scale")] if "ledger_balance_scale" in accounts.columns else []
    return (accounts.sort("as_of").group_by("account_id").last()
            .select(pl.coalesce("iban", "account_id").alias("account"), "currency",
                    pl.col("ledger_balance").cast(AMOUNT_DTYPE).alias("balance"), *sent))


@dg.asset(group_name="balances", partitions_def=business_day_partitions,
          deps=["bank_entries", "ledger_accounts"],
          check_specs=[dg.AssetCheckSpec("no_critical_accounts", asset="balance_checks",
                                         description="No account in the critical or unknown tier.")],
          description="Ledger vs bank balance per account: ok, minor, significant (payouts suspended), "
                      "critical (circuit breaker), unknown (an input missing, never OK).")
def balance_checks(context: dg.AssetExecutionContext, ledger: LedgerResource,
                   warehouse: WarehouseResource) -> dg.MaterializeResult:
    p = context.partition_key
    day, wh, cutoff = date.fromisoformat(p[:10]), warehouse.get(), ledger_as_of(p)
    got = kit.ledger_table(context, wh, ledger, ACCOUNTS, cutoff)
    bank_state = kit.run_states(wh, context.run.run_id, "drop_folder").get("drop_folder", "complete")
    if got.value is None or bank_state != "complete":
        # The partition keeps its rows; their tiers say unknown, and nothing is cleared or flagged.
        unknown = kit.mark_unknown(wh, "balance_checks", p, context.run.run_id, "tier", {"action": "record"})
        checks = wh.query(postgres_sql("select_balance_checks"), p=p)
        return dg.MaterializeResult(
            metadata={**kit.metadata([got], 0, unknown), "drop_folder": dg.MetadataValue.text(bank_state)},
            check_results=[critical_tier_check("no_critical_accounts", checks if checks.height else UNKNOWN_CHECKS)])
    bank = wh.query(_CLOSING, d=day)
    bank = bank.select("account", "currency", pl.col("balance").cast(AMOUNT_DTYPE)) if bank.height else \
        pl.DataFrame(schema={"account": pl.String(), "currency": pl.String(), "balance": AMOUNT_DTYPE})
    ledger_side = ledger_balances(got.value, day)
    checks, found = check_balances(ledger_side.drop("ledger_balance_scale", strict=False), bank, BalanceRules())
    # Stored as the ledger sent each balance (its decimals), not padded to the frame's scale.
    checks = with_sent_scale(checks, {"account": "account", "currency": "currency"}, ledger_side,
                             "ledger_balance_scale", "ledger_balance_scale")

    # Flags first: payout systems must see them even when the check below fails.
    rows = checks.with_columns(pl.lit(p).alias("partition_key"), pl.lit(day).alias("business_date"),
                               pl.lit(context.run.run_id).alias("run_id"))
    wh.write("balance_checks", rows, ["partition_key", "account", "currency"], {"partition_key": p})
    # An account without its day's camt.053 (a late statement) is unknown: that closes nothing.
    unknown = checks.filter(pl.col("tier") == "unknown").height
    recorded = wh.record_discrepancies(DETECTOR, p, found, context.run.run_id, complete=unknown == 0,
                                       cutoff=cutoff)

    return dg.MaterializeResult(
        metadata={**kit.metadata([got], got.value.height + bank.height, unknown),
                  "accounts": dg.MetadataValue.int(checks.height), **tier_counts(checks),
                  "discrepancies": dg.MetadataValue.int(found.height),
                  "flags_opened": dg.MetadataValue.int(len(recorded.flags_opened))},
        check_results=[critical_tier_check("no_critical_accounts", checks)],
    )


# With no rows to show, the check still fails: nothing read is not "no critical account".
UNKNOWN_CHECKS = pl.DataFrame([{"account": "(all)", "currency": None, "ledger_balance": None, "bank_balance": None,
                          "diff": None, "pct": None, "tier": "unknown"}])


def tier_counts(checks: pl.DataFrame) -> dict[str, dg.MetadataValue]:
    tiers = Counter(checks["tier"].to_list())
    return {f"tier_{t}": dg.MetadataValue.int(tiers.get(t, 0))
            for t in ("ok", "minor", "significant", "critical", "unknown")}


def critical_tier_check(name: str, checks: pl.DataFrame) -> dg.AssetCheckResult:
    """Fails while any account is critical or unknown, with those accounts as a table."""
    bad = checks.filter(pl.col("tier").is_in(["critical", "unknown"]))
    table = "| account | currency | ledger | bank | diff | pct | tier |\n|---|---|---|---|---|---|---|\n" + "\n".join(
        f"| {r['account']} | {r['currency']} | {show(r['ledger_balance'], r['currency'])} | "
        f"{show(r['bank_balance'], r['currency'])} | {show(r['diff'], r['currency'])} "
        f"| {show_ratio(r['pct'])} | {r['tier']} |" for r in bad.iter_rows(named=True))
    return dg.AssetCheckResult(
        check_name=name, passed=bad.height == 0, severity=dg.AssetCheckSeverity.ERROR,
        metadata={"offending_accounts": dg.MetadataValue.int(bad.height),
                  "accounts": dg.MetadataValue.md(table)})
