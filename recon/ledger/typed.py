"""Raw ledger rows (text, or typed Parquet/SQL values) into a table's canonical frame, exactly.

Money never passes through float: text is checked digit by digit before the cast, so nothing is
rounded; a value that does not fit its column is an error naming the table, column and row.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from recon.ledger.tables import MONEY, SCALE, LedgerTable, scale_column

_NUMBER = r"^[+-]?[0-9]+(\.[0-9]+)?$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


class LedgerError(ValueError):
    """A ledger source that cannot be read as its canonical table; the message says where and why."""


def typed_frame(table: LedgerTable, raw: pl.DataFrame, source: str) -> pl.DataFrame:
    """Select, type and check `table`'s columns from `raw` (one row per source row, in order)."""
    missing = [c for c in table.required if c not in raw.columns]
    if missing:
        raise LedgerError(f"ledger table {table.name} ({source}): required column(s) {missing} missing; "
                          f"columns found: {raw.columns}")
    raw = raw.with_row_index("_row", offset=1)
    out = raw.select(
        "_row",
        *[_cast(raw, col, dtype, table, source) if col in raw.columns else pl.lit(None, dtype).alias(col)
          for col, dtype in table.columns.items()],
        *[_sent_scale(raw, col) for col in table.sent_scale],
    )
    for col in table.columns:
        if col in raw.columns:
            _check_nothing_lost(raw, out, col, table, source)
    for col in table.required:
        nulls = out.filter(pl.col(col).is_null())
        if nulls.height:
            raise LedgerError(f"ledger table {table.name} ({source}): required column {col} is empty "
                              f"in row {nulls['_row'][0]}")
    return out.drop("_row")


def up_to(table: LedgerTable, frame: pl.DataFrame, as_of: datetime) -> pl.DataFrame:
    """Rows at or before the cut-off (all rows when the table has no as-of column)."""
    if table.as_of_column is None:
        return frame
    return frame.filter(pl.col(table.as_of_column) <= pl.lit(as_of).dt.replace_time_zone(
        "UTC" if as_of.tzinfo is None else None).cast(table.columns[table.as_of_column]))


def _cast(raw: pl.DataFrame, col: str, dtype: pl.DataType, table: LedgerTable, source: str) -> pl.Expr:
    have = raw.schema[col]
    if have == dtype:
        return pl.col(col)
    if isinstance(dtype, pl.Decimal):
        return _decimal(raw, col, dtype, table, source)
    if isinstance(dtype, pl.Datetime):
        return _timestamp(col, have, dtype)
    if dtype == pl.Date() and have == pl.String():
        text = pl.col(col).str.strip_chars()
        return pl.when(text.str.contains(_DATE)).then(text.str.to_date("%Y-%m-%d", strict=False)) \
            .otherwise(pl.lit(None, pl.Date())).alias(col)
    if dtype == pl.String():
        if have.is_float():
            raise LedgerError(f"ledger table {table.name} ({source}): column {col} holds floats; "
                              "identifiers must be text")
        return pl.col(col).cast(pl.String()).str.strip_chars().alias(col)
    return pl.col(col).cast(dtype, strict=False).alias(col)


def _sent_scale(raw: pl.DataFrame, col: str) -> pl.Expr:
    """How many decimals the source sent in each row: the text's digits after the point, a decimal
    column's scale, 0 for an integer. A pinned snapshot keeps the scale it was read with."""
    name = scale_column(col)
    if name in raw.columns and raw.schema[name].is_integer():
        return pl.col(name).cast(SCALE)
    have = raw.schema.get(col)
    if have is None:
        return pl.lit(None, SCALE).alias(name)
    if have == MONEY:  # a frame already at the canonical fixed scale says nothing about what was sent
        return pl.lit(None, SCALE).alias(name)
    if isinstance(have, pl.Decimal):
        return pl.when(pl.col(col).is_not_null()).then(pl.lit(have.scale or 0, SCALE)).alias(name)
    if have.is_integer():
        return pl.when(pl.col(col).is_not_null()).then(pl.lit(0, SCALE)).alias(name)
    text = pl.col(col).cast(pl.String()).str.strip_chars()
    digits = text.str.extract(r"\.([0-9]+)$", 1).str.len_chars().fill_null(0)
    return pl.when(text.str.contains(_NUMBER)).then(digits.cast(SCALE)).alias(name)


def _decimal(raw: pl.DataFrame, col: str, dtype: pl.Decimal, table: LedgerTable, source: str) -> pl.Expr:
    have = raw.schema[col]
    if have.is_float():
        raise LedgerError(f"ledger table {table.name} ({source}): money column {col} is stored as float; "
                          "store it as a decimal or as text so no digit is lost")
    if have.is_integer():
        return pl.col(col).cast(dtype).alias(col)
    if isinstance(have, pl.Decimal) and (have.scale or 0) <= (dtype.scale or 0):
        return pl.col(col).cast(dtype).alias(col)
    text = pl.col(col).cast(pl.String()).str.strip_chars().str.strip_prefix("+")
    fraction = text.str.extract(r"\.([0-9]+)$", 1).str.len_chars().fill_null(0)
    whole = text.str.extract(r"^-?([0-9]+)", 1).str.strip_chars_start("0").str.len_chars().fill_null(0)
    fits = text.str.contains(_NUMBER) & (fraction <= (dtype.scale or 0)) & \
        (whole <= (dtype.precision or 38) - (dtype.scale or 0))
    return pl.when(fits).then(text.cast(dtype, strict=False)).otherwise(pl.lit(None, dtype)).alias(col)


def _timestamp(col: str, have: pl.DataType, dtype: pl.Datetime) -> pl.Expr:
    if isinstance(have, pl.Datetime):
        e = pl.col(col)
        e = e.dt.replace_time_zone("UTC") if have.time_zone is None else e.dt.convert_time_zone("UTC")
        return e.cast(dtype).alias(col)
    if have == pl.Date():
        return pl.col(col).cast(pl.Datetime("us")).dt.replace_time_zone("UTC").alias(col)
    # ISO 8601 as files and databases write it: T or space, optional fraction, Z / +HH / +HHMM / +HH:MM.
    text = (pl.col(col).cast(pl.String()).str.strip_chars()
            .str.replace(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})$", "${1}T00:00:00")
            .str.replace(r"^([0-9-]{10}) ", "${1}T")
            .str.replace(r"Z$", "+00:00")
            .str.replace(r"(T[0-9:.]+[+-][0-9]{2})$", "${1}:00")
            .str.replace(r"(T[0-9:.]+[+-][0-9]{2})([0-9]{2})$", "${1}:${2}"))
    aware = text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%:z", time_unit="us", time_zone="UTC", strict=False)
    naive = text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", time_unit="us", strict=False) \
        .dt.replace_time_zone("UTC")
    return pl.coalesce(aware, naive).cast(dtype).alias(col)


def _check_nothing_lost(raw: pl.DataFrame, out: pl.DataFrame, col: str, table: LedgerTable,
                        source: str) -> None:
    """A value present in the source that did not survive its cast is an error, never a null."""
    lost = pl.DataFrame({"_row": raw["_row"], "value": raw[col].cast(pl.String()),
                         "typed": out[col]}).filter(pl.col("value").is_not_null() & pl.col("typed").is_null()
                                                    & (pl.col("value").str.strip_chars() != ""))
    if lost.height:
        row, value = lost["_row"][0], lost["value"][0]
        raise LedgerError(f"ledger table {table.name} ({source}): column {col}, row {row}: {value!r} is not "
                          f"a valid {table.columns[col]} (exact decimals only, no rounding; ISO dates)")
