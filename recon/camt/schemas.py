"""Canonical column sets of the bank tables, as Polars schemas (money as Decimal, never float)."""

from __future__ import annotations

import polars as pl

# ISO 20022 amounts carry at most 5 fraction digits (ActiveCurrencyAndAmount); rates at most 10.
AMOUNT = pl.Decimal(38, 5)
RATE = pl.Decimal(38, 10)
# Beside each amount, the scale the bank sent it at ("14410.8" -> 1): a Decimal(38, 5) column holds the
# value exactly but not its scale, and the writer stores each amount as sent.
SCALE = pl.Int8()


def scale_column(amount_column: str) -> str:
    return f"{amount_column}_scale"

STATEMENTS: dict[str, pl.DataType] = {
    "statement_key": pl.String(),
    "business_date": pl.Date(),
    "message_type": pl.String(),  # camt.053.001.02
    "message_kind": pl.String(),  # statement | report | notification
    "message_id": pl.String(),
    "created_at": pl.Datetime("us", "UTC"),
    "statement_id": pl.String(),
    "statement_created_at": pl.Datetime("us", "UTC"),
    "electronic_seq": pl.String(),
    "legal_seq": pl.String(),
    "page_number": pl.String(),
    "last_page": pl.Boolean(),
    "account": pl.String(),  # IBAN, else the other id
    "account_iban": pl.String(),
    "account_other_id": pl.String(),
    "currency": pl.String(),
    "servicer_bic": pl.String(),
    "period_from": pl.String(),  # as sent (DtTm or Dt)
    "period_to": pl.String(),
    "opening_balance": AMOUNT,
    "opening_type": pl.String(),
    "closing_balance": AMOUNT,
    "booked_total": AMOUNT,
    "signed_entry_total": AMOUNT,
    "proof_ok": pl.Boolean(),
    "entries": pl.Int64(),
    "rows": pl.Int64(),
    "source_file": pl.String(),
    "file_sha256": pl.String(),
    "position": pl.Int64(),  # 1-based statement number in the file
    **{scale_column(c): SCALE for c in ("opening_balance", "closing_balance", "booked_total",
                                        "signed_entry_total")},
}

BALANCES: dict[str, pl.DataType] = {
    "statement_key": pl.String(),
    "position": pl.Int64(),  # 1-based order of the Bal in its statement
    "business_date": pl.Date(),
    "balance_type": pl.String(),  # code (OPBD, CLBD, ...) or the proprietary text
    "type_proprietary": pl.Boolean(),
    "sub_type": pl.String(),
    "amount": AMOUNT,  # signed: DBIT is negative
    "currency": pl.String(),
    "direction": pl.String(),
    "balance_date": pl.Date(),
    "balance_datetime": pl.String(),  # as sent, when the bank gave a DtTm
    "availability": pl.String(),  # JSON list of {"days"|"date", "amount", "direction"}
    scale_column("amount"): SCALE,
}

# Text columns of an entry row, in order; amounts are validated text until the frame is built.
ENTRY_TEXT = (
    "message_type", "account", "currency", "direction", "entry_ref", "entry_currency",
    "entry_direction", "status", "booking_date", "booking_datetime", "value_date",
    "value_datetime", "entry_acct_svcr_ref", "acct_svcr_ref", "bank_tx_domain", "bank_tx_family",
    "bank_tx_subfamily", "bank_tx_proprietary", "batch_msg_id", "batch_pmt_inf_id",
    "msg_id", "pmt_inf_id", "instr_id", "end_to_end_id", "uetr", "tx_id", "mandate_id",
    "cheque_number", "remittance", "creditor_ref", "creditor_ref_type", "counterparty_name",
    "counterparty_iban", "counterparty_account", "counterparty_bic", "return_reason",
    "instructed_currency", "source_currency", "target_currency", "counter_value_currency",
    "charges_currency", "additional_info", "warnings",
)
ENTRY_AMOUNTS = ("amount", "entry_amount", "instructed_amount", "counter_value_amount",
                 "charges_amount")
ENTRY_RATES = ("exchange_rate",)
ENTRY_INTS = ("entry_seq", "tx_seq", "tx_count", "position", "batch_count")
ENTRY_BOOLS = ("reversal",)
ENTRY_DATES = ("booking_date", "value_date")

ENTRIES: dict[str, pl.DataType] = {
    "entry_key": pl.String(),
    "statement_key": pl.String(),
    "business_date": pl.Date(),
    **{c: pl.String() for c in ENTRY_TEXT},
    **{c: AMOUNT for c in ENTRY_AMOUNTS},
    **{c: RATE for c in ENTRY_RATES},
    **{c: pl.Int64() for c in ENTRY_INTS},
    **{c: pl.Boolean() for c in ENTRY_BOOLS},
    **{c: pl.Date() for c in ENTRY_DATES},
    **{scale_column(c): SCALE for c in ENTRY_AMOUNTS},
}
# scale column -> the amount it describes
SCALED = {scale_column(c): c for schema in (STATEMENTS, BALANCES, ENTRIES) for c, t in schema.items()
          if t == AMOUNT}

LINKS: dict[str, pl.DataType] = {
    "notification_entry_key": pl.String(),
    "statement_entry_key": pl.String(),
    "matched_on": pl.String(),  # acct_svcr_ref | entry_ref | uetr | end_to_end_id
    "account": pl.String(),
}


def empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)
