"""Every tick of a year, as Dagster evaluates it: each schedule tick and each drop-folder file asks for
a partition that exists at that moment, and every business day is asked for exactly once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from assets.partitions import business_day_partitions_for, intraday_window_partitions_for
from pipelines.jobs import INTRADAY_JOB
from pipelines.schedules import build_schedules, closed_window
from pipelines.sensors import file_requests
from recon.calendar import BusinessCalendar, calendar_from_mapping
from recon.camt.model import Entry, Statement
from recon.camt.writer import write_camt

YEAR = 2026
DEFAULT = BusinessCalendar()
# Holidays on a Monday, a Friday and mid-week, in a timezone ahead of UTC.
HOLIDAYS = calendar_from_mapping({"timezone": "Asia/Dubai", "holidays": ["2026-04-03", "2026-06-01",
                                                                         "2026-12-02", "2026-12-25"]})
GULF_WEEK = calendar_from_mapping({"timezone": "Asia/Dubai", "weekend": ["sat", "sun"]})


def _days() -> list[date]:
    first = date(YEAR, 1, 1)
    return [first + timedelta(days=i) for i in range((date(YEAR + 1, 1, 1) - first).days)]


def _cron_days(cron: str) -> set[int]:
    """The cron's weekdays as date.weekday() (cron counts from Sunday = 0)."""
    return {(int(d) - 1) % 7 for d in cron.split()[4].split(",")}


def _valid(partitions: dg.PartitionsDefinition, key: str, at: datetime) -> bool:
    with dg.partition_loading_context(effective_dt=at):
        return partitions.has_partition_key(key)


def _evaluate(schedule: dg.ScheduleDefinition, tick: datetime) -> list[dg.RunRequest]:
    with dg.build_schedule_context(scheduled_execution_time=tick) as context:
        result = schedule(context)
    return [result] if isinstance(result, dg.RunRequest) else []


@pytest.mark.parametrize("cal", [DEFAULT, HOLIDAYS, GULF_WEEK], ids=["weekdays-utc", "holidays-dubai", "gulf"])
def test_every_daily_tick_of_a_year_asks_for_a_closed_business_day(cal: BusinessCalendar) -> None:
    daily = build_schedules(set(), cal)[0]
    partitions = business_day_partitions_for(cal)
    zone = ZoneInfo(cal.timezone)
    requested: Counter[str] = Counter()
    for day in _days():
        if day.weekday() not in _cron_days(daily.cron_schedule):
            continue
        tick = datetime(day.year, day.month, day.day, 6, tzinfo=zone)
        for request in _evaluate(daily, tick):
            assert _valid(partitions, request.partition_key, tick), (tick, request.partition_key)
            requested[request.partition_key] += 1
    expected = [d.isoformat() for d in cal.business_days(date(YEAR, 1, 1), date(YEAR, 12, 30))]
    # Every business day once (31 December's tick falls in the next year), nothing else.
    assert sorted(requested) == expected and set(requested.values()) == {1}
    assert "2026-11-13" in requested  # a Friday, asked for on Saturday morning
    assert not any(h.isoformat() in requested for h in cal.holidays)


def test_every_intraday_tick_of_a_year_asks_for_the_window_that_just_closed() -> None:
    schedule = next(s for s in build_schedules({INTRADAY_JOB}, DEFAULT) if s.name.startswith("intraday"))
    partitions = intraday_window_partitions_for(DEFAULT)
    first, end = datetime(YEAR, 1, 1, 0, 30, tzinfo=UTC), datetime(YEAR + 1, 1, 1, tzinfo=UTC)
    ticks = [first + timedelta(minutes=30 * i) for i in range(int((end - first) / timedelta(minutes=30)))]
    # The schedule itself, through Dagster, at every tick of the first day of each month (midnight,
    # month and year ends included), each key validated at its tick.
    for tick in ticks:
        if tick.day == 1 or (tick.month, tick.day) == (12, 31):
            (request,) = _evaluate(schedule, tick)
            assert request.partition_key == closed_window(tick)
            assert _valid(partitions, request.partition_key, tick), (tick, request.partition_key)
    # Every tick of the year: the window that ends at the tick, each once, in Dagster's own order.
    keys = [closed_window(t) for t in ticks]
    assert keys == partitions.get_partition_keys(current_time=end)[:len(keys)]
    assert all(datetime.strptime(k, "%Y-%m-%d-%H:%M").replace(tzinfo=UTC) + timedelta(minutes=30) == t
               for k, t in zip(keys, ticks, strict=True))
    assert len(set(keys)) == 365 * 48 - 1


def _statement(day: date, n: int) -> Statement:
    return Statement(account_iban="AE070331234567890123456", currency="AED", opening_balance=Decimal("1.00"),
                     entries=[Entry(amount=Decimal("1.00"), direction="CRDT", booking_date=day,
                                    acct_svcr_ref=f"R-{n}")],
        statement_id=f"S-{n}", created_at=datetime(day.year, day.month, day.day, 23, tzinfo=UTC),
        from_date=day, to_date=day, closing_date=day)


def test_files_arriving_on_weekends_and_holidays_go_to_a_closed_business_day(tmp_path: Path) -> None:
    cal = HOLIDAYS
    partitions = business_day_partitions_for(cal)
    zone = ZoneInfo(cal.timezone)
    cursor = None
    # A file at 07:00 on every weekend day, holiday and the day after one, and every Wednesday: it
    # holds the day before's statement and a booking of the day itself (a weekend or holiday booking
    # too); plus one unreadable file on a Sunday.
    days = [d for d in _days()[1:] if not (cal.is_business_day(d) and cal.is_business_day(d - timedelta(days=1)))
            or d.weekday() == 2]
    arrivals = [(datetime(d.year, d.month, d.day, 7, tzinfo=zone), d) for d in days]
    requested: Counter[str] = Counter()
    for i, (at, day) in enumerate(arrivals):
        write_camt(tmp_path / f"{i:04d}.xml", [_statement(day - timedelta(days=1), 2 * i), _statement(day, 2 * i + 1)])
        if at.date() == date(YEAR, 3, 8):
            (tmp_path / "broken.xml").write_text("<Document><oops")
        result = file_requests(tmp_path, cursor, at, cal)
        cursor = result.cursor
        for r in result.run_requests:
            assert _valid(partitions, r.partition_key, at), (at, r.partition_key, r.tags["recon/file"])
            assert cal.is_business_day(date.fromisoformat(r.partition_key))
            requested[(r.tags["recon/file"], r.partition_key)] += 1
        if at.date() == date(YEAR, 3, 8) and at.hour == 7:  # Sunday: the broken file goes to Friday
            assert [r.partition_key for r in result.run_requests if r.tags["recon/file"] == "broken.xml"] \
                == ["2026-03-06"]
    # Every file was asked for once by the end (today's file waits until its day closes).
    final = file_requests(tmp_path, cursor, datetime(YEAR + 1, 1, 12, tzinfo=UTC), cal)
    requested.update((r.tags["recon/file"], r.partition_key) for r in final.run_requests)
    assert set(requested.values()) == {1}
    assert len({f for f, _ in requested}) == len(arrivals) + 1
    # Each file feeds the business day that loads each of its days (a weekend or holiday's: the next one).
    for i, (_, day) in enumerate(arrivals):
        assert {p for f, p in requested if f == f"{i:04d}.xml"} == {
            cal.business_day_of(d).isoformat() for d in (day - timedelta(days=1), day)}
