"""Partitions: business days for end-of-day runs, 30-minute windows for intraday checks.

A business day is a daily window (midnight to midnight in the calendar's timezone) with weekends and
issuer holidays excluded, so Friday's partition exists from Saturday 00:00, not from Monday."""

from __future__ import annotations

from datetime import datetime, time

import dagster as dg

from recon.calendar import BusinessCalendar
from settings.calendar import business_calendar

DAY_FMT = "%Y-%m-%d"
WINDOW_FMT = "%Y-%m-%d-%H:%M"


def business_day_partitions_for(cal: BusinessCalendar) -> dg.TimeWindowPartitionsDefinition:
    weekend = ",".join(str((d + 1) % 7) for d in sorted(cal.weekend))  # cron counts from Sunday = 0
    exclusions: list[str | datetime] = [f"0 0 * * {weekend}"] if weekend else []
    exclusions += [datetime.combine(d, time(0)) for d in sorted(cal.holidays)]
    return dg.TimeWindowPartitionsDefinition(cron_schedule="0 0 * * *", fmt=DAY_FMT,
                                             start=cal.start.isoformat(), timezone=cal.timezone,
                                             exclusions=exclusions or None)


def intraday_window_partitions_for(cal: BusinessCalendar) -> dg.TimeWindowPartitionsDefinition:
    return dg.TimeWindowPartitionsDefinition(cron_schedule="*/30 * * * *", fmt=WINDOW_FMT,
                                             start=f"{cal.start.isoformat()}-00:00", timezone=cal.timezone)


CALENDAR = business_calendar()
business_day_partitions = business_day_partitions_for(CALENDAR)
intraday_window_partitions = intraday_window_partitions_for(CALENDAR)
