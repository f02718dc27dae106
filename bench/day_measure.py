"""What a bench run measures beside the clock: the process's memory, the rows each step wrote to Postgres,
and a digest of every output table (so a re-run that changed nothing is proven, not assumed).

Rows written per step: while the job runs, a sampler notes the transaction id Postgres would assign next
(with the process's RSS); after it, every row of schema recon whose xmin falls inside a step's window is
that step's (inserted or updated by it: a no-op update writes a row too, a delete writes none).
"""

from __future__ import annotations

import threading
import time

import sqlalchemy as sa

from stores.identifiers import names, render

_NEXT_XID = "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint"
# Differ between any two runs by design: who ran it and when.
VOLATILE_TYPES = ("timestamp with time zone", "timestamp without time zone")
VOLATILE_NAMES = ("run_id", "first_run_id", "last_run_id", "opened_by_run_id", "breaker_id", "status_note",
                  "summary", "audit_id", "ingested_by_run_id")
RUN_RECORDS = ("runs", "audit_log", "schema_migrations")  # a run's own record: a re-run adds to them


def rss_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith(field))


class Sampler:
    """RSS every 50 ms, Postgres's next transaction id every 100 ms, on a thread of their own."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.rss: list[tuple[float, int]] = []
        self.xids: list[tuple[float, int]] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        with self.engine.connect() as conn:
            tick = 0
            while not self._done.is_set():
                now = time.time()
                self.rss.append((now, rss_kb("VmRSS")))
                if tick % 2 == 0:
                    self.xids.append((now, int(conn.exec_driver_sql(_NEXT_XID).scalar_one())))
                    conn.rollback()
                tick += 1
                self._done.wait(0.05)
            self.xids.append((time.time(), int(conn.exec_driver_sql(_NEXT_XID).scalar_one())))

    def peak_mb(self, start: float, end: float) -> float:
        return max((r for t, r in self.rss if start <= t <= end + 0.05), default=0) / 1024

    def xid_at(self, at: float, after: bool) -> int:
        """The next xid seen just before `at` (a step's start) or just after it (a step's end)."""
        if after:
            return next((x for t, x in self.xids if t >= at), self.xids[-1][1])
        return next((x for t, x in reversed(self.xids) if t <= at), self.xids[0][1])


def rows_by_xid(engine: sa.Engine, low: int) -> dict[int, dict[str, int]]:
    """xid -> table -> rows of schema recon written by that transaction, for xids >= low."""
    out: dict[int, dict[str, int]] = {}
    with engine.connect() as conn:
        tables = [r[0] for r in conn.exec_driver_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'recon' ORDER BY tablename")]
        for table in tables:
            for xid, n in conn.execute(sa.text(render(
                    "SELECT xmin::text::bigint, count(*) FROM recon.{table} WHERE xmin::text::bigint >= :low "
                    "GROUP BY 1", table=table)), {"low": int(low)}):
                out.setdefault(int(xid), {})[table] = int(n)
    return out


def written_between(by_xid: dict[int, dict[str, int]], low: int, high: int) -> dict[str, int]:
    total: dict[str, int] = {}
    for xid, tables in by_xid.items():
        if low <= xid < high:
            for table, n in tables.items():
                total[table] = total.get(table, 0) + n
    return total


def table_digests(engine: sa.Engine) -> dict[str, tuple[int, str]]:
    """Every table of schema recon: row count and an md5 over its rows, volatile columns left out."""
    out = {}
    with engine.connect() as conn:
        tables = [r[0] for r in conn.exec_driver_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'recon' ORDER BY tablename")]
        for table in tables:
            cols = [c for c, t in conn.execute(sa.text(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'recon' "
                "AND table_name = :t ORDER BY ordinal_position"), {"t": table})
                if t not in VOLATILE_TYPES and c not in VOLATILE_NAMES]
            if not cols:
                continue
            n, digest = conn.exec_driver_sql(render(
                "SELECT count(*), md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) "
                "FROM (SELECT ROW({row})::text AS r FROM recon.{table}) x", row=names(cols), table=table)).one()
            out[table] = (int(n), str(digest))
    return out


def changed_tables(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> dict[str, str]:
    """Output tables whose content differs (the run records aside), with the row counts before -> after."""
    return {t: f"{before.get(t, (0, ''))[0]} -> {after.get(t, (0, ''))[0]} rows"
            for t in sorted(set(before) | set(after))
            if t not in RUN_RECORDS and before.get(t) != after.get(t)}
