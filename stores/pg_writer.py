"""The one writer: COPY a frame into a staging table, then upsert by natural key, in one transaction."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import sqlalchemy as sa

from recon.sql import postgres_sql
from recon.stored_amounts import at_source_scale
from stores.identifiers import ident, names, render

_COPY_BATCH_ROWS = 200_000
_NESTED = (pl.List, pl.Struct, pl.Array, pl.Object)


@dataclass(frozen=True)
class WriteStats:
    inserted: int
    updated: int
    deleted: int

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.deleted


def driver(conn: sa.Connection) -> Any:
    """The psycopg connection under a SQLAlchemy one (for COPY and scripts run as written)."""
    raw = conn.connection.driver_connection
    if raw is None:
        raise RuntimeError("the connection is closed")
    return raw


def table_columns(conn: sa.Connection, table: str) -> set[str]:
    rows = conn.execute(sa.text(postgres_sql("list_table_columns")), {"t": table})
    cols = {r[0] for r in rows}
    if not cols:
        raise ValueError(f"recon.{table} does not exist; run `recon db upgrade`")
    return cols


def copy_frame(conn: sa.Connection, target: str, rows: pl.DataFrame) -> None:
    """Bulk-load `rows` into `target` with COPY; Decimals travel as exact text."""
    nested = [c for c, t in rows.schema.items() if isinstance(t, _NESTED)]
    if nested:
        raise ValueError(f"columns {nested} are nested; serialise them to JSON text first")
    copy_sql = render(postgres_sql("copy_rows_from_stdin"), target=ident(target), columns=names(rows.columns))
    with driver(conn).cursor() as cur, cur.copy(copy_sql) as copy:
        for chunk in rows.iter_slices(_COPY_BATCH_ROWS):
            buf = io.BytesIO()
            # non_numeric quoting keeps an empty string apart from NULL (\N, unquoted).
            chunk.write_csv(buf, include_header=False, null_value="\\N", quote_style="non_numeric")
            copy.write(buf.getvalue())


def stage(conn: sa.Connection, table: str, rows: pl.DataFrame, name: str = "_stage") -> None:
    """`rows` into a temp table shaped like recon.<table>; money at its source scale, not padded."""
    rows = at_source_scale(table, rows)
    conn.exec_driver_sql(render(postgres_sql("drop_stage_table"), stage=name))
    conn.exec_driver_sql(render(postgres_sql("create_stage_table"), stage=name, columns=names(rows.columns),
                                table=table))
    copy_frame(conn, name, rows)
    conn.exec_driver_sql(render(postgres_sql("analyze_stage_table"), stage=name))


def write_rows(
    conn: sa.Connection,
    table: str,
    rows: pl.DataFrame,
    key: Sequence[str],
    replace_where: Mapping[str, object] | None = None,
) -> WriteStats:
    """Upsert `rows` into recon.<table> inside the caller's transaction."""
    rows = at_source_scale(table, rows)
    known = table_columns(conn, ident(table))
    unknown = [c for c in rows.columns if c not in known]
    if unknown:
        raise ValueError(f"recon.{table} has no column(s) {unknown}")
    missing_key = [k for k in key if k not in rows.columns]
    if missing_key:
        raise ValueError(f"key column(s) {missing_key} are not in the rows written to recon.{table}")
    if rows.height and rows.select(key).is_duplicated().any():
        dup = rows.filter(rows.select(key).is_duplicated()).select(key).head(3).to_dicts()
        raise ValueError(f"rows for recon.{table} repeat the key {list(key)}, e.g. {dup}")

    stage(conn, table, rows)
    cols = [ident(c) for c in rows.columns]
    non_key = [c for c in cols if c not in key]
    if non_key:
        upsert = render(postgres_sql("upsert_staged_rows"), table=table, columns=names(cols), key=names(key),
                        changing=names(non_key), incoming=names(non_key, "excluded"), current=names(non_key, "t"))
    else:
        upsert = render(postgres_sql("insert_staged_rows"), table=table, columns=names(cols), key=names(key))
    inserted, updated = conn.exec_driver_sql(upsert).one()

    deleted = 0
    if replace_where:
        scope = list(replace_where)
        delete = render(postgres_sql("delete_unstaged_rows"), table=table, scope=names(scope, "t"),
                        scope_values=", ".join(f":w_{ident(c)}" for c in scope),
                        stage_key=names(key, "s"), table_key=names(key, "t"))
        # The rows just upserted are not in the table's statistics yet, so the planner may think the
        # partition holds one row and pick a nested loop over the whole stage: quadratic on a large day.
        conn.exec_driver_sql(postgres_sql("disable_nested_loops"))
        result = conn.execute(sa.text(delete), {f"w_{c}": v for c, v in replace_where.items()})
        deleted = result.rowcount
        conn.exec_driver_sql(postgres_sql("enable_nested_loops"))
    return WriteStats(int(inserted), int(updated), int(deleted))
