"""The output store: Postgres through SQLAlchemy 2.1 + psycopg 3, embedded when no URL is given."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import polars as pl
import sqlalchemy as sa

from clients.notifier import Alert, Notifier
from embedded.postgres import DatabaseUnavailable, embedded_url, to_sqlalchemy_url
from recon.sql import postgres_sql
from stores import pg_discrepancies, pg_migrations
from stores.identifiers import render
from stores.pg_writer import WriteStats, write_rows

EMBEDDED = "embedded"
STATEMENT_TIMEOUT_MS = 30 * 60 * 1000  # the longest statement (a day of a 1 GB file) is minutes
IDLE_IN_TRANSACTION_MS = 10 * 60 * 1000  # a client that died mid-transaction frees its locks

# A source's entry keeps its weakest state across the assets that read it in one run.
_SOURCE_SQL = postgres_sql("update_run_source")

# Databases this process has found (or made) current: each is checked once per process, not per connect.
_CURRENT: set[str] = set()

__all__ = ["EMBEDDED", "DatabaseUnavailable", "Warehouse", "WriteStats"]


class Warehouse:
    """Plain handle on the output store; Dagster, the CLI and tests all use it."""

    def __init__(self, engine: sa.Engine, embedded: bool, webhook_url: str | None = None) -> None:
        self.engine = engine
        self.embedded = embedded
        self.notifier = Notifier(webhook_url, self.audit)

    @classmethod
    def connect(cls, url: str | None = None, upgrade: bool = True, webhook_url: str | None = None) -> Warehouse:
        url = url or os.environ.get("RECON_DATABASE_URL") or EMBEDDED
        embedded = url == EMBEDDED
        sa_url = embedded_url() if embedded else to_sqlalchemy_url(url)  # type: ignore[arg-type]
        engine = sa.create_engine(sa_url, pool_pre_ping=True, pool_timeout=30,
                                  connect_args=session_settings())
        _check_reachable(engine, embedded)
        wh = cls(engine, embedded, webhook_url)
        if upgrade:
            wh.ensure_current()
            wh.notifier.report_setting_problem()
        return wh

    def ensure_current(self) -> list[str]:
        """Once per process and database: apply what is pending (under the migration lock), else nothing.

        A current schema costs one read and takes no lock, so a step or a command never waits behind
        another session's upgrade it does not need."""
        if self._key in _CURRENT:
            return []
        return self.upgrade() if pg_migrations.pending(self.engine) else self._mark_current([])

    def upgrade(self) -> list[str]:
        """Apply pending migrations and re-apply the analyst grants (`recon db upgrade`)."""
        return self._mark_current(pg_migrations.upgrade(self.engine))

    @property
    def _key(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def _mark_current(self, applied: list[str]) -> list[str]:
        _CURRENT.add(self._key)
        return applied

    def write(
        self,
        table: str,
        rows: pl.DataFrame,
        key: Sequence[str],
        replace_where: Mapping[str, object] | None = None,
    ) -> WriteStats:
        with self.engine.begin() as conn:
            return write_rows(conn, table, rows, key, replace_where)

    def record_discrepancies(
        self, detector: str, partition_key: str, found: pl.DataFrame, run_id: str, complete: bool = True,
        cutoff: datetime | None = None,
    ) -> pg_discrepancies.RecordResult:
        """Record a detector's findings (see pg_discrepancies.record), then alert on what just opened."""
        with self.engine.begin() as conn:
            result = pg_discrepancies.record(conn, detector, partition_key, found, run_id, complete, cutoff)
        self.notifier.send(f"reserve-recon {detector} {partition_key}", alerts_for(result, run_id))
        return result

    def audit(self, actor: str, action: str, subject: str, details: dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            pg_discrepancies.audit(conn, actor, action, subject, details)

    def start_run(
        self, kind: str, partition_key: str, cutoffs: Mapping[str, Any], inputs: Mapping[str, Any],
        run_id: str | None = None,
    ) -> str:
        run_id = run_id or uuid.uuid4().hex
        with self.engine.begin() as conn:
            conn.execute(
                sa.text(
                    postgres_sql("upsert_run")
                ),
                {"r": run_id, "k": kind, "p": partition_key,
                 "c": json.dumps(dict(cutoffs), default=str), "i": json.dumps(dict(inputs), default=str)},
            )
        return run_id

    def finish_run(self, run_id: str, status: str, summary: Mapping[str, Any],
                   only_if_running: bool = False) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.text(postgres_sql("finish_run")), {
                "s": status, "m": json.dumps(dict(summary), default=str), "r": run_id,
                "only_if_running": only_if_running})

    def record_sources(self, run_id: str, kind: str, partition_key: str,
                       sources: Mapping[str, Mapping[str, Any]]) -> None:
        """Per source read in this run: its state, reason and cut-off (the weakest read of a source wins)."""
        self.start_run(kind, partition_key, {}, {}, run_id=run_id)
        with self.engine.begin() as conn:
            for name, record in sources.items():
                conn.execute(sa.text(_SOURCE_SQL), {"r": run_id, "n": name,
                                                    "v": json.dumps(dict(record), default=str)})

    def mark_interrupted(self, alive: Callable[[str], bool], max_age_hours: float, except_run: str) -> list[str]:
        """Close `running` rows whose run is no longer alive, or older than the bound, as interrupted."""
        stale = self.rows(postgres_sql("select_running_runs"),
                          age=max_age_hours * 3600, me=except_run)
        gone = [r["run_id"] for r in stale if r["old"] or not alive(r["run_id"])]
        for run_id in gone:
            self.finish_run(run_id, "interrupted", {"interrupted": f"found still running by run {except_run}"},
                            only_if_running=True)
        return gone

    def rows(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        """Read a small result as dicts (NUMERIC arrives as Decimal, never float)."""
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.text(sql), params)]

    def query(self, sql: str, **params: Any) -> pl.DataFrame:
        """Read a small result into Polars. NUMERIC wider than Decimal(38) (raw token units) comes as text."""
        with self.engine.connect() as conn:
            result = conn.execute(sa.text(sql), params)
            names = list(result.keys())
            rows = [tuple(r) for r in result]
        if not rows:
            return pl.DataFrame(schema=names)
        wide = {i for r in rows for i, v in enumerate(r)
                if isinstance(v, Decimal) and len(v.as_tuple().digits) > 38}
        if wide:
            rows = [tuple(str(v) if i in wide and v is not None else v for i, v in enumerate(r)) for r in rows]
        return pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)

    def table_counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            tables = [r[0] for r in conn.execute(sa.text(postgres_sql("list_output_tables")))]
            count = postgres_sql("count_table_rows")
            return {t: conn.exec_driver_sql(render(count, table=t)).scalar_one() for t in tables}

    def analyst_url(self) -> str:
        """The URL an analyst uses: same server and database, read-only role (libpq form, for psql).

        The password is RECON_ANALYST_PASSWORD, else the one generated for an embedded server.
        """
        password = os.environ.get("RECON_ANALYST_PASSWORD") or self._embedded_secret("analyst")
        return libpq_url(self.engine.url.set(username="recon_analyst", password=password))

    def _embedded_secret(self, role: str) -> str | None:
        try:
            with self.engine.connect() as conn:
                data_dir = conn.execute(sa.text(postgres_sql("show_data_directory"))).scalar_one()
        except sa.exc.DBAPIError:
            return None  # not allowed to know: not a server of ours
        path = Path(data_dir).with_name(f"{Path(data_dir).name}.{role}-password")
        return path.read_text().strip() if path.is_file() else None

    def admin_url(self) -> str:
        return libpq_url(self.engine.url)


