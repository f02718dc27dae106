"""Matching's inputs as the output store sends them: CSV from COPY, decoded column by column in DuckDB."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from recon.matching.frames import BANK_SCHEMA, LEDGER_SCHEMA
from recon.sql import duckdb_sql


def read_bank_window_csv(path: Path) -> pl.DataFrame:
    """The bank window COPY wrote to `path` (a header, \\N for NULL): amounts DECIMAL(38, 18), exact as sent."""
    con = duckdb.connect(config={"threads": 2})
    try:
        return con.sql(duckdb_sql("read_bank_window_csv"), params={"path": str(path)}).pl()
    finally:
        con.close()


def write_side(frame: pl.DataFrame, side: str, path: Path) -> Path:
    """One side ("bank": BANK_SCHEMA, "ledger": LEDGER_SCHEMA) as a Parquet file for match_parquet, typed as its
    schema says (a column no row fills is still text, not NULL-typed)."""
    schema = {"bank": BANK_SCHEMA, "ledger": LEDGER_SCHEMA}[side]
    frame.select([pl.col(c).cast(t) for c, t in schema.items()]).write_parquet(path)
    return path
