"""Collateralised credit: each line's volatility-adjusted LTV band, and fiat repayments matched.

Both read at the business date's cut-off, call recon.credit, write their partition and record what they
found. An input that cannot be read leaves the lines depending on it "unknown" and clears nothing.
"""

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal

import dagster as dg
import polars as pl

from assets import credit_inputs as read
from assets import source_kit as kit
from assets.partitions import CALENDAR, business_day_partitions
from clients.soroban_client import ContractBalances
from recon import sources as S
from recon.credit.book import Book, evaluate_book
from recon.credit.frames import ltv_discrepancies, positions_frame
from recon.credit.inputs import contract_holdings
from recon.credit.limits import limit_findings
from recon.credit.market import PRICE_SCHEMA
from recon.credit.repayments import match_repayments
from recon.credit.tables import COLLATERAL_ESCROW, CREDIT_LINES, REPAYMENTS
from recon.discrepancies import Discrepancy, discrepancy_frame
from recon.money import exact, scale_of, show
from resources.credit import CreditResource
from resources.ledger import LedgerResource
from resources.prices import PriceResource
from resources.stellar import StellarResource
from resources.warehouse_resource import WarehouseResource
from stores.warehouse import Warehouse

GROUP = "credit"
LTV_DETECTOR = "credit_ltv"
REPAYMENT_DETECTOR = "credit_repayments"
LIMIT_DETECTOR = "credit_limits"


def _day(context: dg.AssetExecutionContext) -> tuple[date, datetime]:
    day = date.fromisoformat(context.partition_key)
    return day, CALENDAR.chain_pin(day).astimezone(UTC)


def _not_valued(context: dg.AssetExecutionContext, wh: Warehouse, got: S.SourceRead[object]
                ) -> dg.MaterializeResult:
    """The credit rules could not be read: the lines keep their rows with an unknown band, nothing is cleared."""
    unknown = kit.mark_unknown(wh, "ltv_positions", context.partition_key, context.run.run_id, "band")
    failed = {"source_state": dg.MetadataValue.text(got.state), "reason": dg.MetadataValue.text(got.reason or "")}
    return dg.MaterializeResult(metadata=kit.metadata([got], 0, unknown), check_results=[
        dg.AssetCheckResult(check_name="every_line_valued", passed=False, metadata=failed),
        dg.AssetCheckResult(check_name="no_line_in_liquidation", passed=False, severity=dg.AssetCheckSeverity.WARN,
                            metadata=failed)])


def _record(wh: Warehouse, detector: str, pk: str, found: list[Discrepancy], run_id: str,
            complete: bool) -> dict[str, dg.MetadataValue]:
    result = wh.record_discrepancies(detector, pk, discrepancy_frame(found), run_id, complete)
    return {"discrepancies": dg.MetadataValue.int(len(found)),
            "discrepancies_critical": dg.MetadataValue.int(sum(d.severity == "critical" for d in found)),
            "cleared": dg.MetadataValue.int(result.cleared),
            "flags_opened": dg.MetadataValue.int(len(result.flags_opened)),
            "complete": dg.MetadataValue.bool(complete)}


def _exposure(book: Book) -> dict[str, Decimal]:
    total: dict[str, Decimal] = defaultdict(Decimal)
    for p in book.positions:
        total[p.currency] += p.debt
    return dict(sorted(total.items()))


