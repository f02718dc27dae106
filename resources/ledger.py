"""The issuer's ledger: a read-only SQL database or snapshot files, read as canonical LedgerTables.

Per-partition snapshots pin what the ledger said at a cut-off: the first read of a partition is
stored as Parquet under $RECON_HOME/ledger_snapshots/<partition>/<table>.parquet and reused after,
so a backfill reconciles against the ledger as it was, not as it is now.
"""

from __future__ import annotations

import hashlib
import os
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import sqlalchemy as sa
from pydantic import Field

from embedded.postgres import embedded_url, recon_home
from recon.ledger.tables import LedgerTable
from recon.ledger.typed import LedgerError, typed_frame, up_to
from recon.sources import NotConfigured
from recon.sql import load as load_sql
from resources.sql_engines import SqlEngineResource

__all__ = ["LedgerError", "LedgerNotConfigured", "LedgerResource", "LedgerSnapshot", "LedgerSource"]


class LedgerNotConfigured(LedgerError, NotConfigured):
    """The ledger's settings are empty: its verdicts are unknown, nothing is read from a default."""


@dataclass(frozen=True)
class LedgerSnapshot:
    table: str
    frame: pl.DataFrame
    sha256: str
    path: Path
    reused: bool


class LedgerSource(ABC):
    """Reads canonical tables; `columns` maps table -> {canonical column: source column}."""

    def __init__(self, columns: dict[str, dict[str, str]], tables: dict[str, str], home: Path) -> None:
        self.columns = columns
        self.tables = tables
        self.home = home

    @abstractmethod
    def _raw(self, table: LedgerTable, as_of: datetime,
             after: Mapping[str, date] | None = None) -> tuple[pl.DataFrame, str]:
        """The source's rows under canonical column names, and a description of where they came from.
        `after` (canonical column -> date) may be pushed down; read() applies it anyway."""

    def read(self, table: LedgerTable, as_of: datetime, after: Mapping[str, date] | None = None) -> pl.DataFrame:
        """Rows at or before `as_of`; with `after`, only rows whose column is later than its date (a read
        of a few recent rows, not the table's history)."""
        as_of = as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)
        raw, where = self._raw(table, as_of, after)
        frame = up_to(table, typed_frame(table, raw, where), as_of)
        for column, value in (after or {}).items():
            frame = frame.filter(pl.col(column) > value)
        return frame

    def snapshot(self, table: LedgerTable, as_of: datetime, partition_key: str,
                 refresh: bool = False) -> LedgerSnapshot:
        path = self.home / "ledger_snapshots" / partition_key / f"{table.name}.parquet"
        reused = path.exists() and not refresh
        if reused:
            frame = typed_frame(table, pl.read_parquet(path), str(path))
        else:
            frame = self.read(table, as_of)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".parquet.tmp")
            frame.write_parquet(tmp)
            os.replace(tmp, path)
        return LedgerSnapshot(table.name, frame, hashlib.sha256(path.read_bytes()).hexdigest(), path, reused)

    def snapshot_rows(self, table: LedgerTable, as_of: datetime, partition_key: str, keep: pl.Expr) -> pl.DataFrame:
        """The rows `keep` selects of the partition's pinned snapshot (taken first when missing), filtered
        in the Parquet scan: only the filter's columns of the other rows are read, and row groups whose
        statistics rule them out are skipped."""
        path = self.home / "ledger_snapshots" / partition_key / f"{table.name}.parquet"
        if not path.exists():
            return self.snapshot(table, as_of, partition_key).frame.filter(keep)
        return typed_frame(table, pl.scan_parquet(path).filter(keep).collect(), str(path))

    def source_name(self, table: LedgerTable) -> str:
        return self.tables.get(table.name, table.name)

    def mapping(self, table: LedgerTable) -> dict[str, str]:
        """canonical -> source column, for every canonical column (unmapped ones keep their name)."""
        given = self.columns.get(table.name, {})
        return {c: given.get(c, c) for c in table.columns}


