"""The SQL shipped with the package, and the one loader of it.

duckdb/ holds matching and check queries, postgres/ the numbered migrations and the analyst grants,
postgres/queries/ every statement the suite runs on the output store, ledger/ the demo ledger's DDL.
Each file is named <verb>_<object>.sql, opens with a one-line comment, and binds its values.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable


def folder(*parts: str) -> Traversable:
    """A folder of SQL files inside the package (found the same way from a checkout or a wheel)."""
    return files(__name__).joinpath(*parts)


@cache
def load(kind: str, name: str) -> str:
    """The text of <kind>/<name>.sql, kind one of duckdb, postgres/queries, ledger."""
    return folder(*kind.split("/")).joinpath(f"{name}.sql").read_text(encoding="utf-8")


def duckdb_sql(name: str) -> str:
    return load("duckdb", name)


def postgres_sql(name: str) -> str:
    return load("postgres/queries", name)
