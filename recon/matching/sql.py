"""The one loader of DuckDB SQL files (sql/duckdb/<verb>_<object>.sql)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parents[2] / "sql" / "duckdb"


@cache
def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text()
