"""The business calendar: which days are business days, when they close, and every source's cut-off."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from recon.calendar import BusinessCalendar, CalendarError, calendar_from_mapping

FRI, SAT, MON = date(2026, 11, 13), date(2026, 11, 14), date(2026, 11, 16)
CAL = calendar_from_mapping({
    "holidays": ["2026-12-25"],
    "banks": {"enbd": {"holidays": ["2026-12-02"]}},
    "accounts": {"AE07": {"timezone": "Asia/Dubai", "cutoff": "17:00", "bank": "enbd"},
                 "IN01": {"timezone": "Asia/Kolkata"}},
})


def test_defaults_are_weekdays_in_utc() -> None:
    cal = BusinessCalendar()
    assert [cal.is_business_day(d) for d in (FRI, SAT, MON)] == [True, False, True]
    assert cal.previous_business_day(MON) == FRI
    assert cal.chain_pin(FRI) == datetime(2026, 11, 13, 23, 59, 59, 999999, tzinfo=ZoneInfo("UTC"))
    # One cut-off for every source when nothing is configured: the ledger and the chains agree.
    assert cal.ledger_as_of(FRI) == cal.chain_pin(FRI) == cal.statement_cutoff(FRI, "any")


def test_issuer_holidays_are_not_business_days_and_bank_holidays_only_for_their_bank() -> None:
    xmas = date(2026, 12, 25)
    assert not CAL.is_business_day(xmas)
    assert CAL.previous_business_day(date(2026, 12, 28)) == date(2026, 12, 24)
    # A bank holiday leaves the issuer's day open; that bank's last statement stands.
    assert CAL.is_business_day(date(2026, 12, 2))
    assert CAL.bank_day_on_or_before(date(2026, 12, 2), "enbd") == date(2026, 12, 1)
    assert CAL.bank_day_on_or_before(date(2026, 12, 2), "other") == date(2026, 12, 2)
    assert CAL.business_days_back(MON, 2) == date(2026, 11, 12)


def test_corridors_close_in_their_own_timezone() -> None:
    # Dubai 17:00 is 13:00 UTC; Kolkata midnight is 18:30 UTC the day before.
    assert CAL.statement_cutoff(FRI, "AE07").astimezone(UTC) == datetime(2026, 11, 13, 12, 59, 59, 999999, UTC)
    assert CAL.statement_cutoff(FRI, "IN01").astimezone(UTC) == datetime(2026, 11, 13, 18, 29, 59, 999999, UTC)
    # The ledger snapshot is taken late enough for every account, and the chains at the issuer's close.
    assert CAL.ledger_as_of(FRI) == CAL.chain_pin(FRI)
    assert CAL.statement_cutoff(FRI, "unlisted") == CAL.chain_pin(FRI)


@pytest.mark.parametrize(("at", "expected"), [
    (datetime(2026, 11, 14, 6, tzinfo=UTC), FRI),        # Saturday morning: Friday has closed
    (datetime(2026, 11, 13, 23, 59, tzinfo=UTC), date(2026, 11, 12)),  # Friday still open
    (datetime(2026, 11, 16, 10, tzinfo=UTC), FRI),       # Monday, during the day
    (datetime(2026, 12, 26, 6, tzinfo=UTC), date(2026, 12, 24)),  # after a holiday
    (datetime(2026, 1, 1, 12, tzinfo=UTC), None),        # before the first business day closed
])
def test_closed_business_day(at: datetime, expected: date | None) -> None:
    assert CAL.closed_business_day(at) == expected


@pytest.mark.parametrize(("settings", "named"), [
    ({"timezone": "Mars/Olympus"}, "calendar.timezone"),
    ({"holidays": ["25/12/2026"]}, "calendar.holidays"),
    ({"holidays": "2026-12-25"}, "calendar.holidays"),
    ({"weekend": ["fri", "someday"]}, "calendar.weekend"),
    ({"accounts": {"AE07": {"cutoff": "5pm"}}}, "calendar.accounts.AE07.cutoff"),
    ({"accounts": {"AE07": {"tz": "Asia/Dubai"}}}, "calendar.accounts.AE07"),
    ({"holiday": []}, "calendar"),
])
def test_bad_settings_name_the_field(settings: dict, named: str) -> None:
    with pytest.raises(CalendarError, match=named.replace(".", r"\.")):
        calendar_from_mapping(settings)


def test_a_friday_saturday_weekend() -> None:
    cal = calendar_from_mapping({"weekend": ["fri", "sat"], "timezone": "Asia/Dubai"})
    assert [cal.is_business_day(d) for d in (FRI, SAT, date(2026, 11, 15))] == [False, False, True]
    assert cal.day_close(date(2026, 11, 15)) == datetime(2026, 11, 16, tzinfo=ZoneInfo("Asia/Dubai"))
    assert CAL.hours("AE07").cutoff == time(17)


@pytest.mark.parametrize(("day", "expected"), [
    (date(2026, 11, 16), [date(2026, 11, 14), date(2026, 11, 15), date(2026, 11, 16)]),  # Monday: its weekend
    (date(2026, 11, 17), [date(2026, 11, 17)]),  # Tuesday: itself only
    (date(2026, 12, 28), [date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 27), date(2026, 12, 28)]),
])
def test_weekend_and_holiday_statements_belong_to_the_next_business_day(day: date, expected: list[date]) -> None:
    # Christmas Friday is an issuer holiday: its statement, and the weekend's, load with Monday.
    cal = BusinessCalendar(holidays=frozenset({date(2026, 12, 25)}))
    assert cal.days_of(day) == expected
    assert {cal.business_day_of(d) for d in expected} == {day}  # the sensor's partition for each date
