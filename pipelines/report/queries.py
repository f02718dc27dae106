"""The one loader of the reports' Postgres queries (sql/postgres/queries/<verb>_<object>.sql)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

QUERY_DIR = Path(__file__).resolve().parents[2] / "sql" / "postgres" / "queries"


@cache
def query(name: str) -> str:
    return (QUERY_DIR / f"{name}.sql").read_text()
