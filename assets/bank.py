"""Bank statements of a business day: files from the drop folder into the bank tables."""

from datetime import date
from decimal import Decimal

import dagster as dg
import polars as pl

from assets import source_kit as kit
from assets.partitions import business_day_partitions
from recon.money import exact, scale_of, show
from recon.sql import postgres_sql
from resources.drop_folder import StatementsResource
from resources.warehouse_resource import WarehouseResource
from stores.statement_days import DayLoad, load_business_date

DETECTOR = "bank_statement_proof"


@dg.multi_asset(
    specs=[
        dg.AssetSpec("bank_statements", group_name="bank", kinds={"python", "postgres"},
                     description="CAMT.052/053/054 statements of the day (by closing-balance date), "
                                 "with their balance proof."),
        dg.AssetSpec("bank_balances", group_name="bank", deps=["bank_statements"],
                     kinds={"postgres"}, description="Every balance of those statements, signed."),
        dg.AssetSpec("bank_entries", group_name="bank", deps=["bank_statements"],
                     kinds={"postgres"},
                     description="One row per transaction (TxDtls) or entry, with every reference; "
                                 "notifications linked to the statement entry that books them."),
    ],
    check_specs=[dg.AssetCheckSpec("statements_balance", asset="bank_statements",
                                   description="Opening + booked entries = closing, per statement.")],
    partitions_def=business_day_partitions,
)
def bank_statement_tables(context: dg.AssetExecutionContext, statements: StatementsResource,
                          warehouse: WarehouseResource):  # type: ignore[no-untyped-def]
    day, run_id = date.fromisoformat(context.partition_key[:10]), context.run.run_id
    wh = warehouse.get()
    got = kit.read(context, wh, "drop_folder",
                   lambda: load_business_date(wh, kit.statements_source(statements), day, run_id))
    load = got.value
    if load is None:
        # The day keeps the rows it had; its statement proof and everything built on it is unknown.
        for key in ("bank_statements", "bank_balances", "bank_entries"):
            yield dg.MaterializeResult(asset_key=key, metadata=kit.metadata([got], 0, 1))
        yield dg.AssetCheckResult(
            check_name="statements_balance", asset_key="bank_statements", passed=False,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={"source_state": dg.MetadataValue.text(got.state),
                      "reason": dg.MetadataValue.text(got.reason or "")})
        return
    # Findings before the check result: the discrepancy is recorded even if the check fails.
    wh.record_discrepancies(DETECTOR, context.partition_key, load.findings, run_id)
    meta = kit.metadata([got], len(load.files), 0)
    yield dg.MaterializeResult(asset_key="bank_statements", metadata={**meta, **_statement_metadata(load)})
    yield dg.MaterializeResult(asset_key="bank_balances", metadata={
        **meta, "rows": dg.MetadataValue.int(load.balances.height),
        "rows_changed": dg.MetadataValue.int(load.writes["bank_balances"].changed)})
    yield dg.MaterializeResult(asset_key="bank_entries", metadata={**meta, **_entry_metadata(load)})
    bad = load.statements.filter(pl.col("proof_ok") == False)  # noqa: E712
    # Zero statements on a business day for accounts that have had statements proves nothing.
    expected = wh.rows(_ACCOUNTS_BEFORE, d=day)
    empty = load.statements.height == 0 and bool(expected)
    yield dg.AssetCheckResult(
        check_name="statements_balance", asset_key="bank_statements", passed=bad.height == 0 and not empty,
        severity=dg.AssetCheckSeverity.ERROR if empty else dg.AssetCheckSeverity.WARN,
        metadata={"unbalanced": dg.MetadataValue.int(bad.height),
                  "statements_read": dg.MetadataValue.int(load.statements.height),
                  "accounts_expected": dg.MetadataValue.int(len(expected)),
                  "statements": dg.MetadataValue.md(_table(bad))})


_ACCOUNTS_BEFORE = postgres_sql("select_accounts_with_statements")


def _statement_metadata(load: DayLoad) -> dict[str, dg.MetadataValue]:
    reg = load.registration
    return {
        "files": dg.MetadataValue.int(len(load.files)),
        "files_new": dg.MetadataValue.int(len(reg.ingested)),
        "files_duplicate": dg.MetadataValue.int(len(reg.duplicates)),
        "files_quarantined": dg.MetadataValue.int(len(reg.quarantined)),
        "quarantined": dg.MetadataValue.json(reg.quarantined),
        "statements": dg.MetadataValue.int(load.statements.height),
        "unbalanced_statements": dg.MetadataValue.int(
            load.findings.filter(pl.col("type") == "statement_unbalanced").height),
        "statements_not_counted": dg.MetadataValue.int(
            load.choices.filter(~pl.col("counted")).height if load.choices.height else 0),
        "files_missing": dg.MetadataValue.json(load.files_missing),
        "source_state": dg.MetadataValue.text("complete" if load.complete else "partial"),
        "rows_changed": dg.MetadataValue.int(load.writes["bank_statements"].changed),
    }


def _entry_metadata(load: DayLoad) -> dict[str, dg.MetadataValue]:
    # Per entry (not per row): a batch's items may carry no amount, the entry always does.
    signed = (pl.when(pl.col("entry_direction") == "DBIT").then(-pl.col("entry_amount"))
              .otherwise("entry_amount"))
    entries = load.entries.unique(["statement_key", "entry_seq"])
    # A total is written at the finest scale the bank sent among its entries (12.5 stays 12.5).
    sent = pl.col("entry_amount_scale").max() if "entry_amount_scale" in entries.columns else pl.lit(None)
    totals: dict[str, tuple[Decimal, int | None]] = {
        c: (t, s) for c, t, s in entries.group_by("entry_currency").agg(signed.sum(), sent.alias("s"))
        .sort("entry_currency").iter_rows()}
    return {
        "rows": dg.MetadataValue.int(load.entries.height),
        "entries": dg.MetadataValue.int(entries.height),
        "linked_notifications": dg.MetadataValue.int(load.links.height),
        "rows_changed": dg.MetadataValue.int(load.writes["bank_entries"].changed),
        "totals_by_currency": dg.MetadataValue.json(
            {c: exact(v, scale_of(c) if s is None else s) for c, (v, s) in totals.items()}),
    }


def _table(bad: pl.DataFrame) -> str:
    lines = ["| statement | account | opening | booked | closing |", "|---|---|---|---|---|"]
    lines += [f"| {r['statement_id']} | {r['account']} | {show(r['opening_balance'], r['currency'])} | "
              f"{show(r['booked_total'], r['currency'])} | {show(r['closing_balance'], r['currency'])} |"
              for r in bad.iter_rows(named=True)]
    return "\n".join(lines)
