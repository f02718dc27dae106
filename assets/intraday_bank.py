"""The bank position inside a business day: each account's last camt.053 closing balance plus the
booked camt.054 movements notified since, up to the end of a window (tier 1's stored notifications
first, files for what tier 1 does not hold; stores/bank_position.py)."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from recon.balances import intraday_bank_balances
from recon.discrepancies import AMOUNT_DTYPE
from resources.warehouse import Warehouse
from stores.bank_position import BOOKED_SINCE, LAST_CLOSING, TIER1_HELD

POSITION = {"account": pl.String(), "currency": pl.String(), "balance": AMOUNT_DTYPE, "closed_on": pl.Date()}
_MOVE = {"account": pl.String(), "currency": pl.String(), "direction": pl.String(), "amount": AMOUNT_DTYPE}


def bank_position(wh: Warehouse, day: date, end: datetime) -> tuple[pl.DataFrame, int]:
    """Per account and currency (POSITION; `closed_on` is the statement's date), and how many
    notified movements went into it. An account without a statement before `day` has no row."""
    closing = wh.query(LAST_CLOSING, d=day, a=None)
    closing = closing.select(pl.col("account"), pl.col("currency"), pl.col("balance").cast(AMOUNT_DTYPE),
                             pl.col("closed_on")) if closing.height else pl.DataFrame(schema=POSITION)
    # Only what is newer than the oldest last statement: the cost follows what is new, not the history.
    after = closing["closed_on"].min() if closing.height else day
    moves = wh.query(BOOKED_SINCE, d=day, end=end, a=None, after=after)
    moves = (moves.join(closing.select("account", "currency", "closed_on"), on=["account", "currency"])
             .filter(pl.col("business_date") > pl.col("closed_on"))
             .select(list(_MOVE)).cast({"amount": AMOUNT_DTYPE})) if moves.height else pl.DataFrame(schema=_MOVE)
    balances = intraday_bank_balances(closing.select("account", "currency", "balance"), moves)
    position = balances.join(closing.select("account", "currency", "closed_on"), on=["account", "currency"],
                             how="left")
    return position.select(list(POSITION)), moves.height


def tier1_movements(wh: Warehouse, day: date, end: datetime) -> int:
    """Booked notifications of `day` that tier 1 stored before `end`."""
    return int(wh.rows(TIER1_HELD, d=day, end=end)[0]["n"])