@dg.asset(
    partitions_def=business_day_partitions, group_name=GROUP, kinds={"python", "postgres"},
    check_specs=[dg.AssetCheckSpec("every_line_valued", asset="ltv_positions",
                                   description="No line's band is unknown (every input was read)."),
                 dg.AssetCheckSpec("no_line_in_liquidation", asset="ltv_positions",
                                   description="No line in partial or full liquidation.")],
)
def ltv_positions(context: dg.AssetExecutionContext, warehouse: WarehouseResource, ledger: LedgerResource,
                  stellar: StellarResource, prices: PriceResource, credit: CreditResource
                  ) -> dg.MaterializeResult:
    """Per credit line: debt, collateral value (with and without the yield cushion), LTV, the
    volatility-adjusted thresholds, its band and the collateral to sell; written to recon.ltv_positions."""
    wh, (_, cutoff), pk = warehouse.get(), _day(context), context.partition_key
    got = kit.read(context, wh, "credit_config", credit.credit_rules, cutoff)
    if got.value is None:
        return _not_valued(context, wh, got)
    rules = got.value
    errors: dict[str, str] = {}
    lines = read.ledger_table(context, wh, ledger, CREDIT_LINES, cutoff, errors)
    escrow = read.ledger_table(context, wh, ledger, COLLATERAL_ESCROW, cutoff, errors)
    book = Book([], [])
    held = None
    if lines is not None:
        accounts = sorted({a.strip() for v in lines["collateral_accounts"].drop_nulls() for a in v.split(",")
                           if a.strip()})
        held = read.collateral(stellar, accounts, cutoff)
        in_contracts = sorted({p for ps in contract_holdings(escrow).values() for p in ps}) \
            if escrow is not None else []
        contracts = ContractBalances()
        if in_contracts:
            contracts, soroban_read = read.contract_collateral(stellar, in_contracts, cutoff, held.pinned)
            kit.record(context, wh, [soroban_read])
            errors.update({f"soroban {c}": why for c, why in contracts.failed.items()})
        price_read, price_error = read.prices(context, wh, prices, cutoff, rules)
        book = evaluate_book(
            lines, held.balances, escrow if escrow is not None else COLLATERAL_ESCROW.empty(),
            price_read.prices if price_read else pl.DataFrame(schema=PRICE_SCHEMA),
            price_read.volatility if price_read else {},
            cutoff, rules, held.failed, price_error, credit.pledged_assets(),
            collateral_error=errors.get("ledger collateral_escrow"),
            contract_balances=contracts.balances, failed_contracts=contracts.failed)
        if price_error:
            errors["prices"] = price_error
        if held.failed:
            errors.update({f"stellar {a}": why for a, why in held.failed.items()})
            kit.record(context, wh, [S.partial("stellar.collateral", None, cutoff.isoformat(), sorted(held.failed),
                                               "; ".join(sorted(set(held.failed.values())))[:300])])
        elif accounts:
            # Read whole: recorded, so an earlier outage's source_unavailable finding is closed.
            kit.record(context, wh, [S.complete("stellar.collateral", None, cutoff.isoformat())])
    rows = positions_frame(book.lines, book.positions).with_columns(
        pl.lit(pk).alias("partition_key"), pl.lit(context.run.run_id).alias("run_id"),
        pl.lit(cutoff).alias("cutoff"),
        pl.lit(held.pinned.block_number if held and held.pinned else None, pl.Int64()).alias("stellar_ledger"))
    # With the credit lines unreadable the partition keeps what it had: nothing replaces it with nothing.
    stats = wh.write("ltv_positions", rows, ["partition_key", "credit_line_id"], {"partition_key": pk}) \
        if lines is not None else None
    if lines is None:
        kit.mark_unknown(wh, "ltv_positions", pk, context.run.run_id, "band")
    bands = book.by_band()
    complete = lines is not None and bands.get("unknown", 0) == 0
    found = ltv_discrepancies(book.positions)
    meta = _record(wh, LTV_DETECTOR, pk, found, context.run.run_id, complete)
    over_limit = limit_findings(book.lines)
    if lines is not None:
        _record(wh, LIMIT_DETECTOR, pk, over_limit, context.run.run_id, True)
    exposure = _exposure(book)
    liquidating = bands.get("partial_liquidation", 0) + bands.get("full_liquidation", 0)
    return dg.MaterializeResult(
        metadata={
            "lines": dg.MetadataValue.int(len(book.positions)),
            **{f"lines_{b}": dg.MetadataValue.int(bands.get(b, 0)) for b in
               ("healthy", "watch", "margin_call", "partial_liquidation", "full_liquidation", "unknown")},
            **{f"exposure_{c}": dg.MetadataValue.text(exact(v, scale_of(c))) for c, v in exposure.items()},
            "exposure": dg.MetadataValue.md("| currency | debt |\n|---|---|\n" + "\n".join(
                f"| {c} | {show(v, c)} |" for c, v in exposure.items())),
            "lines_over_limit": dg.MetadataValue.int(len(over_limit)),
            "stellar_ledger": dg.MetadataValue.int(held.pinned.block_number if held and held.pinned else -1),
            "rows_changed": dg.MetadataValue.int(stats.changed if stats else 0), **meta},
        check_results=[
            dg.AssetCheckResult(check_name="every_line_valued", passed=complete,
                                metadata={"unknown": dg.MetadataValue.int(bands.get("unknown", 0)),
                                          "errors": dg.MetadataValue.json(errors)}),
            dg.AssetCheckResult(check_name="no_line_in_liquidation", passed=liquidating == 0,
                                severity=dg.AssetCheckSeverity.WARN,
                                metadata={"liquidating": dg.MetadataValue.int(liquidating)}),
        ],
    )


