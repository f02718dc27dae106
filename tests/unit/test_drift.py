"""balance_drift's rule, table-driven: one-way, never shrinking, pointing away from where the day began;
and the intraday position's basis, a camt.052 report in preference to the statement plus notifications."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import polars as pl
import pytest

from recon import intraday as I
from recon.drift import DriftRules, drifting

D = Decimal


@pytest.mark.parametrize(("drifts", "diffs", "expected"), [
    # grows one way: the classic leak
    ([D(-10), D(-20), D(-30)], [D(-10), D(-20), D(-30)], True),
    # persists at one figure: still drift, the issue names it
    ([D(-20), D(-20), D(-20)], [D(-20), D(-20), D(-20)], True),
    # above the bank, growing: drift too (the tiers call it critical on their own)
    ([D(1), D(2), D(3)], [D(1), D(2), D(3)], True),
    # flips direction
    ([D(-10), D(10), D(-10)], [D(-10), D(10), D(-10)], False),
    # recovers part of the way
    ([D(-10), D(-20), D(-5)], [D(-10), D(-20), D(-5)], False),
    # back to nothing in the last window
    ([D(-10), D(-20), D(0)], [D(-10), D(-20), D(0)], False),
    # the last statement's difference (-50) closing: the drift is one-way, the difference heads to zero
    ([D(50), D(50), D(50)], [D(0), D(0), D(0)], False),
    # the last statement's difference (-50) growing: drift against it, pointing the same way
    ([D(-10), D(-20), D(-30)], [D(-60), D(-70), D(-80)], True),
    # a window not known: unknown, never a verdict
    ([D(-10), None, D(-30)], [D(-10), None, D(-30)], None),
])
def test_drifting(drifts: list, diffs: list, expected: bool | None) -> None:
    assert drifting(drifts, diffs) is expected


def test_fewer_than_two_windows_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        DriftRules(windows=1)


DAY = date(2026, 11, 16)


def _frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema)


def test_a_report_is_preferred_and_only_later_notifications_are_added() -> None:
    closing = _frame([{"account": "A", "currency": "EUR", "balance": D("100.00"), "closed_on": date(2026, 11, 13)},
                      {"account": "B", "currency": "EUR", "balance": D("50.00"), "closed_on": date(2026, 11, 13)}],
                     I.CLOSING)
    reports = _frame([{"account": "A", "currency": "EUR", "balance": D("130.00"), "report_key": "r",
                       "cutoff": datetime(2026, 11, 16, 9, 40, tzinfo=UTC)}], I.REPORTS)
    moves = _frame([
        # in the report already (notified before it)
        {"account": "A", "currency": "EUR", "direction": "CRDT", "amount": D("30.00"), "business_date": DAY,
         "notified_at": datetime(2026, 11, 16, 9, 10, tzinfo=UTC), "value_date": DAY, "ref": "N1"},
        # notified late, after the report that already lists it: not twice
        {"account": "A", "currency": "EUR", "direction": "DBIT", "amount": D("4.00"), "business_date": DAY,
         "notified_at": datetime(2026, 11, 16, 9, 45, tzinfo=UTC), "value_date": DAY, "ref": "FEE"},
        # after the report, valued tomorrow: counted, and in transit
        {"account": "A", "currency": "EUR", "direction": "DBIT", "amount": D("5.00"), "business_date": DAY,
         "notified_at": datetime(2026, 11, 16, 9, 50, tzinfo=UTC), "value_date": date(2026, 11, 17), "ref": "N2"},
        # B has no report: every booked notification since its statement
        {"account": "B", "currency": "EUR", "direction": "CRDT", "amount": D("7.00"), "business_date": DAY,
         "notified_at": datetime(2026, 11, 16, 9, 10, tzinfo=UTC), "value_date": None, "ref": None},
    ], I.MOVES)
    reported = _frame([
        {"account": "A", "currency": "EUR", "ref": "N1", "direction": "CRDT", "amount": D("30.00"),
         "value_date": DAY, "status": "BOOK"},
        {"account": "A", "currency": "EUR", "ref": "FEE", "direction": "DBIT", "amount": D("4.00"),
         "value_date": DAY, "status": "BOOK"},
        # booked today, valued tomorrow: in the report's balance, in transit
        {"account": "A", "currency": "EUR", "ref": "FX", "direction": "CRDT", "amount": D("2.00"),
         "value_date": date(2026, 11, 17), "status": "BOOK"},
    ], I.REPORT_ENTRIES)
    got = {r["account"]: r for r in I.bank_positions(closing, reports, moves, reported, DAY).iter_rows(named=True)}
    assert (got["A"]["basis"], got["A"]["balance"], got["A"]["movements"]) == (I.REPORT, D("125.00"), 1)
    assert got["A"]["bank_future_value"] == D("-3.00")  # the report's +2 and the later -5
    assert (got["B"]["basis"], got["B"]["balance"], got["B"]["bank_future_value"]) == (I.STATEMENT, D("57.00"), D(0))
