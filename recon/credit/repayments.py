"""Fiat repayments: bank credits against the ledger's repayment records, in two DuckDB passes.

Pass 1 keys on the creditor reference (the repayment's own, else its line's), currency and amount;
pass 2 on the EndToEndId, where a different amount is an amount_mismatch, not a match. A bank credit
counts as a repayment when it carries a line's or a repayment's creditor reference, or a repayment's
EndToEndId. What stays unmatched longer than the window (calendar days) is an unmatched_repayment;
younger, it is in transit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import polars as pl

from recon.discrepancies import Discrepancy
from recon.ledger.tables import MONEY
from recon.money import show
from recon.sql import duckdb_sql

PASSES = ("match_repayments_by_creditor_reference", "match_repayments_by_end_to_end_id")
BANK_SCHEMA = {"entry_key": pl.String(), "account": pl.String(), "currency": pl.String(), "amount": MONEY,
               "booking_date": pl.Date(), "creditor_ref": pl.String(), "end_to_end_id": pl.String()}
_NOT_MOVING = ("reversed", "cancelled", "canceled", "void")


def _norm(col: str) -> pl.Expr:
    return pl.col(col).str.replace_all(" ", "").str.to_uppercase()


@dataclass(frozen=True)
class RepaymentResult:
    pairs: pl.DataFrame  # entry_key, repayment_id, credit_line_id, currency, match_key, amounts...
    bank: pl.DataFrame  # the bank credits taken as repayments
    ledger: pl.DataFrame  # the ledger's repayments
    as_of: date
    window_days: int

    @property
    def matches(self) -> pl.DataFrame:
        return self.pairs.filter(pl.col("amounts_agree"))

    def unmatched_bank(self) -> pl.DataFrame:
        return self.bank.join(self.pairs, on="entry_key", how="anti")

    def unmatched_ledger(self) -> pl.DataFrame:
        return self.ledger.join(self.pairs, on="repayment_id", how="anti")

    def discrepancies(self) -> list[Discrepancy]:
        due = self.as_of - timedelta(days=self.window_days)
        out = []
        for r in self.pairs.filter(~pl.col("amounts_agree")).iter_rows(named=True):
            out.append(Discrepancy(
                "amount_mismatch", "credit_line", r["credit_line_id"], f"repayment:{r['repayment_id']}",
                "significant", f"repayment {r['repayment_id']}: bank credited "
                f"{show(r['bank_amount'], r['currency'])}, ledger booked "
                f"{show(r['ledger_amount'], r['currency'])} (EndToEndId match)",
                currency=r["currency"], amount=r["bank_amount"] - r["ledger_amount"],
                details={"bank_entry_key": r["entry_key"], "bank_amount": r["bank_amount"],
                         "ledger_amount": r["ledger_amount"]}))
        for r in self.unmatched_bank().filter(pl.col("booking_date") <= due).iter_rows(named=True):
            out.append(Discrepancy(
                "unmatched_repayment", "credit_line", r["credit_line_id"] or "unknown", f"bank:{r['entry_key']}",
                "significant", f"bank credit {r['entry_key']} of {show(r['amount'], r['currency'])} with reference "
                f"{r['creditor_ref'] or r['end_to_end_id']} has no repayment in the ledger: the line's debt is "
                "overstated until it is booked", currency=r["currency"], amount=r["amount"],
                details={"side": "bank", "booking_date": r["booking_date"], "account": r["account"]}))
        for r in self.unmatched_ledger().filter(pl.col("due_date") <= due).iter_rows(named=True):
            out.append(Discrepancy(
                "unmatched_repayment", "credit_line", r["credit_line_id"], f"ledger:{r['repayment_id']}",
                "significant", f"ledger repayment {r['repayment_id']} of {show(r['amount'], r['currency'])} has no "
                "bank credit: the line's debt is understated", currency=r["currency"], amount=r["amount"],
                details={"side": "ledger", "value_date": r["due_date"]}))
        return out


def repayment_candidates(bank: pl.DataFrame, ledger: pl.DataFrame, lines: pl.DataFrame) -> pl.DataFrame:
    """Bank credits that are repayments, with the credit line their reference names (when it does)."""
    refs = pl.concat([
        lines.select(_norm("creditor_reference").alias("ref"), "credit_line_id"),
        ledger.select(_norm("creditor_reference").alias("ref"), "credit_line_id"),
    ]).drop_nulls("ref").unique("ref", keep="first")
    e2e = ledger.select("end_to_end_id", pl.col("credit_line_id").alias("e2e_line")).drop_nulls() \
        .filter(pl.col("end_to_end_id").str.to_uppercase() != "NOTPROVIDED").unique("end_to_end_id", keep="first")
    credits = bank.with_columns(_norm("creditor_ref").alias("ref"))
    return (credits.join(refs, on="ref", how="left").join(e2e, on="end_to_end_id", how="left")
            .filter(pl.col("credit_line_id").is_not_null() | pl.col("e2e_line").is_not_null())
            .with_columns(pl.coalesce("credit_line_id", "e2e_line").alias("credit_line_id"))
            .drop("ref", "e2e_line"))


def match_repayments(bank: pl.DataFrame, repayments: pl.DataFrame, lines: pl.DataFrame, as_of: date,
                     window_days: int = 2) -> RepaymentResult:
    """`bank`: CRDT entries (BANK_SCHEMA); `repayments` and `lines`: the ledger tables at the cut-off."""
    line_refs = lines.sort("updated_at").unique("credit_line_id", keep="last") \
        .select("credit_line_id", pl.col("creditor_reference").alias("line_ref"))
    ledger = (repayments.filter(~pl.col("status").fill_null("").str.to_lowercase().is_in(_NOT_MOVING))
              .join(line_refs, on="credit_line_id", how="left")
              .with_columns(pl.coalesce("creditor_reference", "line_ref").alias("creditor_reference"),
                            pl.coalesce("value_date", pl.col("booked_at").dt.date()).alias("due_date"))
              .drop("line_ref"))
    candidates = repayment_candidates(bank, ledger, lines)
    con = duckdb.connect()
    pairs = []
    bank_open, ledger_open = candidates, ledger
    for name in PASSES:
        con.register("bank_open", bank_open.to_arrow())
        con.register("ledger_open", ledger_open.to_arrow())
        found = con.sql(duckdb_sql(name)).pl()
        pairs.append(found)
        bank_open = bank_open.join(found, on="entry_key", how="anti")
        ledger_open = ledger_open.join(found, on="repayment_id", how="anti")
    con.close()
    return RepaymentResult(pl.concat(pairs, how="vertical_relaxed"), candidates, ledger, as_of, window_days)
