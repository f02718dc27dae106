"""Applying a custodial reconcile plan: one transaction per user, the row locked, every change audited.

A user whose balance moved since the plan was read is skipped (reported), never overwritten blindly;
a failure on one user rolls back that user only and the rest carry on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
import sqlalchemy as sa

from recon.reserves.custodial import CHANGES
from recon.sql import postgres_sql
from stores.identifiers import render, schema


@dataclass
class ApplyReport:
    applied: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)


def _sql(ledger_schema: str) -> dict[str, sa.TextClause]:
    checked = schema(ledger_schema, allowed=[ledger_schema])  # the configured one, if a plain name
    return {key: sa.text(render(postgres_sql(name), schema=checked)) for key, name in (
        ("lock", "lock_custodial_balance"), ("update", "update_custodial_balance"),
        ("insert", "insert_custodial_balance"), ("audit", "insert_custodial_balance_audit"))}


def apply_plan(engine: sa.Engine, schema: str, plan: pl.DataFrame, by: str) -> ApplyReport:
    sql, report = _sql(schema), ApplyReport()
    for row in plan.iter_rows(named=True):
        if row["action"] == "refuse_negative":
            report.skipped.append({**row, "reason": "negative chain balance refused"})
        if row["action"] not in CHANGES:
            continue
        try:
            with engine.begin() as conn:
                outcome = _one(conn, sql, row, by)
        except sa.exc.SQLAlchemyError as exc:
            report.failed.append({**row, "reason": str(getattr(exc, "orig", exc)).strip().splitlines()[0]})
            continue
        (report.applied if outcome is None else report.skipped).append(
            row if outcome is None else {**row, "reason": outcome})
    return report


def _one(conn: sa.Connection, sql: dict[str, sa.TextClause], row: dict, by: str) -> str | None:
    """Change one user; returns why it was skipped, or None when applied."""
    keys = {"u": row["user_id"], "c": row["chain"], "a": row["asset"]}
    current = conn.execute(sql["lock"], keys).first()
    if row["action"] == "create":
        if current is not None:
            return "the user appeared off chain since the plan was read"
        conn.execute(sql["insert"], {**keys, "addr": row["address"], "b": row["on_chain"]})
        before = None
    else:
        if current is None or current[0] != row["off_chain"]:
            return "the off-chain balance changed since the plan was read"
        conn.execute(sql["update"], {**keys, "b": row["on_chain"]})
        before = current[0]
    conn.execute(sql["audit"], {**keys, "addr": row["address"], "before": before, "b": row["on_chain"],
                                "d": row["on_chain"] - (before or 0), "by": by})
    return None
