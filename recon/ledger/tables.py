"""Canonical ledger tables: the columns every ledger source is mapped onto, typed, money as Decimal."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

# 20 integer digits and 18 decimals: fiat (any ISO 4217 scale, bank files' 5 decimals) and tokens fit.
MONEY = pl.Decimal(38, 18)
TIMESTAMP = pl.Datetime("us", "UTC")
SCALE = pl.Int8()  # decimals a source sent for one value


@dataclass(frozen=True)
class LedgerTable:
    """One table of the ledger as the product sees it.

    `columns` are the canonical names and types a reader returns, in order; `required` must be present
    in the source and non-null in every row; `as_of_column` (a timestamp) bounds a read to a cut-off.
    Each money column in `sent_scale` comes with `<column>_scale`: how many decimals the source sent in
    that row (a Decimal(38, 18) column has one scale for all rows), so what is stored is what was sent.
    """

    name: str
    columns: dict[str, pl.DataType]
    required: tuple[str, ...]
    as_of_column: str | None
    sent_scale: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = [c for c in (*self.required, self.as_of_column, *self.sent_scale) if c and c not in self.columns]
        if unknown:
            raise ValueError(f"ledger table {self.name}: {unknown} are not among its columns")

    @property
    def all_columns(self) -> dict[str, pl.DataType]:
        """The canonical columns, then each sent scale."""
        return {**self.columns, **{scale_column(c): SCALE for c in self.sent_scale}}

    @property
    def schema(self) -> pl.Schema:
        return pl.Schema(self.all_columns)

    def empty(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.all_columns)


def scale_column(money_column: str) -> str:
    return f"{money_column}_scale"


ACCOUNTS = LedgerTable(
    name="accounts",
    columns={
        "account_id": pl.String(),
        "iban": pl.String(),
        "currency": pl.String(),
        "ledger_balance": MONEY,
        "bank_balance": MONEY,  # what the ledger last recorded the bank as reporting
        "reserved_balance": MONEY,
        "as_of": TIMESTAMP,
    },
    required=("account_id", "currency", "ledger_balance", "as_of"),
    as_of_column="as_of",
    sent_scale=("ledger_balance", "bank_balance", "reserved_balance"),
)

TRANSACTIONS = LedgerTable(
    name="transactions",
    columns={
        "txn_id": pl.String(),
        "account_id": pl.String(),
        "direction": pl.String(),  # CRDT (money in) | DBIT (money out), as the bank sees the account
        "amount": MONEY,  # positive; the direction carries the sign
        "currency": pl.String(),
        "booked_at": TIMESTAMP,
        "value_date": pl.Date(),
        "uetr": pl.String(),
        "end_to_end_id": pl.String(),
        "bank_reference": pl.String(),
        "batch_id": pl.String(),  # batch or payment-information id
        "reversal_of": pl.String(),  # txn_id of the original when this row reverses it
        "status": pl.String(),
    },
    required=("txn_id", "account_id", "direction", "amount", "currency", "booked_at"),
    as_of_column="booked_at",
    sent_scale=("amount",),
)

TABLES: dict[str, LedgerTable] = {t.name: t for t in (ACCOUNTS, TRANSACTIONS)}
