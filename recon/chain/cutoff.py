"""Cut-offs of a business date for chain reads."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def business_day_cutoff(day: date, tz: str = "UTC") -> datetime:
    """The last second of the business date in its timezone; blocks at or before it count."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(tz))


def previous_business_day(day: date) -> date:
    """The business date before `day` (Monday's is Friday): transfers in between belong to `day`."""
    prev = day - timedelta(days=1)
    while prev.weekday() >= 5:
        prev -= timedelta(days=1)
    return prev
