"""Utilisation levels at their edges, and the reserve operations log replayed into totals and locks."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from recon.reserves import schemas
from recon.reserves.config import ReservesConfig, UtilizationLevels
from recon.reserves.utilization import check_utilization, level_of, utilization_of

from .reserve_books import D, at, frame, op, operations

LEVELS = UtilizationLevels()


@pytest.mark.parametrize(
    ("locked", "total", "level"),
    [
        ("0", "100", "healthy"),
        ("49.999999", "100", "healthy"),  # just under the first bound
        ("50", "100", "moderate"),  # bounds are inclusive upwards: 50 % is moderate
        ("74.99", "100", "moderate"),
        ("75", "100", "warning"),
        ("89.999999999999999999", "100", "warning"),  # rounding the ratio would make this critical
        ("90", "100", "critical"),
        ("94.99", "100", "critical"),
        ("95", "100", "emergency"),
        ("120", "100", "emergency"),  # more locked than there is
        ("0", "0", "healthy"),  # an empty reserve with nothing locked: utilisation 0
        ("1", "0", "emergency"),  # locked against nothing
    ],
)
def test_level_edges(locked: str, total: str, level: str) -> None:
    assert level_of(D(locked), D(total), LEVELS) == level


def test_utilization_is_zero_on_empty_reserve_and_half_even() -> None:
    assert utilization_of(D(5), D(0)) == 0
    assert utilization_of(D(2), D(3)) == Decimal("0.66666667")
    assert utilization_of(D("0.000000125"), D(1)) == Decimal("0.00000012")  # half-even: ...125 -> ...12


def accounts(*rows: tuple) -> object:
    return frame([{"reserve_id": r, "currency": c, "reserve_type": t, "initial_total": D(i),
                   "reported_total": D(rt) if rt else None, "reported_locked": D(rl) if rl else None}
                  for r, c, t, i, rt, rl in rows], schemas.RESERVE_ACCOUNTS)


def test_replay_levels_stale_locks_and_lists() -> None:
    accts = accounts(("USDT:crypto", "USDT", "crypto", "1000", "1200", "950"),
                     ("EUR:fiat", "EUR", "fiat", "1000", None, None))
    ops = operations(
        op("1", "USDT:crypto", "top_up", "300", "t1", 0),
        op("2", "USDT:crypto", "withdrawal", "100", "w1", 1),  # total 1200
        op("3", "USDT:crypto", "lock", "900", "L1", 2, ttl=3600),
        op("4", "USDT:crypto", "lock", "100", "L2", 3, ttl=3600),
        op("5", "USDT:crypto", "release", "50", "L2", 4),  # locked 950 of 1200 = 79 %: warning
        op("6", "EUR:fiat", "lock", "10", "E1", 5, ttl=60),
        op("7", "EUR:fiat", "release", "10", "E1", 6),  # released in time: nothing open
        op("8", "EUR:fiat", "lock", "20", "E2", 7),  # default ttl: 24 h, not stale yet
    )
    result = check_utilization(ReservesConfig(), accts, ops, at(3 * 60))
    by_id = {r["reserve_id"]: r for r in result.rows}
    usdt = by_id["USDT:crypto"]
    assert (usdt["total"], usdt["locked"], usdt["available"], usdt["level"]) == (D(1200), D(950), D(250),
                                                                                  "warning")
    assert by_id["EUR:fiat"]["locked"] == D(20) and by_id["EUR:fiat"]["level"] == "healthy"
    assert result.overall == "warning" and result.at_level("warning") == ["USDT:crypto"]
    found = sorted((f.type, f.natural_key) for f in result.findings)
    # L1 and L2 were locked for an hour and are three hours old; reported figures match the replay.
    assert found == [("stale_reserve_lock", "L1"), ("stale_reserve_lock", "L2"),
                     ("utilization_level", "level")]
    assert result.analytics.filter(pl.col("operation") == "lock")["operations"].sum() == 4


def test_inconsistent_books() -> None:
    accts = accounts(("USDT:crypto", "USDT", "crypto", "1000", "999", None))
    ops = operations(
        op("1", "USDT:crypto", "release", "5", "never-locked", 0),
        op("2", "GHOST:crypto", "lock", "5", "g", 0),
        op("3", "USDT:crypto", "freeze", "5", "f", 0),
    )
    result = check_utilization(ReservesConfig(), accts, ops, at(10))
    keys = sorted(f.natural_key for f in result.findings)
    assert keys == ["op:2", "op:3", "release:never-locked", "reported_total"]
    assert {f.type for f in result.findings} == {"reserve_ledger_inconsistent"}


def test_quiet_when_books_replay() -> None:
    accts = accounts(("USDT:crypto", "USDT", "crypto", "1000", "1000", "100"))
    ops = operations(op("1", "USDT:crypto", "lock", "100", "L", 0))
    result = check_utilization(ReservesConfig(), accts, ops, at(10))
    assert result.findings == [] and result.overall == "healthy"