class FileLedgerSource(LedgerSource):
    """<snapshot_dir>/<table>.parquet or <table>.csv (CSV read as text, then cast exactly)."""

    def __init__(self, snapshot_dir: Path, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.snapshot_dir = snapshot_dir

    def _raw(self, table: LedgerTable, as_of: datetime,
             after: Mapping[str, date] | None = None) -> tuple[pl.DataFrame, str]:
        stem = self.source_name(table)
        for suffix in (".parquet", ".csv"):
            path = self.snapshot_dir / f"{stem}{suffix}"
            if path.exists():
                break
        else:
            raise LedgerError(f"ledger table {table.name}: neither {stem}.parquet nor {stem}.csv "
                              f"in {self.snapshot_dir}")
        frame = pl.read_parquet(path) if suffix == ".parquet" else pl.read_csv(path, infer_schema=False)
        rename = {src: canon for canon, src in self.mapping(table).items() if src in frame.columns}
        return frame.select(list(rename)).rename(rename), str(path)


class SqlLedgerSource(LedgerSource):
    """A SQL database through SQLAlchemy, in a read-only transaction; every value travels as text."""

    def __init__(self, engine: sa.Engine, db_schema: str | None, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.engine = engine
        self.db_schema = db_schema

    def _raw(self, table: LedgerTable, as_of: datetime,
             after: Mapping[str, date] | None = None) -> tuple[pl.DataFrame, str]:
        name = self.source_name(table)
        where = f"{self.db_schema + '.' if self.db_schema else ''}{name} at {self.engine.url.host or 'local'}"
        with self.engine.connect() as conn:
            read_only(conn)
            if not sa.inspect(conn).has_table(name, schema=self.db_schema):
                raise LedgerError(f"ledger table {table.name}: {where} does not exist")
            present = {c["name"] for c in sa.inspect(conn).get_columns(name, schema=self.db_schema)}
            cols = {canon: src for canon, src in self.mapping(table).items() if src in present}
            src = sa.table(name, *[sa.column(c) for c in present], schema=self.db_schema)
            query = sa.select(*[sa.cast(src.c[s], sa.Text).label(c) for c, s in cols.items()])
            if table.as_of_column and table.as_of_column in cols:
                query = query.where(src.c[cols[table.as_of_column]] <= sa.bindparam("as_of", as_of))
            for n, (column, value) in enumerate((after or {}).items()):
                if column in cols:
                    query = query.where(src.c[cols[column]] > sa.bindparam(f"after_{n}", value))
            result = conn.execute(query)
            rows = result.fetchall()
            conn.rollback()
        frame = pl.DataFrame(rows, schema={c: pl.String() for c in cols}, orient="row")
        return frame, where


_READ_ONLY = {"postgresql": ("set_transaction_read_only", "set_local_time_zone_utc"),
              "mysql": ("set_transaction_read_only",), "sqlite": ("set_query_only",)}


def read_only(conn: sa.Connection) -> None:
    """Nothing this product does can change the ledger; timestamps come back in UTC."""
    dialect = conn.dialect.name
    for name in _READ_ONLY.get(dialect, ()):
        conn.exec_driver_sql(load_sql("ledger", name))


class LedgerResource(SqlEngineResource):
    """The ledger source: kind "sql" (url, read-only) or "files" (snapshot_dir of CSV/Parquet)."""

    kind: str = "files"
    url: str | None = Field(default=None, description="SQLAlchemy URL of the ledger database (sql).")
    db_schema: str = "ledger"
    snapshot_dir: str | None = Field(default=None, description="Folder of <table>.csv|.parquet (files).")
    columns: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="table -> {canonical column: source column} where they differ.")
    tables: dict[str, str] = Field(default_factory=dict, description="table -> source table or file stem.")
    snapshot_home: str | None = Field(default=None, description="Default: $RECON_HOME (project .recon/).")

    def source(self) -> LedgerSource:
        kw = {"columns": dict(self.columns), "tables": dict(self.tables),
              "home": Path(self.snapshot_home) if self.snapshot_home else recon_home()}
        if self.kind == "files":
            if not self.snapshot_dir:
                raise LedgerNotConfigured("ledger kind 'files' needs snapshot_dir (a folder of CSV or Parquet files)")
            return FileLedgerSource(Path(self.snapshot_dir), **kw)
        if self.kind == "sql":
            if not self.url:
                raise LedgerNotConfigured("ledger kind 'sql' needs url (a SQLAlchemy URL, RECON_LEDGER_URL)")
            # "embedded": schema ledger of the embedded output store (the demo's books)
            url = embedded_url() if self.url == "embedded" else self.url
            url = url.replace("postgresql://", "postgresql+psycopg://", 1)
            # A bounded connect: an unreachable ledger makes its verdicts unknown quickly, never hangs a run.
            args = {"connect_timeout": 10} if url.startswith("postgresql") else {}
            return SqlLedgerSource(self.engine(url, args), self.db_schema or None, **kw)
        raise LedgerError(f"ledger kind must be 'sql' or 'files', not {self.kind!r}")
