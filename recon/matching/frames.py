"""Canonical inputs of the matcher and adapters from the bank and ledger tables."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import polars as pl

from recon.ledger.tables import MONEY

BANK_SCHEMA: dict[str, pl.DataType] = {
    "entry_key": pl.String(),  # unique per bank movement
    "account": pl.String(),  # the bank account (IBAN or other id) the ledger account maps to
    "currency": pl.String(),
    "direction": pl.String(),  # CRDT | DBIT
    "amount": MONEY,  # positive
    "booking_date": pl.Date(),
    "uetr": pl.String(),
    "end_to_end_id": pl.String(),
    "acct_svcr_ref": pl.String(),
    "instr_id": pl.String(),
    "tx_id": pl.String(),
    "batch_id": pl.String(),  # payment-information or batch message id
    "is_reversal": pl.Boolean(),
}

LEDGER_SCHEMA: dict[str, pl.DataType] = {
    "txn_id": pl.String(),
    "account": pl.String(),
    "currency": pl.String(),
    "direction": pl.String(),
    "amount": MONEY,
    "booking_date": pl.Date(),
    "uetr": pl.String(),
    "end_to_end_id": pl.String(),
    "bank_reference": pl.String(),
    "batch_id": pl.String(),
    "reversal_of": pl.String(),
}

# Ledger rows in these statuses never reached the bank and are not matched.
NOT_MOVING = ("cancelled", "canceled", "rejected", "failed", "void")


def _pick(frame: pl.DataFrame, *names: str) -> pl.Expr:
    present = [pl.col(n).cast(pl.String()) for n in names if n in frame.columns]
    return pl.coalesce(present) if present else pl.lit(None, pl.String())


def bank_movements(entries: pl.DataFrame) -> pl.DataFrame:
    """recon.bank_entries rows (base columns plus whatever references the bank sent) -> BANK_SCHEMA.

    A batch entry whose transactions carry no amount of their own is one movement: the entry's
    amount, its first row's key, and the batch id, to be matched against the ledger's batch items.
    """
    entries = _collapse_unpriced_batches(entries)
    reversal = (pl.col("reversal").fill_null(False) if "reversal" in entries.columns
                else pl.lit(False))
    return entries.select(
        pl.col("entry_key"), pl.col("account"), pl.col("currency"), pl.col("direction"),
        pl.col("amount").cast(MONEY),
        pl.coalesce([pl.col(c).cast(pl.Date()) for c in ("booking_date", "value_date", "business_date")
                     if c in entries.columns]).alias("booking_date"),
        _pick(entries, "uetr").alias("uetr"),
        _pick(entries, "end_to_end_id").alias("end_to_end_id"),
        _pick(entries, "acct_svcr_ref").alias("acct_svcr_ref"),
        _pick(entries, "instr_id").alias("instr_id"),
        _pick(entries, "tx_id").alias("tx_id"),
        _pick(entries, "pmt_inf_id", "batch_pmt_inf_id", "batch_msg_id").alias("batch_id"),
        reversal.cast(pl.Boolean()).alias("is_reversal"),
    )


def _collapse_unpriced_batches(entries: pl.DataFrame) -> pl.DataFrame:
    if "entry_amount" not in entries.columns or entries["amount"].null_count() == 0:
        return entries
    priced = entries.filter(pl.col("amount").is_not_null())
    per_entry = [c for c in ("statement_key", "entry_seq") if c in entries.columns]
    whole = (entries.filter(pl.col("amount").is_null()).sort("entry_key").group_by(per_entry, maintain_order=True)
             .agg(pl.all().first()).select(entries.columns)
             .with_columns(pl.col("entry_amount").alias("amount"),
                           *[pl.lit(None, pl.String()).alias(c) for c in ("uetr", "end_to_end_id", "instr_id",
                                                                          "tx_id") if c in entries.columns],
                           *([pl.coalesce("entry_acct_svcr_ref", "acct_svcr_ref").alias("acct_svcr_ref")]
                             if "entry_acct_svcr_ref" in entries.columns else [])))
    return pl.concat([priced, whole.cast(entries.schema)])


def ledger_rows_wanted(since: date, carried: list[str]) -> pl.Expr:
    """On ledger TRANSACTIONS: every row whose movement (ledger_movements) is booked on or after `since`,
    or whose txn_id is carried; a filter a Parquet scan can apply to its row groups' statistics."""
    start = datetime.combine(since, time.min, tzinfo=UTC)
    return (pl.col("booked_at") >= start) | pl.col("booked_at").is_null() | pl.col("txn_id").is_in(carried)


def ledger_movements(transactions: pl.DataFrame, accounts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Ledger TRANSACTIONS -> LEDGER_SCHEMA; an account's IBAN (from ACCOUNTS) is the bank's account id."""
    txns = transactions.filter(
        pl.col("status").is_null() | ~pl.col("status").str.to_lowercase().is_in(NOT_MOVING))
    account = pl.col("account_id")
    if accounts is not None and accounts.height:
        ibans = accounts.filter(pl.col("iban").is_not_null()).group_by("account_id").agg(
            pl.col("iban").sort_by("as_of").last())
        txns = txns.join(ibans, on="account_id", how="left")
        account = pl.coalesce(pl.col("iban"), pl.col("account_id"))
    return txns.select(
        pl.col("txn_id"), account.alias("account"), pl.col("currency"), pl.col("direction"),
        pl.col("amount").cast(MONEY),
        pl.coalesce(pl.col("booked_at").dt.date(), pl.col("value_date")).alias("booking_date"),
        pl.col("uetr"), pl.col("end_to_end_id"), pl.col("bank_reference"), pl.col("batch_id"),
        pl.col("reversal_of"),
    )
