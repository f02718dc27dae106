"""The findings kit every source-reading asset uses: read-or-unknown, the run's per-source record,
source_unavailable findings, and the same metadata keys everywhere (recon/sources.py holds the states)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar

import dagster as dg
import polars as pl
import sqlalchemy as sa

from clients.folder_source import StatementSource
from recon import sources as S
from recon.discrepancies import discrepancy_frame
from recon.ledger.tables import LedgerTable
from recon.sql import postgres_sql
from resources.drop_folder import StatementsResource
from resources.ledger import LedgerResource
from stores.identifiers import ident, names, render
from stores.pg_discrepancies import partition_cutoff
from stores.warehouse import Warehouse

T = TypeVar("T")

# A `running` row older than this is interrupted whatever its run's state says.
STALE_RUN_HOURS = 6.0
_begun: set[str] = set()
# Set by the runner on SIGTERM: no source is read after it, the step is interrupted (never retried).
stop_requested = threading.Event()


def run_kind(partition_key: str) -> str:
    return "daily" if len(partition_key) == 10 else "intraday"


def begin(context: dg.AssetExecutionContext, wh: Warehouse) -> None:
    """Once per run and process: the run's row exists, and stale `running` rows of others are interrupted."""
    if stop_requested.is_set():
        raise dg.DagsterExecutionInterruptedError("stopped by SIGTERM")
    run_id = context.run.run_id
    if run_id in _begun:
        return
    wh.start_run(run_kind(context.partition_key), context.partition_key, {}, {}, run_id=run_id)
    wh.mark_interrupted(lambda r: _alive(context.instance, wh, r), STALE_RUN_HOURS, run_id)
    _begun.add(run_id)


_LOCKED = postgres_sql("select_partition_lock_holder")
RUN_LOCK_CLASS = 7812


def _alive(instance: dg.DagsterInstance, wh: Warehouse, run_id: str) -> bool:
    """A run started by the runner holds a session lock while it lives (a kill -9 drops it); any other
    is alive while Dagster has it unfinished."""
    row = wh.rows(_LOCKED, cls=RUN_LOCK_CLASS, r=run_id)[0]
    if row["in_process"]:
        return bool(row["locked"])
    run = instance.get_run_by_id(run_id)
    return run is not None and not run.is_finished


def read(context: dg.AssetExecutionContext, wh: Warehouse, source: str, fn: Callable[[], T],
         cutoff: datetime | str | None = None) -> S.SourceRead[T]:
    """Read one source, never raising for it: complete, unavailable or not configured, recorded."""
    begin(context, wh)
    at = (cutoff.isoformat() if isinstance(cutoff, datetime) else cutoff) or \
        partition_cutoff(context.partition_key).isoformat()
    result = S.read_or_unknown(source, fn, at)
    record(context, wh, [result])
    return result


def record(context: dg.AssetExecutionContext, wh: Warehouse, reads: Iterable[S.SourceRead[object]]) -> None:
    """The run's record per source, and its source_unavailable finding opened (or, read complete, closed)."""
    begin(context, wh)
    p, run_id = context.partition_key, context.run.run_id
    reads = list(reads)
    wh.record_sources(run_id, run_kind(p), p, {r.source: r.record() for r in reads})
    for r in reads:
        if r.state == S.NOT_CONFIGURED:
            continue
        wh.record_discrepancies(f"source:{r.source}", p, discrepancy_frame(S.unavailable_findings([r])),
                                run_id, complete=r.complete)
        if not r.complete:
            context.log.warning(f"source {r.source} {r.state}: {r.reason}; its verdicts are unknown")


def run_states(wh: Warehouse, run_id: str, prefix: str) -> dict[str, str]:
    """States this run recorded for sources named `prefix`...: what an upstream asset read."""
    rows = wh.rows(postgres_sql("select_run_source_states"), r=run_id, p=prefix + "%")
    return {r["key"]: r["state"] for r in rows}


def ledger_table(context: dg.AssetExecutionContext, wh: Warehouse, ledger: LedgerResource, table: LedgerTable,
                 cutoff: datetime) -> S.SourceRead[pl.DataFrame]:
    """The partition's pinned snapshot of one ledger table (source `ledger.<table>`)."""
    return read(context, wh, f"ledger.{table.name}",
                lambda: ledger.source().snapshot(table, cutoff, context.partition_key).frame, cutoff)


def statements_source(statements: StatementsResource) -> StatementSource:
    """The drop folder, or NotConfigured: an empty setting is a state, never the working directory."""
    if not (statements.drop_folder or "").strip():
        raise S.NotConfigured("statement drop folder not configured (RECON_STATEMENTS_DIR is empty)")
    return statements.source()


def mark_unknown(wh: Warehouse, table: str, partition_key: str, run_id: str, column: str,
                 also: dict[str, str] | None = None) -> int:
    """Keep a partition's rows, but say their verdicts are unknown: its inputs could not be read."""
    values = {column: "unknown", **(also or {})}
    update = render(postgres_sql("mark_partition_unknown"), table=table, columns=names(list(values)),
                    values=", ".join(f":v_{ident(c)}" for c in values))
    with wh.engine.begin() as conn:
        return int(conn.execute(sa.text(update), {"run_id": run_id, "partition_key": partition_key,
                                                  **{f"v_{c}": v for c, v in values.items()}}).rowcount)


def metadata(reads: Iterable[S.SourceRead[object]], rows_in: int, verdicts_unknown: int
             ) -> dict[str, dg.MetadataValue]:
    """The same four keys on every source-reading asset, so the UI plots one figure across assets."""
    reads = list(reads)
    cutoffs = sorted({r.cutoff for r in reads if r.cutoff})
    meta: dict[str, dg.MetadataValue] = {S.META_STATE: dg.MetadataValue.text(S.overall_state(reads)),
            S.META_CUTOFF: dg.MetadataValue.text(cutoffs[-1] if cutoffs else "unknown"),
            S.META_ROWS_IN: dg.MetadataValue.int(rows_in),
            S.META_UNKNOWN: dg.MetadataValue.int(verdicts_unknown)}
    bad = {r.source: f"{r.state}: {r.reason}" for r in reads if not r.complete}
    if bad:
        meta["sources_not_read"] = dg.MetadataValue.json(bad)
    return meta
