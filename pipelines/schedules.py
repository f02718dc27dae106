"""When runs start: end of day after the bank's statement cut-off, and every 30 minutes intraday."""

from __future__ import annotations

from datetime import datetime, timedelta

import dagster as dg

from pipelines.jobs import DAILY_JOB, INTRADAY_JOB
from pipelines.partitions import TIMEZONE

# Banks deliver the day's camt.053 in the early morning of the next day; the run starts once it is in.
DAILY_CRON = "0 6 * * 2-6"  # Tuesday to Saturday 06:00: Monday's to Friday's statements
INTRADAY_CRON = "*/30 * * * *"


def closed_business_day(tick: datetime) -> str:
    """The business day a daily tick reconciles: the weekday before the tick (ticks run Tue-Sat)."""
    day = tick.date() - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day.isoformat()


def closed_window(tick: datetime) -> str:
    """The 30-minute window that just closed at the tick."""
    start = tick.replace(minute=(tick.minute // 30) * 30, second=0, microsecond=0) - timedelta(minutes=30)
    return start.strftime("%Y-%m-%d-%H:%M")


def build_schedules(job_names: set[str]) -> list[dg.ScheduleDefinition]:
    @dg.schedule(cron_schedule=DAILY_CRON, job_name=DAILY_JOB, execution_timezone=TIMEZONE,
                 name="daily_reconciliation_after_cutoff", default_status=dg.DefaultScheduleStatus.STOPPED,
                 description=f"Tuesday to Saturday 06:00 {TIMEZONE}: the business day that just closed.")
    def daily(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        key = closed_business_day(context.scheduled_execution_time)
        return dg.RunRequest(run_key=f"daily:{key}", partition_key=key)

    schedules = [daily]
    if INTRADAY_JOB in job_names:
        @dg.schedule(cron_schedule=INTRADAY_CRON, job_name=INTRADAY_JOB, execution_timezone=TIMEZONE,
                     name="intraday_reconciliation_every_30_minutes",
                     default_status=dg.DefaultScheduleStatus.STOPPED,
                     description="Every 30 minutes: the window that just closed.")
        def intraday(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
            key = closed_window(context.scheduled_execution_time)
            return dg.RunRequest(run_key=f"intraday:{key}", partition_key=key)

        schedules.append(intraday)
    return schedules
