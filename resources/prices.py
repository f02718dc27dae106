"""Prices and given volatilities of collateral assets: from files, a SQL table or an HTTP endpoint.

Every kind returns the same typed frames (recon.credit.market PRICES / VOLATILITY): values travel as
text and are cast exactly, so no price ever passes through float. A read that fails raises
PriceSourceError; the credit assets then report every position that needs a price as unknown.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import polars as pl
import sqlalchemy as sa
from pydantic import Field

from clients.chain_retry import ChainReadError, RetryPolicy, TransientError, with_retries
from recon.credit.market import PRICES, VOLATILITY
from recon.ledger.typed import LedgerError, typed_frame, up_to
from recon.sources import ConfigurationError, load_json
from resources.sql_engines import SqlEngineResource


class PriceSourceError(RuntimeError):
    """The price source could not be read; the message says which source and why (no credentials)."""


@dataclass(frozen=True)
class PriceRead:
    prices: pl.DataFrame  # asset, quote, price, observed_at: observed in [since, until]
    volatility: dict[str, Decimal]  # asset -> annualised volatility the source gives
    where: str


class PriceSource(ABC):
    @abstractmethod
    def _raw(self, since: datetime, until: datetime) -> tuple[pl.DataFrame, pl.DataFrame | None, str]:
        """Price rows and volatility rows (or None) as text columns, and where they came from."""

    def read(self, since: datetime, until: datetime) -> PriceRead:
        try:
            raw, vol, where = self._raw(since, until)
            prices = up_to(PRICES, typed_frame(PRICES, raw, where), until)
            prices = prices.filter(pl.col("observed_at") >= since)
            given = typed_frame(VOLATILITY, vol, where) if vol is not None else None
        except (LedgerError, OSError, sa.exc.SQLAlchemyError, ValueError, KeyError, TypeError) as exc:
            raise PriceSourceError(f"price source {type(self).__name__}: {exc}") from exc
        volatility = dict(zip(given["asset"], given["annual_vol"], strict=True)) if given is not None else {}
        return PriceRead(prices, volatility, where)


def _text_frame(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(pl.all().cast(pl.String()))


class FilePriceSource(PriceSource):
    """A CSV or Parquet file of prices (asset, quote, price, observed_at) and an optional volatility file."""

    def __init__(self, path: Path, volatility_path: Path | None) -> None:
        self.path, self.volatility_path = path, volatility_path

    @staticmethod
    def _load(path: Path) -> pl.DataFrame:
        if path.suffix == ".parquet":
            frame = pl.read_parquet(path)
            floats = [c for c, t in frame.schema.items() if t.is_float()]
            if floats:
                raise ValueError(f"{path.name}: column(s) {floats} are floats; store prices as decimal or text")
            return _text_frame(frame)
        return pl.read_csv(path, infer_schema=False)

    def _raw(self, since: datetime, until: datetime) -> tuple[pl.DataFrame, pl.DataFrame | None, str]:
        vol = self._load(self.volatility_path) if self.volatility_path else None
        return self._load(self.path), vol, str(self.path)


class SqlPriceSource(PriceSource):
    """A table of prices (and optionally one of volatilities) in a SQL database, read as text."""

    def __init__(self, engine: sa.Engine, table: str, volatility_table: str | None, db_schema: str | None):
        self.engine, self.table, self.volatility_table, self.db_schema = engine, table, volatility_table, db_schema

    def _select(self, name: str, cols: list[str]) -> sa.Select:
        t = sa.table(name, *[sa.column(c) for c in cols], schema=self.db_schema)
        return sa.select(*[sa.cast(t.c[c], sa.Text).label(c) for c in cols])

    def _raw(self, since: datetime, until: datetime) -> tuple[pl.DataFrame, pl.DataFrame | None, str]:
        cols = list(PRICES.columns)
        t = sa.table(self.table, *[sa.column(c) for c in cols], schema=self.db_schema)
        query = self._select_window(t, cols, since, until)
        with self.engine.connect() as conn:
            rows = conn.execute(query).fetchall()
            vol_rows = conn.execute(self._select(self.volatility_table, list(VOLATILITY.columns))) \
                .fetchall() if self.volatility_table else None
        prices = pl.DataFrame(rows, schema={c: pl.String() for c in cols}, orient="row")
        vol = pl.DataFrame(vol_rows, schema={c: pl.String() for c in VOLATILITY.columns}, orient="row") \
            if vol_rows is not None else None
        return prices, vol, f"table {self.table} at {self.engine.url.host or 'local'}"

    @staticmethod
    def _select_window(t: sa.TableClause, cols: list[str], since: datetime, until: datetime) -> sa.Select:
        return sa.select(*[sa.cast(t.c[c], sa.Text).label(c) for c in cols]).where(
            t.c.observed_at >= sa.bindparam("since", since), t.c.observed_at <= sa.bindparam("until", until))


class HttpPriceSource(PriceSource):
    """GET <url>?since=..&until=.. answering {"prices": [{asset, quote, price, observed_at}],
    "volatility": [{asset, annual_vol}]}; numbers are read as Decimal straight from the JSON text."""

    def __init__(self, url: str, timeout: float, policy: RetryPolicy) -> None:
        self.url, self.timeout, self.policy = url, timeout, policy

    def _fetch(self, since: datetime, until: datetime) -> dict:
        query = urlencode({"since": since.isoformat(), "until": until.isoformat()})
        request = urllib.request.Request(f"{self.url}?{query}", headers={"Accept": "application/json"})  # noqa: S310

        def attempt() -> dict:
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as reply:  # noqa: S310
                    return json.loads(reply.read(), parse_float=Decimal, parse_int=Decimal)
            except urllib.error.HTTPError as exc:
                if exc.code == 429 or exc.code >= 500:
                    raise TransientError(f"HTTP {exc.code}") from None
                raise PriceSourceError(f"price endpoint answered HTTP {exc.code}") from None
            except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
                raise TransientError(type(exc).__name__) from None

        try:
            return with_retries(attempt, self.policy, "price endpoint")
        except ChainReadError as exc:
            raise PriceSourceError(str(exc)) from None

    def _raw(self, since: datetime, until: datetime) -> tuple[pl.DataFrame, pl.DataFrame | None, str]:
        body = self._fetch(since, until)
        prices = _json_rows(body.get("prices", []), list(PRICES.columns))
        vol = _json_rows(body["volatility"], list(VOLATILITY.columns)) if body.get("volatility") else None
        return prices, vol, "price endpoint"


def _json_rows(rows: list[dict], cols: list[str]) -> pl.DataFrame:
    def text(v: object) -> str | None:
        return None if v is None else format(v, "f") if isinstance(v, Decimal) else str(v)
    return pl.DataFrame([{c: text(r.get(c)) for c in cols} for r in rows],
                        schema={c: pl.String() for c in cols})


class PriceResource(SqlEngineResource):
    """kind "file" (path [, volatility_path]), "sql" (url, table [, volatility_table]) or "http" (url).

    `config_file` (JSON, read at run time) may carry the same fields under "prices"; they fill what
    is not set here.
    """

    config_file: str | None = None
    kind: str | None = None
    path: str | None = Field(default=None, description="CSV or Parquet of prices (file).")
    volatility_path: str | None = Field(default=None, description="CSV or Parquet of asset, annual_vol.")
    url: str | None = Field(default=None, description="SQLAlchemy URL (sql) or endpoint URL (http).")
    table: str = "prices"
    volatility_table: str | None = None
    db_schema: str | None = None
    timeout_seconds: float = 10.0
    retry_attempts: int = 4
    retry_base_delay: float = 0.25

    def settings(self) -> dict:
        mine = {k: v for k, v in self.model_dump().items() if v is not None and k != "config_file"}
        if not self.config_file:
            return mine
        try:
            section = load_json(self.config_file, "RECON_CREDIT_CONFIG").get("prices", {})
        except (OSError, ValueError, ConfigurationError) as exc:
            raise PriceSourceError(f"price configuration {self.config_file}: {exc}") from exc
        return {**section, **{k: v for k, v in mine.items() if k in self.model_fields_set}}

    def source(self) -> PriceSource:
        s = self.settings()
        kind, path, url = s.get("kind", "file"), s.get("path"), s.get("url")
        if kind == "file":
            if not path:
                raise PriceSourceError("price kind 'file' needs path (a CSV or Parquet file)")
            vol = s.get("volatility_path")
            return FilePriceSource(Path(path), Path(vol) if vol else None)
        if kind == "sql":
            if not url:
                raise PriceSourceError("price kind 'sql' needs url (a SQLAlchemy URL)")
            url = url.replace("postgresql://", "postgresql+psycopg://", 1)
            return SqlPriceSource(self.engine(url), s.get("table", "prices"),
                                  s.get("volatility_table"), s.get("db_schema"))
        if kind == "http":
            if not url:
                raise PriceSourceError("price kind 'http' needs url (the endpoint)")
            return HttpPriceSource(url, float(s.get("timeout_seconds", 10)),
                                   RetryPolicy(int(s.get("retry_attempts", 4)),
                                               float(s.get("retry_base_delay", 0.25))))
        raise PriceSourceError(f"price kind must be 'file', 'sql' or 'http', not {kind!r}")
