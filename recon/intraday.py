"""The bank position inside a business day, from the best basis the bank sends.

Where the bank sends camt.052 intraday reports, an account's position is the booked balance of the
latest report created before the window's end (at the report's cut-off: its creation time) plus the
booked notifications the bank created after it. Without a report it is the last camt.053 closing
balance before the day plus the booked notifications of the days since. Without either the position
is unknown. A notification created after the report that the report already lists (same reference,
direction and amount: a bank's late notification) is not added twice. Each position says which basis it
used, and how much of it is booked with a value date after the day (in transit, not drift:
recon/drift.py compares value date with value date).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from recon.discrepancies import AMOUNT_DTYPE

REPORT, STATEMENT, NONE = "camt052_report", "statement_notifications", "none"
TIMESTAMP = pl.Datetime("us", "UTC")

CLOSING = {"account": pl.String(), "currency": pl.String(), "balance": AMOUNT_DTYPE, "closed_on": pl.Date()}
REPORTS = {"account": pl.String(), "currency": pl.String(), "balance": AMOUNT_DTYPE,
           "report_key": pl.String(), "cutoff": TIMESTAMP}
MOVES = {"account": pl.String(), "currency": pl.String(), "direction": pl.String(), "amount": AMOUNT_DTYPE,
         "business_date": pl.Date(), "notified_at": TIMESTAMP, "value_date": pl.Date(), "ref": pl.String()}
REPORT_ENTRIES = {"account": pl.String(), "currency": pl.String(), "ref": pl.String(), "direction": pl.String(),
                  "amount": AMOUNT_DTYPE, "value_date": pl.Date(), "status": pl.String()}
SIGNED = {"account": pl.String(), "currency": pl.String(), "amount": AMOUNT_DTYPE}
POSITION = {"account": pl.String(), "currency": pl.String(), "balance": AMOUNT_DTYPE, "closed_on": pl.Date(),
            "basis": pl.String(), "bank_cutoff": TIMESTAMP, "report_key": pl.String(),
            "movements": pl.Int64(), "bank_future_value": AMOUNT_DTYPE}
_KEY = ["account", "currency"]


def typed(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """A query's rows in a known schema (an empty result has no types of its own)."""
    if not frame.height:
        return pl.DataFrame(schema=schema)
    return frame.select([pl.col(c).cast(t) for c, t in schema.items()])


def bank_positions(closing: pl.DataFrame, reports: pl.DataFrame, moves: pl.DataFrame,
                   report_entries: pl.DataFrame, day: date) -> pl.DataFrame:
    """closing (CLOSING), reports (REPORTS: the latest per account), moves (MOVES: booked, notified before
    the window's end), report_entries (REPORT_ENTRIES: the day's reported entries) -> POSITION."""
    by_report = reports.select(*_KEY, pl.col("balance").alias("base"), pl.lit(REPORT).alias("basis"),
                               pl.col("cutoff").alias("bank_cutoff"), "report_key")
    by_statement = closing.join(reports, on=_KEY, how="anti").select(
        *_KEY, pl.col("balance").alias("base"), pl.lit(STATEMENT).alias("basis"),
        pl.lit(None, TIMESTAMP).alias("bank_cutoff"), pl.lit(None, pl.String()).alias("report_key"))
    bases = pl.concat([by_report, by_statement]).join(closing.select(*_KEY, "closed_on"), on=_KEY, how="left")
    signed = pl.when(pl.col("direction") == "DBIT").then(-pl.col("amount")).otherwise(pl.col("amount"))
    future = signed.filter(pl.col("value_date") > day).cast(AMOUNT_DTYPE).sum()
    after_basis = pl.when(pl.col("basis") == REPORT).then(pl.col("notified_at") > pl.col("bank_cutoff")) \
        .otherwise(pl.col("business_date") > pl.col("closed_on"))
    reported = report_entries.filter(pl.col("ref").is_not_null()).select(
        *_KEY, "ref", "direction", "amount", pl.lit(REPORT).alias("basis")).unique()
    moved = (moves.join(bases.select(*_KEY, "basis", "bank_cutoff", "closed_on"), on=_KEY)
             .filter(after_basis.fill_null(False))
             .join(reported, on=[*_KEY, "ref", "direction", "amount", "basis"], how="anti")
             .group_by(_KEY).agg(signed.cast(AMOUNT_DTYPE).sum().alias("moved"), pl.len().alias("movements"),
                                  future.alias("future")))
    in_report = (report_entries.filter(pl.col("status") == "BOOK").group_by(_KEY)
                 .agg(future.alias("report_future")))
    return (bases.join(moved, on=_KEY, how="left").join(in_report, on=_KEY, how="left")
            .select(*_KEY,
                    (pl.col("base") + pl.col("moved").fill_null(0)).cast(AMOUNT_DTYPE).alias("balance"),
                    "closed_on", "basis", "bank_cutoff", "report_key",
                    pl.col("movements").fill_null(0).cast(pl.Int64()),
                    (pl.col("future").fill_null(0) + pl.when(pl.col("basis") == REPORT)
                     .then(pl.col("report_future").fill_null(0)).otherwise(0)).cast(AMOUNT_DTYPE)
                    .alias("bank_future_value"))
            .sort(_KEY))


def ledger_future_value(accounts: pl.DataFrame, transactions: pl.DataFrame, day: date) -> pl.DataFrame:
    """Per account (named as the bank names it) and currency: the signed ledger postings already booked
    whose value date is after the day (SIGNED). Reversed or cancelled rows are the ledger's own business:
    a row counts when its status is empty or says booked."""
    names = (accounts.sort("as_of").group_by("account_id").last()
             .select("account_id", pl.coalesce("iban", "account_id").alias("account")))
    signed = pl.when(pl.col("direction") == "DBIT").then(-pl.col("amount")).otherwise(pl.col("amount"))
    live = pl.col("status").is_null() | pl.col("status").str.to_lowercase().is_in(["booked", "book", "posted"])
    return (transactions.filter((pl.col("value_date") > day) & live)
            .join(names, on="account_id")
            .group_by("account", "currency").agg(signed.cast(AMOUNT_DTYPE).sum().alias("amount"))
            .select(list(SIGNED)).cast(SIGNED))  # type: ignore[arg-type]
