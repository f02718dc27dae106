"""The one writer: COPY a frame into a staging table, then upsert by natural key, in one transaction."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl
import sqlalchemy as sa

from recon.stored_amounts import at_source_scale

_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_COPY_BATCH_ROWS = 200_000
_NESTED = (pl.List, pl.Struct, pl.Array, pl.Object)
# Which run wrote a row is not what the row says: a re-run that finds the same leaves the row (and the run
# that last changed it) as it is, so rewriting an unchanged partition writes nothing.
_NOT_CONTENT = frozenset({"run_id"})


@dataclass(frozen=True)
class WriteStats:
    inserted: int
    updated: int
    deleted: int

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.deleted


def ident(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"{name!r} is not a plain lower-case SQL identifier")
    return name


def table_columns(conn: sa.Connection, table: str) -> set[str]:
    rows = conn.execute(
        sa.text(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'recon' AND table_name = :t"
        ),
        {"t": table},
    )
    cols = {r[0] for r in rows}
    if not cols:
        raise ValueError(f"recon.{table} does not exist; run `recon db upgrade`")
    return cols


def copy_frame(conn: sa.Connection, target: str, rows: pl.DataFrame) -> None:
    """Bulk-load `rows` into `target` with COPY; Decimals travel as exact text."""
    nested = [c for c, t in rows.schema.items() if isinstance(t, _NESTED)]
    if nested:
        raise ValueError(f"columns {nested} are nested; serialise them to JSON text first")
    cols = ", ".join(ident(c) for c in rows.columns)
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(
        f"COPY {target} ({cols}) FROM STDIN (FORMAT csv, NULL '\\N')"
    ) as copy:
        for chunk in rows.iter_slices(_COPY_BATCH_ROWS):
            buf = io.BytesIO()
            # non_numeric quoting keeps an empty string apart from NULL (\N, unquoted).
            chunk.write_csv(buf, include_header=False, null_value="\\N", quote_style="non_numeric")
            copy.write(buf.getvalue())


def stage(conn: sa.Connection, table: str, rows: pl.DataFrame, name: str = "_stage") -> None:
    """`rows` into a temp table shaped like recon.<table>; money at its source scale, not padded."""
    rows = at_source_scale(table, rows)
    cols = ", ".join(ident(c) for c in rows.columns)
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE {name} ON COMMIT DROP AS SELECT {cols} FROM recon.{ident(table)} WITH NO DATA"
    )
    copy_frame(conn, name, rows)
    # Temp tables are never auto-analysed; the planner needs their size to pick a hash anti join.
    conn.exec_driver_sql(f"ANALYZE {name}")


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
    col_list = ", ".join(cols)
    non_key = [c for c in cols if c not in key]
    compared = [c for c in non_key if c not in _NOT_CONTENT]
    if compared:
        sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in non_key)
        old = ", ".join(f"t.{c}" for c in compared)
        new = ", ".join(f"EXCLUDED.{c}" for c in compared)
        # As text: 250.00 and 250.000 are equal numbers, but a row's scale is part of what was sent.
        conflict = f"DO UPDATE SET {sets} WHERE ROW({old})::text IS DISTINCT FROM ROW({new})::text"
    else:
        conflict = "DO NOTHING"
    upsert = (
        f"WITH up AS (INSERT INTO recon.{table} AS t ({col_list}) SELECT {col_list} FROM _stage "
        f"ON CONFLICT ({', '.join(key)}) {conflict} RETURNING (xmax = 0) AS ins) "
        f"SELECT count(*) FILTER (WHERE ins), count(*) FILTER (WHERE NOT ins) FROM up"
    )
    inserted, updated = conn.exec_driver_sql(upsert).one()

    deleted = 0
    if replace_where:
        where = " AND ".join(f"t.{ident(c)} = :w_{c}" for c in replace_where)
        same_key = " AND ".join(f"s.{k} = t.{k}" for k in key)
        # The rows just upserted are not in the table's statistics yet, so the planner may think the
        # partition holds one row and pick a nested loop over the whole stage: quadratic on a large day.
        conn.exec_driver_sql("SET LOCAL enable_nestloop = off")
        result = conn.execute(
            sa.text(
                f"DELETE FROM recon.{table} t WHERE {where} "
                f"AND NOT EXISTS (SELECT 1 FROM _stage s WHERE {same_key})"
            ),
            {f"w_{c}": v for c, v in replace_where.items()},
        )
        deleted = result.rowcount
        conn.exec_driver_sql("SET LOCAL enable_nestloop = on")
    return WriteStats(int(inserted), int(updated), int(deleted))
