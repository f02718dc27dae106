"""The issuer's ledger for the demo: schema `ledger` on the warehouse's server, one table per canonical
LedgerTable (e-money, reserve books, custodial balances, credit book), loaded from the scenario."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import polars as pl
import sqlalchemy as sa

from pipelines.demo.scenario import ACCOUNTS, BY_KEY, DAYS, INTRADAY_DAY, BankWorld, Move, bank_closing, ledger_balance
from recon.ledger.tables import ACCOUNTS as ACCOUNTS_TABLE
from recon.ledger.tables import TRANSACTIONS, LedgerTable
from recon.sql import load as load_sql
from stores.identifiers import ident, render, schema

SCHEMA = "ledger"
_SQL_TYPES = {pl.String: "text", pl.Decimal: "numeric", pl.Datetime: "timestamptz", pl.Date: "date",
              pl.Int64: "bigint", pl.Boolean: "boolean"}


def _ddl(table: LedgerTable) -> str:
    columns = ", ".join(f"{ident(name)} {_SQL_TYPES[type(dtype)]}" for name, dtype in table.columns.items())
    return load_sql("ledger", "create_demo_table").format(schema=ident(SCHEMA), table=ident(table.name),
                                                          columns=columns)


def reset_schema(engine: sa.Engine, tables: Iterable[LedgerTable]) -> None:
    """Drop and re-create the demo's ledger schema: a re-run starts from exactly the scenario."""
    with engine.begin() as conn:
        conn.exec_driver_sql(render(load_sql("ledger", "drop_demo_schema"), schema=schema(SCHEMA)))
        conn.exec_driver_sql(render(load_sql("ledger", "create_demo_schema"), schema=schema(SCHEMA)))
        for table in tables:
            if table.name != "custodial_balances":
                conn.exec_driver_sql(_ddl(table))
        for statement in load_sql("ledger", "create_custodial_tables").split(";"):
            code = "\n".join(line for line in statement.splitlines() if not line.strip().startswith("--"))
            if code.strip():
                conn.exec_driver_sql(code)


def load(engine: sa.Engine, table: str, rows: Sequence[Mapping[str, Any]]) -> int:
    if not rows:
        return 0
    target = sa.table(table, *[sa.column(c) for c in rows[0]], schema=SCHEMA)
    with engine.begin() as conn:
        conn.execute(sa.insert(target), [dict(r) for r in rows])
    return len(rows)


def _booked_at(m: Move, n: int) -> datetime:
    return datetime.combine(m.day, time(8), tzinfo=UTC) + timedelta(minutes=20 * n)


def transaction_rows(moves: list[Move]) -> list[dict[str, Any]]:
    rows = []
    for n, m in enumerate(moves):
        a = BY_KEY[m.account]
        for copy in range(m.ledger_copies):
            rows.append({
                "txn_id": f"TX-{m.ref}" + (f"-{copy + 1}" if copy else ""), "account_id": a.ledger_id,
                "direction": m.direction, "amount": m.amount if m.ledger_amount is None else m.ledger_amount,
                "currency": a.currency, "booked_at": _booked_at(m, n % 24), "value_date": m.day,
                "uetr": m.uetr, "end_to_end_id": m.end_to_end_id, "bank_reference": m.ref if m.at_bank else None,
                "batch_id": None, "reversal_of": None, "status": "booked"})
    return rows


def account_rows(w: BankWorld) -> list[dict[str, Any]]:
    rows = []
    for i, day in enumerate(w.days):
        for a in ACCOUNTS:
            rows.append({"account_id": a.ledger_id, "iban": a.iban, "currency": a.currency,
                         "ledger_balance": ledger_balance(w, a.key, i),
                         "bank_balance": bank_closing(w, a.key, i - 1) if i else a.opening,
                         "reserved_balance": None,
                         "as_of": datetime.combine(day, time(22), tzinfo=UTC)})
    last = len(DAYS) - 1
    for a in ACCOUNTS:  # this morning, after the credits the bank notified or reported (the windows read it)
        moved = sum((m.signed for m in w.intraday + w.reported if m.account == a.key), Decimal(0))
        # One row per intraday window where the ledger drifts, else one before the first window closes.
        for n, slip in enumerate(w.drift.get(a.key, [Decimal(0)])):
            rows.append({"account_id": a.ledger_id, "iban": a.iban, "currency": a.currency,
                         "ledger_balance": ledger_balance(w, a.key, last) + moved + slip,
                         "bank_balance": bank_closing(w, a.key, last), "reserved_balance": None,
                         "as_of": datetime.combine(INTRADAY_DAY, time(9, 29), tzinfo=UTC) + timedelta(minutes=30 * n)})
    return rows


def load_bank_ledger(engine: sa.Engine, w: BankWorld) -> dict[str, int]:
    return {ACCOUNTS_TABLE.name: load(engine, ACCOUNTS_TABLE.name, account_rows(w)),
            TRANSACTIONS.name: load(engine, TRANSACTIONS.name, transaction_rows(w.booked))}
