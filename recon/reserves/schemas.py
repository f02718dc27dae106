"""Frames the reserve checks consume: the ledger tables' columns plus the warehouse's chain and bank reads.

`conform` gives a frame exactly a schema's columns (absent optional ones as null), so the checks can
take a ledger read, a hand-built test frame or a warehouse query alike.
"""

from __future__ import annotations

import polars as pl

from recon.ledger.tables import MONEY, TIMESTAMP
from recon.reserves import tables

AMOUNT = MONEY
TS = TIMESTAMP

RESERVE_LEDGER = dict(tables.RESERVE_LEDGER.columns)
REDEMPTIONS = {**tables.REDEMPTIONS.columns, "test_mode": pl.Boolean()}
RESERVE_OPERATIONS = dict(tables.RESERVE_OPERATIONS.columns)
RESERVE_ACCOUNTS = dict(tables.RESERVE_ACCOUNTS.columns)
CUSTODIAL_BALANCES = dict(tables.CUSTODIAL_BALANCES.columns)

# On-chain balances (recon.chain_balances columns, or a live read).
CHAIN_BALANCES: dict[str, pl.DataType] = {
    "chain": pl.String(), "asset": pl.String(), "holder": pl.String(), "balance": AMOUNT,
}
# Circulating supply per chain and asset (recon.chain_supply columns).
CHAIN_SUPPLY: dict[str, pl.DataType] = {"chain": pl.String(), "asset": pl.String(), "circulating": AMOUNT}
# Bank closing balances (recon.bank_statements columns).
BANK_BALANCES: dict[str, pl.DataType] = {
    "account": pl.String(), "currency": pl.String(), "business_date": pl.Date(), "closing_balance": AMOUNT,
}

_TRUE = ("true", "t", "1", "yes", "y")
_FALSE = ("false", "f", "0", "no", "n", "")


def _flag(col: str) -> pl.Expr:
    text = pl.col(col).cast(pl.String()).str.strip_chars().str.to_lowercase()
    return (pl.when(text.is_in(_TRUE)).then(True).when(text.is_in(_FALSE) | text.is_null()).then(False)
            .otherwise(None).alias(col))


def conform(frame: pl.DataFrame, schema: dict[str, pl.DataType], name: str) -> pl.DataFrame:
    """Exactly `schema`'s columns, cast strictly; optional columns absent from `frame` come back null."""
    exprs = []
    for col, dtype in schema.items():
        if col not in frame.columns:
            exprs.append(pl.lit(None, dtype=dtype).alias(col))
        elif dtype == pl.Boolean() and frame.schema[col] != pl.Boolean():
            exprs.append(_flag(col))
        else:
            exprs.append(pl.col(col).cast(dtype, strict=True))
    try:
        out = frame.select(exprs)
    except pl.exceptions.PolarsError as exc:
        raise ValueError(f"{name}: a column does not fit its type ({exc})") from exc
    for col, dtype in schema.items():
        if dtype == pl.Boolean() and col in frame.columns and out[col].null_count():
            raise ValueError(f"{name}: column {col} holds a value that is not true/false")
    return out