def session_settings() -> dict[str, Any]:
    """Every wait of the suite's sessions is bounded: connecting, each lock, each statement, and a
    transaction left idle. RECON_LOCK_TIMEOUT_S (default 60) is the longest a lock is waited for."""
    lock_s = int(os.environ.get("RECON_LOCK_TIMEOUT_S") or 60)
    return {"connect_timeout": 10, "application_name": "reserve-recon",
            "options": f"-c lock_timeout={lock_s * 1000} -c statement_timeout={STATEMENT_TIMEOUT_MS} "
                       f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}"}


def libpq_url(url: sa.URL) -> str:
    """postgresql://user[:password]@host:port/db, or ?host=/socket/dir for the embedded server."""
    auth = quote(url.username or "", safe="")
    if url.password:
        auth += ":" + quote(str(url.password), safe="")
    netloc = url.host or ""
    if url.port:
        netloc += f":{url.port}"
    query = "&".join(f"{k}={v}" for k, v in url.query.items())
    return f"postgresql://{auth}@{netloc}/{url.database}" + (f"?{query}" if query else "")


def alerts_for(result: pg_discrepancies.RecordResult, run_id: str) -> list[Alert]:
    alerts = [
        Alert("breaker_opened" if f["kind"] == "circuit_breaker" else "payout_suspended",
              f"{f['scope_type']}:{f['scope_id']}", f"{f['tier']}: {f['reason']}",
              {"breaker_id": f["breaker_id"], "run_id": run_id})
        for f in result.flags_opened
    ]
    alerts += [
        Alert("source_unavailable" if a["type"] == "source_unavailable" else "critical_discrepancy",
              f"{a['scope_type']}:{a['scope_id']}", a["summary"],
              {"discrepancy_key": a["discrepancy_key"], "run_id": run_id})
        for a in result.alerts
    ]
    return alerts


def _check_reachable(engine: sa.Engine, embedded: bool) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(postgres_sql("check_connection")))
    except sa.exc.OperationalError as exc:
        where = engine.url.render_as_string(hide_password=True)
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        hint = ("the embedded server under .recon/ is not answering; run `recon db stop` and retry"
                if embedded else
                "check RECON_DATABASE_URL (host, port, database, user, password) and that the server "
                "is up, or unset it to use the embedded server")
        raise DatabaseUnavailable(f"Cannot connect to the output database at {where}: {first}. "
                                  f"What to do: {hint}.") from exc

