"""The bank position inside a business day (recon/intraday.py): the latest camt.052 report plus what was
notified after it, else the last camt.053 closing balance plus the booked camt.054 movements notified
since, up to the end of a window (tier 1's stored notifications first, files for what tier 1 does not
hold; stores/bank_position.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl

from recon import intraday as I
from recon.sql import postgres_sql
from stores.bank_position import LAST_CLOSING, TIER1_HELD
from stores.warehouse import Warehouse

POSITION = I.POSITION


def bank_position(wh: Warehouse, day: date, end: datetime) -> tuple[pl.DataFrame, int]:
    """Per account and currency (POSITION: balance, its basis, `closed_on` the last statement's date), and
    how many notified movements went into it. An account with neither a report nor a statement has no row."""
    closing = I.typed(wh.query(LAST_CLOSING, d=day, a=None), I.CLOSING)
    reports = I.typed(wh.query(postgres_sql("select_latest_intraday_reports"), d=day, end=end), I.REPORTS)
    # Only what is newer than the oldest last statement: the cost follows what is new, not the history.
    after = closing["closed_on"].min() if closing.height else day
    if reports.height:  # a report's account may have no statement: its day's notifications still count
        after = min(after, day - timedelta(days=1))  # type: ignore[type-var]
    moves = I.typed(wh.query(postgres_sql("select_intraday_movements"), d=day, end=end, after=after), I.MOVES)
    reported = I.typed(wh.query(postgres_sql("select_intraday_report_entries"), d=day, end=end), I.REPORT_ENTRIES)
    position = I.bank_positions(closing, reports, moves, reported, day)
    return position, int(position["movements"].sum() or 0)


def tier1_movements(wh: Warehouse, day: date, end: datetime) -> int:
    """Booked notifications of `day` that tier 1 stored before `end`."""
    return int(wh.rows(TIER1_HELD, d=day, end=end)[0]["n"])
