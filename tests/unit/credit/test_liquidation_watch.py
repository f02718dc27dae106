"""A liquidation must show its sale: in the ledger or on chain, in time; late is critical."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import polars as pl

from recon.credit.liquidation_watch import DayPosition, check_liquidations
from recon.credit.tables import COLLATERAL_SALES
from tests.unit.credit.helpers import D

MON = datetime(2026, 3, 2, 23, 59, 59, tzinfo=UTC)


def day(n: int, band: str, held: str, sell: str) -> DayPosition:
    return DayPosition(f"2026-03-0{2 + n}", band, MON + timedelta(days=n),
                       json.dumps([{"asset": "XLM", "quantity": held, "sell_quantity": sell}]))


def sales(*rows: tuple[str, str, datetime]) -> pl.DataFrame:
    return pl.DataFrame([{"sale_id": f"s{i}", "credit_line_id": line, "asset": "XLM", "quantity": D(q),
                          "proceeds": None, "sold_at": at, "tx_hash": None} for i, (line, q, at) in enumerate(rows)],
                        schema=COLLATERAL_SALES.columns) if rows else COLLATERAL_SALES.empty()


def test_pending_then_late() -> None:
    history = {"L": [day(0, "watch", "100", "0"), day(1, "partial_liquidation", "100", "40")]}
    found = check_liquidations(history, sales(), MON + timedelta(days=1), 24)
    assert [(f.natural_key, f.severity) for f in found] == [("since:2026-03-03", "significant")]
    history["L"].append(day(2, "partial_liquidation", "100", "40"))  # 24 h later, nothing sold
    found = check_liquidations(history, sales(), MON + timedelta(days=2, seconds=1), 24)
    assert [(f.natural_key, f.severity, f.action) for f in found] == [("since:2026-03-03", "critical",
                                                                        "circuit_breaker")]


def test_sale_in_the_ledger_or_on_chain() -> None:
    start = day(0, "full_liquidation", "100", "90")
    in_ledger = sales(("L", "60", MON + timedelta(hours=2)), ("L", "30", MON + timedelta(hours=5)))
    assert check_liquidations({"L": [start, day(1, "full_liquidation", "100", "90")]}, in_ledger,
                              MON + timedelta(days=1), 24) == []
    # too little recorded, and another line's sale does not count
    short = sales(("L", "60", MON + timedelta(hours=2)), ("OTHER", "30", MON + timedelta(hours=5)))
    assert len(check_liquidations({"L": [start, day(1, "full_liquidation", "100", "90")]}, short,
                                  MON + timedelta(days=1), 24)) == 1
    # on chain: 10 held now against 100 held at the start, 90 to sell
    assert check_liquidations({"L": [start, day(1, "full_liquidation", "10", "9")]}, sales(),
                              MON + timedelta(days=1), 24) == []


def test_a_sale_during_the_first_day_counts() -> None:
    start = day(0, "full_liquidation", "100", "90")
    same_day = sales(("L", "90", MON - timedelta(hours=10)))  # Monday 14:00, before Monday's cut-off
    assert check_liquidations({"L": [start]}, same_day, MON, 24) == []
    day_before = sales(("L", "90", MON - timedelta(days=1, hours=1)))
    assert len(check_liquidations({"L": [start]}, day_before, MON, 24)) == 1
