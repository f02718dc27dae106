"""The credit book's files and ledger rows for the demo: credit lines and repayments in the ledger,
collateral balances on Stellar, a flat price file, and the rules (given volatilities)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import sqlalchemy as sa

from pipelines.demo.scenario import DAYS, INTRADAY_DAY
from pipelines.demo.scenario_credit import COLLATERAL_SALES, CREDIT_LIMITS, LINES, PRICES, REPAYMENTS, VOLATILITY
from pipelines.demo.world_ledger import load

_OPENED = datetime(2026, 10, 1, tzinfo=UTC)


def collateral_opening() -> dict[str, dict[str, Decimal]]:
    """Stellar balances of the lines' collateral accounts (plus lumens for the base reserve)."""
    out: dict[str, dict[str, Decimal]] = {}
    for ln in LINES:
        held = out.setdefault(ln.account, {"native": Decimal("5")})
        held[ln.asset] = held.get(ln.asset, Decimal(0)) + ln.quantity
    return out


def credit_line_rows() -> list[dict[str, Any]]:
    return [{"credit_line_id": ln.line_id, "user_id": ln.user, "currency": "USD",
             "credit_limit": CREDIT_LIMITS.get(ln.line_id, ln.principal * 2), "outstanding_principal": ln.principal,
             "accrued_interest": ln.interest, "target_ltv": Decimal("0.50"), "status": "active",
             "collateral_accounts": ln.account, "creditor_reference": ln.reference, "updated_at": _OPENED}
            for ln in LINES]


def repayment_rows() -> list[dict[str, Any]]:
    return [{"repayment_id": r.repayment_id, "credit_line_id": r.line_id, "amount": r.amount, "currency": "USD",
             "creditor_reference": None, "end_to_end_id": r.end_to_end_id, "value_date": r.day,
             "booked_at": datetime.combine(r.day, time(15), tzinfo=UTC), "status": "booked"}
            for r in REPAYMENTS]


def collateral_sale_rows() -> list[dict[str, Any]]:
    return [{"sale_id": sid, "credit_line_id": line, "asset": asset, "quantity": qty, "proceeds": proceeds,
             "sold_at": datetime.combine(day, time(14), tzinfo=UTC), "tx_hash": None}
            for sid, line, asset, qty, proceeds, day in COLLATERAL_SALES]


def load_credit_book(engine: sa.Engine) -> dict[str, int]:
    return {"credit_lines": load(engine, "credit_lines", credit_line_rows()),
            "repayments": load(engine, "repayments", repayment_rows()),
            "collateral_sales": load(engine, "collateral_sales", collateral_sale_rows())}


def write_prices(path: Path, days: list[date] | None = None) -> str:
    """A quote every business day at 23:30 (within the hour before the cut-off) and intraday; a second
    week's days after those of the demo week."""
    stamps = [datetime.combine(d, time(23, 30), tzinfo=UTC) for d in DAYS]
    stamps.append(datetime.combine(INTRADAY_DAY, time(9, 30), tzinfo=UTC))
    stamps += [datetime.combine(d, time(23, 30), tzinfo=UTC) for d in (days or DAYS) if d > DAYS[-1]]
    rows = [{"asset": symbol, "quote": "USD", "price": str(price), "observed_at": at.isoformat()}
            for at in stamps for symbol, price in PRICES.items()]
    pl.DataFrame(rows).write_csv(path)
    return str(path)


def credit_config(prices_file: str) -> dict:
    assets = [{"asset": key, "price_symbol": symbol, "volatility": str(vol)}
              for key, (symbol, vol) in VOLATILITY.items()]
    return {"credit": {"rules": {"assets": assets}},
            "prices": {"kind": "file", "path": prices_file}}
