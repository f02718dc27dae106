"""The issuer's business calendar: which days are business days, when each one closes, and the cut-off
of every source for a business day. One calendar serves partitions, schedules, sensors, cut-offs and
lookback windows.

- A business day is a weekday that is not an issuer holiday; each one is a daily partition.
- A statement dated a weekend day or holiday (some banks send a Saturday camt.053) belongs to the next
  business day's partition (`days_of`), where the ledger's bookings of that day are matched too.
- A bank may have holidays of its own: it sends no statement then, and its accounts' last statement
  stands (`bank_day_on_or_before`).
- A business day closes at the calendar's end of day in the calendar's timezone; an account may have
  its own timezone and statement cut-off time (AED and INR corridors close hours before London).
- A cut-off is the last instant that counts: a booking, block or ledger entry at or before it belongs
  to the day. The ledger as-of is the latest account cut-off of the day, so every account's bookings
  are in the snapshot; each account's balance is then taken at its own statement cut-off.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_TICK = timedelta(microseconds=1)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class CalendarError(ValueError):
    """A calendar setting that cannot be used; the message names the field and what was expected."""


@dataclass(frozen=True)
class AccountHours:
    """Where an account's bank day ends: its timezone and statement cut-off (None: local midnight)."""

    timezone: str = "UTC"
    cutoff: time | None = None
    bank: str | None = None


@dataclass(frozen=True)
class BusinessCalendar:
    timezone: str = "UTC"
    weekend: frozenset[int] = frozenset({5, 6})  # date.weekday(): Saturday, Sunday
    holidays: frozenset[date] = frozenset()  # issuer holidays: no business day, no partition
    bank_holidays: Mapping[str, frozenset[date]] = field(default_factory=dict)
    accounts: Mapping[str, AccountHours] = field(default_factory=dict)
    start: date = date(2026, 1, 1)  # the first business day with bank files; no partition before it

    # --- days ---------------------------------------------------------------------------------------

    def is_business_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and day not in self.holidays

    def is_bank_day(self, day: date, bank: str | None) -> bool:
        return self.is_business_day(day) and day not in self.bank_holidays.get(bank or "", frozenset())

    def business_day_on_or_before(self, day: date) -> date:
        while not self.is_business_day(day):
            day -= timedelta(days=1)
        return day

    def previous_business_day(self, day: date) -> date:
        """The business day before `day` (Monday's is Friday): what happened in between belongs to `day`."""
        return self.business_day_on_or_before(day - timedelta(days=1))

    def bank_day_on_or_before(self, day: date, bank: str | None) -> date:
        """The day of the statement that stands on `day` for a bank (its last open day)."""
        while not self.is_bank_day(day, bank):
            day -= timedelta(days=1)
        return day

    def days_of(self, day: date) -> list[date]:
        """The dates whose bank statements belong to business day `day`: the days after the business day
        before it, up to `day`. A statement dated a Saturday, Sunday or holiday belongs to the next business
        day, as the ledger's bookings of those days do: they are after the day before's cut-off and inside
        `day`'s ledger snapshot and matching window, so both sides of a weekend payment meet there."""
        first = self.previous_business_day(day) + timedelta(days=1)
        return [first + timedelta(days=i) for i in range((day - first).days + 1)]

    def business_day_of(self, day: date) -> date:
        """The business day whose partition loads a statement dated `day` (`days_of`): `day` itself, or the
        first business day after a weekend day or holiday."""
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def business_days_back(self, day: date, n: int) -> date:
        """The business day `n` business days before `day` (lookback windows)."""
        for _ in range(n):
            day = self.previous_business_day(day)
        return day

    def business_days(self, first: date, last: date) -> Iterator[date]:
        day = first
        while day <= last:
            if self.is_business_day(day):
                yield day
            day += timedelta(days=1)

    # --- closes and cut-offs ------------------------------------------------------------------------

    def hours(self, account: str | None) -> AccountHours:
        return self.accounts.get(account or "", AccountHours(self.timezone))

    def day_close(self, day: date) -> datetime:
        """When the business day ends in the calendar's timezone (its partition closes then)."""
        return _close(day, self.timezone, None)

    def statement_cutoff(self, day: date, account: str | None = None) -> datetime:
        """The account's bank day: the last instant its statement of `day` covers, in its timezone."""
        h = self.hours(account)
        return _close(day, h.timezone, h.cutoff) - _TICK

    def ledger_as_of(self, day: date) -> datetime:
        """The ledger snapshot of `day`: the latest account cut-off, so every account's bookings are in."""
        return max([self.chain_pin(day), *(self.statement_cutoff(day, a) for a in self.accounts)])

    def chain_pin(self, day: date) -> datetime:
        """Chains are read at the last block at or before the calendar's end of `day`."""
        return self.day_close(day) - _TICK

    def closed_business_day(self, at: datetime) -> date | None:
        """The latest business day that has closed at `at` (None before the first one)."""
        local = at.astimezone(ZoneInfo(self.timezone))
        day = self.business_day_on_or_before(local.date())
        if self.day_close(day) > at:
            day = self.previous_business_day(day)
        return day if day >= self.start else None

    def is_closed(self, day: date, at: datetime) -> bool:
        return self.day_close(day) <= at


