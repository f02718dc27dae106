"""The demo week's output store, normalised, against the committed golden copy of it.

Every table of schema `recon` is read whole. What differs from one run of the same week to the next is
left out: run ids (Dagster's), wall-clock timestamps (columns defaulting to now()), serial ids, the
week's temporary folder and the demo servers' ports. Rows are sorted, so the order of writes does not
count. `make golden` writes the file again when a change of behaviour is meant.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from stores.identifiers import render
from stores.warehouse import Warehouse

GOLDEN = Path(__file__).with_name("demo_outputs.json.gz")
UPDATE_VARIABLE = "RECON_GOLDEN_UPDATE"
# Set by the clock or the process rather than by the inputs (no now() default, written by the code).
VOLATILE = {("runs", "finished_at"), ("runs", "heartbeat_at"), ("listener_status", "instance"),
            ("listener_status", "last_message_at"), ("listener_status", "started_at"),
            ("notifications", "published_at"), ("notifications", "received_at"),
            ("notification_checks", "published_at"), ("notification_checks", "received_at"),
            ("notification_checks", "checked_at"), ("notification_checks", "flag_id"),
            ("ingested_files", "mtime_ns")}
# The same inside JSON documents: a process id, serial ids.
VOLATILE_KEYS = {"runner_pid", "breaker_id"}
_COLUMNS = """
SELECT c.table_name, c.column_name, c.data_type, coalesce(c.column_default, '') AS dflt
FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
WHERE c.table_schema = 'recon' AND t.table_type = 'BASE TABLE'
ORDER BY c.table_name, c.ordinal_position
"""
_PORT = re.compile(r"127\.0\.0\.1:\d+|localhost:\d+")


def _kept(table: str, column: str, data_type: str, default: str) -> bool:
    if column == "run_id" or column.endswith("_run_id") or (table, column) in VOLATILE:
        return False
    if "nextval(" in default or "now()" in default:
        return False
    return not (table == "schema_migrations" and column in ("applied_at", "checksum"))


def _plain(value: Any, replace: dict[str, str]) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v, replace) for k, v in sorted(value.items()) if k not in VOLATILE_KEYS}
    if isinstance(value, list | tuple):
        return [_plain(v, replace) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, str):
        for old, new in replace.items():
            value = value.replace(old, new)
        return _PORT.sub("127.0.0.1:<port>", value)
    return value


def snapshot(warehouse: Warehouse, home: Path) -> dict[str, dict[str, Any]]:
    """{table: {columns, digest, rows}} of every table in schema recon, normalised and sorted."""
    columns: dict[str, list[str]] = {}
    for c in warehouse.rows(_COLUMNS):
        columns.setdefault(c["table_name"], [])
        if _kept(c["table_name"], c["column_name"], c["data_type"], c["dflt"]):
            columns[c["table_name"]].append(c["column_name"])
    replace = {r["run_id"]: "<run>" for r in warehouse.rows("SELECT run_id FROM recon.runs")}
    replace[str(home)] = "<home>"
    out = {}
    for table, names in sorted(columns.items()):
        rows = [[_plain(r[n], replace) for n in names]
                for r in warehouse.rows(render("SELECT * FROM recon.{table}", table=table))]
        text = sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)
        digest = hashlib.sha256("\n".join(text).encode()).hexdigest()
        out[table] = {"columns": names, "digest": digest, "rows": [json.loads(t) for t in text]}
    return out


def write_golden(snap: dict[str, dict[str, Any]]) -> None:
    with gzip.open(GOLDEN, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(snap, f, indent=0, sort_keys=True)
        f.write("\n")


def read_golden() -> dict[str, dict[str, Any]]:
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as f:
        data: dict[str, dict[str, Any]] = json.load(f)
    return data


def differences(golden: dict[str, dict[str, Any]], now: dict[str, dict[str, Any]]) -> list[str]:
    """One readable line per table that differs: its missing and extra rows, a few of each."""
    out = []
    for table in sorted(set(golden) | set(now)):
        g, n = golden.get(table), now.get(table)
        if g is None or n is None:
            out.append(f"{table}: {'new table' if g is None else 'table gone'}")
        elif g["columns"] != n["columns"]:
            out.append(f"{table}: columns {g['columns']} -> {n['columns']}")
        elif g["digest"] != n["digest"]:
            gone = [r for r in map(json.dumps, g["rows"]) if r not in set(map(json.dumps, n["rows"]))]
            new = [r for r in map(json.dumps, n["rows"]) if r not in set(map(json.dumps, g["rows"]))]
            out.append(f"{table}: {len(g['rows'])} -> {len(n['rows'])} rows; gone {gone[:3]}; new {new[:3]}")
    return out


def check_or_update(warehouse: Warehouse, home: Path) -> list[str]:
    """The differences from the golden copy; with RECON_GOLDEN_UPDATE=1 it writes the copy instead."""
    now = snapshot(warehouse, home)
    if os.environ.get(UPDATE_VARIABLE) == "1":
        write_golden(now)
        return []
    if not GOLDEN.exists():
        return [f"no golden copy at {GOLDEN}: `make golden` writes it"]
    return differences(read_golden(), now)
