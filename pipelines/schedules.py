"""When runs start: end of day after the bank's statement cut-off, and every 30 minutes intraday."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import dagster as dg

from pipelines.jobs import DAILY_JOB, INTRADAY_JOB
from pipelines.partitions import CALENDAR
from recon.calendar import BusinessCalendar

INTRADAY_CRON = "*/30 * * * *"


def daily_cron(cal: BusinessCalendar) -> str:
    """Banks deliver a day's camt.053 early the next morning: 06:00 on the day after each working
    weekday (Tuesday to Saturday for a Monday-to-Friday week)."""
    days = sorted((wd + 2) % 7 for wd in range(7) if wd not in cal.weekend)  # cron: Sunday = 0
    return f"0 6 * * {','.join(map(str, days))}"


def closed_business_day(tick: datetime, cal: BusinessCalendar = CALENDAR) -> str | None:
    """The business day a daily tick reconciles: the day before the tick, when it is a business day
    that has closed (after a holiday there is nothing new: the day before the holiday already ran)."""
    tick = tick if tick.tzinfo else tick.replace(tzinfo=UTC)
    day = tick.astimezone(ZoneInfo(cal.timezone)).date() - timedelta(days=1)
    ok = cal.is_business_day(day) and cal.is_closed(day, tick) and day >= cal.start
    return day.isoformat() if ok else None


def closed_window(tick: datetime) -> str:
    """The 30-minute window that just closed at the tick."""
    start = tick.replace(minute=(tick.minute // 30) * 30, second=0, microsecond=0) - timedelta(minutes=30)
    return start.strftime("%Y-%m-%d-%H:%M")


def build_schedules(job_names: set[str], cal: BusinessCalendar = CALENDAR) -> list[dg.ScheduleDefinition]:
    @dg.schedule(cron_schedule=daily_cron(cal), job_name=DAILY_JOB, execution_timezone=cal.timezone,
                 name="daily_reconciliation_after_cutoff", default_status=dg.DefaultScheduleStatus.STOPPED,
                 description=f"06:00 {cal.timezone} the morning after each working weekday (Tuesday to Saturday "
                 "for a Monday-to-Friday week): the business day that just closed, none after a holiday.")
    def daily(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
        key = closed_business_day(context.scheduled_execution_time, cal)
        if key is None:
            return dg.SkipReason(f"{context.scheduled_execution_time:%Y-%m-%d}: the day before was not a "
                                 "business day")
        return dg.RunRequest(run_key=f"daily:{key}", partition_key=key)

    schedules = [daily]
    if INTRADAY_JOB in job_names:
        @dg.schedule(cron_schedule=INTRADAY_CRON, job_name=INTRADAY_JOB, execution_timezone=cal.timezone,
                     name="intraday_reconciliation_every_30_minutes",
                     default_status=dg.DefaultScheduleStatus.STOPPED,
                     description="Every 30 minutes: the window that just closed.")
        def intraday(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
            key = closed_window(context.scheduled_execution_time)
            return dg.RunRequest(run_key=f"intraday:{key}", partition_key=key)

        schedules.append(intraday)
    return schedules
