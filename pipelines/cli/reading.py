"""Reading the output store for commands that only look (lists, show, status, db url).

psycopg straight, no SQLAlchemy, Polars or Dagster: these commands answer in well under a second.
NUMERIC arrives as Decimal at the scale it was stored at. A store whose schema is behind (a table or
column missing) is upgraded once through the warehouse, then read again.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import typer

from recon.sql import postgres_sql

STATEMENT_TIMEOUT_MS = 5 * 60 * 1000  # a listing is small; a stuck one must not hold a terminal forever
_BIND = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")  # :name, never the ::type of a cast


def psycopg_params(sql: str) -> str:
    """The suite's query files bind `:name` (SQLAlchemy's style); psycopg binds `%(name)s`."""
    return _BIND.sub(r"%(\1)s", sql.replace("%", "%%"))


def store_url() -> str:
    """The owner's URL in libpq form: RECON_DATABASE_URL, else the embedded server (started on demand)."""
    url = os.environ.get("RECON_DATABASE_URL") or "embedded"
    if url == "embedded":
        from embedded.postgres import DatabaseUnavailable, embedded_url

        try:
            url = embedded_url()
        except DatabaseUnavailable as exc:
            _fail(str(exc))
    scheme, _, rest = url.partition("://")
    if scheme.split("+")[0] not in ("postgresql", "postgres"):
        _fail(f"RECON_DATABASE_URL must be a PostgreSQL URL (postgresql://user:password@host:5432/db); "
              f"got one starting with {scheme!r}.")
    return "postgresql://" + rest


def _fail(message: str) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


@contextmanager
def connect() -> Iterator[Any]:
    import psycopg
    from psycopg.rows import dict_row

    url = store_url()
    try:
        conn = psycopg.connect(url, row_factory=dict_row, connect_timeout=10, application_name="reserve-recon",
                               options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}")
    except psycopg.OperationalError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        _fail(f"Cannot connect to the output database at {_hidden(url)}: {first}. What to do: check "
              "RECON_DATABASE_URL and that the server is up, or unset it to use the embedded server.")
    with conn:
        yield conn


def rows(sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The rows of one query (values bound as `:name`, as in the suite's query files)."""
    import psycopg

    query = psycopg_params(sql)
    for attempt in (1, 2):
        with connect() as conn:
            try:
                return list(conn.execute(query, params or {}))
            except (psycopg.errors.UndefinedTable, psycopg.errors.UndefinedColumn):
                if attempt == 2:
                    raise
        from pipelines.cli.common import open_warehouse

        open_warehouse().engine.dispose()  # applies the pending migrations
    raise AssertionError("unreachable")  # pragma: no cover


def analyst_url(conn: Any, owner_url: str) -> str:
    """The read-only URL: same server and database, role recon_analyst, its password when known
    (RECON_ANALYST_PASSWORD, else the one generated beside an embedded server's data directory)."""
    password = os.environ.get("RECON_ANALYST_PASSWORD") or _embedded_secret(conn, "analyst")
    return with_user(owner_url, "recon_analyst", password)


def _embedded_secret(conn: Any, role: str) -> str | None:
    import psycopg

    try:
        data_dir = conn.execute(postgres_sql("show_data_directory")).fetchone()["data_directory"]
    except psycopg.Error:
        conn.rollback()
        return None  # not allowed to know: not a server of ours
    path = Path(data_dir).with_name(f"{Path(data_dir).name}.{role}-password")
    return path.read_text().strip() if path.is_file() else None


def with_user(url: str, user: str, password: str | None) -> str:
    parts = urlsplit(url)
    auth = quote(user, safe="") + (":" + quote(password, safe="") if password else "")
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, f"{auth}@{host}", parts.path, parts.query, parts.fragment))


def _hidden(url: str) -> str:
    parts = urlsplit(url)
    user = parts.username or ""
    return urlunsplit((parts.scheme, f"{user}:***@{parts.netloc.rsplit('@', 1)[-1]}" if user
                       else parts.netloc, parts.path, "", ""))
