"""The discrepancy lifecycle and the flags payout systems read, kept in Postgres."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import polars as pl
import sqlalchemy as sa

from recon.discrepancies import FRAME_SCHEMA
from recon.kinds import OPEN_STATUSES, PEOPLE_STATUSES
from recon.sql import postgres_sql
from stores.pg_writer import stage

_UPSERT = postgres_sql("upsert_discrepancies")

_CLEAR = postgres_sql("close_cleared_discrepancies")

_OPEN_FLAGS = postgres_sql("insert_flags")


def partition_cutoff(partition_key: str) -> datetime:
    """A partition's read time: a business day's end (UTC), or an intraday window's end."""
    day = date.fromisoformat(partition_key[:10])
    if len(partition_key) == 10:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC) - timedelta(microseconds=1)
    start = datetime.combine(day, time.fromisoformat(partition_key[11:]), tzinfo=UTC)
    return start + timedelta(minutes=30)


@dataclass
class RecordResult:
    inserted: int = 0
    updated: int = 0
    cleared: int = 0
    flags_opened: list[dict[str, Any]] = field(default_factory=list)
    # First sightings worth waking someone for: critical findings and unavailable sources.
    alerts: list[dict[str, Any]] = field(default_factory=list)


def record(
    conn: sa.Connection,
    detector: str,
    partition_key: str,
    found: pl.DataFrame,
    run_id: str,
    complete: bool = True,
    cutoff: datetime | None = None,
) -> RecordResult:
    """Upsert what `detector` found for `partition_key`; close what it no longer finds.

    `detector` names everything one call covers, so closing never touches another check's findings.
    With complete=False (a source was unavailable) nothing is closed: missing data clears nothing. A
    finding is closed only by a read at a cut-off (default: the partition's end) no earlier than the one
    that last saw it. A finding the data had cleared that is found again alerts again. An open flag keeps
    the tier and reason of its finding's first sighting, whichever day ran first.
    """
    if list(found.columns) != list(FRAME_SCHEMA):
        raise ValueError(f"discrepancy frame columns must be {list(FRAME_SCHEMA)}; got {found.columns}")
    stage(conn, "discrepancies", found, "_found")
    params = {"detector": detector, "p": partition_key, "run": run_id,
              "cutoff": cutoff or partition_cutoff(partition_key)}
    inserted, updated, alerts = conn.execute(sa.text(_UPSERT), params).one()
    cleared = conn.execute(sa.text(_CLEAR), {**params, "open_statuses": list(OPEN_STATUSES)}).rowcount \
        if complete else 0
    opened = [dict(r._mapping) for r in conn.execute(sa.text(_OPEN_FLAGS), {"run": run_id, "p": partition_key})]
    for flag in opened:
        audit(conn, "system", f"{flag['kind']}_opened", f"{flag['scope_type']}:{flag['scope_id']}",
              {"breaker_id": flag["breaker_id"], "tier": flag["tier"], "reason": flag["reason"],
               "run_id": run_id})
    return RecordResult(int(inserted), int(updated), int(cleared), opened, list(alerts))


def audit(conn: sa.Connection, actor: str, action: str, subject: str, details: dict[str, Any]) -> None:
    conn.execute(
        sa.text(postgres_sql("insert_audit_row")),
        {"a": actor, "act": action, "s": subject, "d": json.dumps(details, default=str)},
    )


def set_status(conn: sa.Connection, key: str, status: str, by: str, note: str) -> None:
    """A person's decision on a discrepancy; kept across re-runs and audited."""
    if status not in PEOPLE_STATUSES:
        raise ValueError(f"status must be one of {PEOPLE_STATUSES}")
    if not by.strip() or not note.strip():
        raise ValueError("say who you are and why: both --by and --note are required")
    row = conn.execute(
        sa.text(postgres_sql("set_discrepancy_status")),
        {"s": status, "b": by, "n": note, "k": key},
    ).first()
    if row is None:
        raise KeyError(f"no discrepancy with key {key!r}")
    audit(conn, by, f"discrepancy_{status}", key, {"note": note})


def clear_flag(conn: sa.Connection, breaker_id: int, by: str, reason: str) -> dict[str, Any]:
    """Only a person clears a circuit breaker or payout suspension, with a reason; audited."""
    if not by.strip() or not reason.strip():
        raise ValueError("clearing a breaker needs who (--by) and why (--reason)")
    row = conn.execute(
        sa.text(postgres_sql("clear_flag")),
        {"b": by, "r": reason, "id": breaker_id},
    ).first()
    if row is None:
        raise KeyError(f"no open breaker with id {breaker_id}")
    flag = dict(row._mapping)
    audit(conn, by, f"{flag['kind']}_cleared", f"{flag['scope_type']}:{flag['scope_id']}",
          {"breaker_id": breaker_id, "reason": reason})
    return flag
