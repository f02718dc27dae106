"""Rows as read (validated text) into typed Polars frames; Decimals cast from text, exactly."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import polars as pl

from recon.camt import schemas
from recon.camt.errors import CamtError

_RAW_TEXT = [c for c, t in schemas.ENTRIES.items() if c not in schemas.ENTRY_INTS
             and c not in schemas.ENTRY_BOOLS and c not in schemas.SCALED]
_RAW_SCHEMA = {**{c: pl.String() for c in _RAW_TEXT}, **{c: pl.Int64() for c in schemas.ENTRY_INTS
               if c != "batch_count"}, "batch_count": pl.String(), "reversal": pl.Boolean()}


def _typed(raw: pl.DataFrame, schema: dict[str, pl.DataType], what: str) -> pl.DataFrame:
    exprs = []
    for col, dtype in schema.items():
        if col in schemas.SCALED:
            exprs.append(_scale_sent(schemas.SCALED[col], raw).alias(col))
        elif col not in raw.columns:
            exprs.append(pl.lit(None, dtype).alias(col))
        elif dtype == pl.Date() and raw.schema[col] == pl.String():
            exprs.append(pl.col(col).str.to_date("%Y-%m-%d", strict=False))
        else:
            exprs.append(pl.col(col).cast(dtype, strict=False))
    out = raw.select(exprs)
    _check_no_lost_values(raw, out, what)
    return out


def _scale_sent(amount: str, raw: pl.DataFrame) -> pl.Expr:
    """Fraction digits of the amount's text as read ("14410.8" -> 1, "250" -> 0)."""
    if amount not in raw.columns or raw.schema[amount] != pl.String():
        return pl.lit(None, schemas.SCALE)
    text = pl.col(amount)
    dot = text.str.find(".", literal=True)
    return (pl.when(text.is_null()).then(None).when(dot.is_null()).then(0)
            .otherwise(text.str.len_bytes() - dot - 1).cast(schemas.SCALE))


def _check_no_lost_values(raw: pl.DataFrame, out: pl.DataFrame, what: str) -> None:
    """A value that did not survive its cast (an impossible date, say) is an error, not a null."""
    lost = [c for c in out.columns if c in raw.columns and c not in schemas.SCALED
            and raw[c].null_count() != out[c].null_count()]
    for col in lost:
        bad = raw.filter(pl.col(col).is_not_null() & out[col].is_null()).row(0, named=True)
        where = f"{what} at position {bad.get('position')}"
        raise CamtError(f"invalid value {bad[col]!r} in column {col}", where)


def raw_entries(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Rows as read, untyped; from_dicts costs per column, so only the columns some row has."""
    present = set().union(*rows)
    return pl.from_dicts(rows, schema={c: t for c, t in _RAW_SCHEMA.items() if c in present})


def typed_entries(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """Raw parts into one typed entry frame; columns no row had come out as typed nulls."""
    if not parts:
        raw = pl.DataFrame(schema=_RAW_SCHEMA)
    else:
        raw = pl.concat(parts, how="diagonal", rechunk=True) if len(parts) > 1 else parts[0]
    return _typed(raw, schemas.ENTRIES, "entry")


def entries_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return typed_entries([raw_entries(rows)] if rows else [])


def _utc(text: str | None) -> datetime | None:
    """ISO date-time as sent; without an offset it is read as UTC."""
    if not text:
        return None
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise CamtError(f"invalid date-time {text!r}", "CreDtTm") from None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def statements_frame(records: list[dict[str, Any]]) -> pl.DataFrame:
    rows = [{c: r.get(c) for c in schemas.STATEMENTS} for r in records]
    for r in rows:
        r["created_at"] = _utc(r["created_at"])
        r["statement_created_at"] = _utc(r["statement_created_at"])
    raw_schema = {c: (t if t in (pl.Int64(), pl.Boolean()) or isinstance(t, pl.Datetime)
                      else pl.String()) for c, t in schemas.STATEMENTS.items()}
    raw = pl.from_dicts(rows, schema=raw_schema) if rows else pl.DataFrame(schema=raw_schema)
    return _typed(raw, schemas.STATEMENTS, "statement")


def balances_frame(balances: list[dict[str, Any]]) -> pl.DataFrame:
    rows = [{**{c: b.get(c) for c in schemas.BALANCES}, "amount": b.get("signed_amount")}
            for b in balances]
    raw_schema = {c: (t if t in (pl.Int64(), pl.Boolean()) else pl.String())
                  for c, t in schemas.BALANCES.items()}
    raw = pl.from_dicts(rows, schema=raw_schema) if rows else pl.DataFrame(schema=raw_schema)
    return _typed(raw, schemas.BALANCES, "balance")