# A repayment may be matched by a bank credit of any earlier day: a day waits for the day before to be
# matched (which waited for that day's bank entries), so a backfill newest first or two days at once sees them.
PREVIOUS_REPAYMENTS = dg.AssetDep("credit_repayments",
                                  partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-1, end_offset=-1))


@dg.asset(partitions_def=business_day_partitions, group_name=GROUP, kinds={"duckdb", "postgres"},
          deps=["bank_entries", PREVIOUS_REPAYMENTS])
def credit_repayments(context: dg.AssetExecutionContext, warehouse: WarehouseResource, ledger: LedgerResource,
                      credit: CreditResource) -> dg.MaterializeResult:
    """Bank credits carrying a line's creditor reference or a repayment's EndToEndId, matched to the
    ledger's repayments; written to recon.repayment_matches, the rest recorded as unmatched_repayment."""
    wh, (day, cutoff), pk = warehouse.get(), _day(context), context.partition_key
    got = kit.read(context, wh, "credit_config", credit.credit_rules, cutoff)
    bank_state = kit.run_states(wh, context.run.run_id, "drop_folder").get("drop_folder", "complete")
    errors: dict[str, str] = {} if bank_state == "complete" else {"drop_folder": bank_state}
    lines = read.ledger_table(context, wh, ledger, CREDIT_LINES, cutoff, errors)
    repayments = read.ledger_table(context, wh, ledger, REPAYMENTS, cutoff, errors)
    if got.value is None or errors:
        # The partition keeps its matches and findings: nothing is matched against what was not read.
        return dg.MaterializeResult(metadata={**kit.metadata([got], 0, 1), "complete": dg.MetadataValue.bool(False),
                                              "errors": dg.MetadataValue.json(errors)})
    rules = got.value
    matched, found = pl.DataFrame(), []
    if lines is not None and repayments is not None:
        result = match_repayments(read.bank_credits(wh, day), repayments, lines, day, rules.repayment_window_days)
        matched = result.matches.select(
            pl.col("entry_key").alias("bank_entry_key"), "repayment_id", "credit_line_id", "currency",
            "match_key", "bank_amount", "ledger_amount").join(
            result.bank.select("entry_key", "booking_date"), left_on="bank_entry_key", right_on="entry_key")
        found += result.discrepancies()
    rows = matched.with_columns(pl.lit(pk).alias("partition_key"), pl.lit(context.run.run_id).alias("run_id")) \
        if matched.height else pl.DataFrame(schema={"partition_key": pl.String(), "bank_entry_key": pl.String()})
    stats = wh.write("repayment_matches", rows, ["partition_key", "bank_entry_key"], {"partition_key": pk})
    meta = _record(wh, REPAYMENT_DETECTOR, pk, found, context.run.run_id, complete=not errors)
    return dg.MaterializeResult(metadata={
        "matched": dg.MetadataValue.int(matched.height),
        "unmatched_repayments": dg.MetadataValue.int(sum(d.type == "unmatched_repayment" for d in found)),
        "rows_changed": dg.MetadataValue.int(stats.changed), **meta})