def _close(day: date, tz: str, cutoff: time | None) -> datetime:
    zone = ZoneInfo(tz)
    if cutoff is None:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return datetime.combine(day, cutoff, tzinfo=zone)


# --- loading from configuration ---------------------------------------------------------------------

def calendar_from_mapping(settings: Mapping[str, Any] | None, where: str = "calendar") -> BusinessCalendar:
    """Build the calendar from plain settings (a `calendar` table of the project configuration):

        timezone = "Europe/London"            weekend = ["sat", "sun"]      start = "2026-01-01"
        holidays = ["2026-12-25"]
        [banks.emirates_nbd]  holidays = ["2026-12-02"]
        [accounts."AE07..."]  timezone = "Asia/Dubai"  cutoff = "17:00"  bank = "emirates_nbd"

    Every field is optional; errors name the field and what was expected."""
    s = dict(settings or {})
    unknown = set(s) - {"timezone", "weekend", "holidays", "banks", "accounts", "start"}
    if unknown:
        raise CalendarError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}; expected timezone, "
                            "weekend, holidays, banks, accounts, start")
    tz = _zone(s.get("timezone", "UTC"), f"{where}.timezone")
    banks = _table(s.get("banks", {}), f"{where}.banks")
    accounts = _table(s.get("accounts", {}), f"{where}.accounts")
    return BusinessCalendar(
        timezone=tz,
        weekend=frozenset(_weekday(d, f"{where}.weekend") for d in _list(s.get("weekend", ["sat", "sun"]),
                                                                          f"{where}.weekend")),
        holidays=_dates(s.get("holidays", []), f"{where}.holidays"),
        bank_holidays={name: _dates(_table(b, f"{where}.banks.{name}").get("holidays", []),
                                    f"{where}.banks.{name}.holidays") for name, b in banks.items()},
        accounts={acct: _hours(a, tz, f"{where}.accounts.{acct}") for acct, a in accounts.items()},
        start=_date(s.get("start", "2026-01-01"), f"{where}.start"),
    )


def _hours(value: Any, default_tz: str, where: str) -> AccountHours:
    a = _table(value, where)
    unknown = set(a) - {"timezone", "cutoff", "bank"}
    if unknown:
        raise CalendarError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}; expected timezone, "
                            "cutoff, bank")
    cutoff = a.get("cutoff")
    if cutoff is not None:
        try:
            cutoff = cutoff if isinstance(cutoff, time) else time.fromisoformat(str(cutoff))
        except ValueError as exc:
            raise CalendarError(f"{where}.cutoff: {cutoff!r} is not a time like \"17:00\"") from exc
    bank = a.get("bank")
    return AccountHours(_zone(a.get("timezone", default_tz), f"{where}.timezone"), cutoff,
                        str(bank) if bank is not None else None)


def _zone(value: Any, where: str) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CalendarError(f"{where}: {value!r} is not an IANA timezone like \"Asia/Dubai\"") from exc
    return str(value)


def _weekday(value: Any, where: str) -> int:
    name = str(value).lower()[:3]
    if name not in _WEEKDAYS:
        raise CalendarError(f"{where}: {value!r} is not a weekday; expected one of {', '.join(_WEEKDAYS)}")
    return _WEEKDAYS.index(name)


def _date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise CalendarError(f"{where}: {value!r} is not a date like \"2026-12-25\"") from exc


def _dates(values: Any, where: str) -> frozenset[date]:
    return frozenset(_date(v, where) for v in _list(values, where))


def _list(value: Any, where: str) -> Iterable[Any]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise CalendarError(f"{where}: expected a list, got {value!r}")
    return value


def _table(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CalendarError(f"{where}: expected a table of settings, got {value!r}")
    return value
