"""Applying a custodial reconcile plan: one transaction per user, the row locked, every change audited.

A user whose balance moved since the plan was read is skipped (reported), never overwritten blindly;
a failure on one user rolls back that user only and the rest carry on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl
import sqlalchemy as sa

from recon.reserves.custodial import CHANGES

_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass
class ApplyReport:
    applied: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)


def _sql(schema: str) -> dict[str, sa.TextClause]:
    if not _IDENT.match(schema):
        raise ValueError(f"{schema!r} is not a plain schema name")
    t, a = f"{schema}.custodial_balances", f"{schema}.custodial_balance_audit"
    return {
        "lock": sa.text(f"SELECT balance FROM {t} WHERE user_id = :u AND chain = :c AND asset = :a FOR UPDATE"),
        "update": sa.text(f"UPDATE {t} SET balance = :b, updated_at = now() "
                          "WHERE user_id = :u AND chain = :c AND asset = :a"),
        "insert": sa.text(f"INSERT INTO {t} (user_id, chain, asset, address, balance) "
                          "VALUES (:u, :c, :a, :addr, :b)"),
        "audit": sa.text(f"INSERT INTO {a} (user_id, chain, asset, address, operation, balance_before, "
                         "balance_after, difference, performed_by) "
                         "VALUES (:u, :c, :a, :addr, 'reconciliation', :before, :b, :d, :by)"),
    }


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
