"""Partitions: business days for end-of-day runs, 30-minute windows for intraday checks."""

from __future__ import annotations

import dagster as dg

# The issuer's operating calendar. Business days are Monday to Friday in the bank's timezone;
# a backfill before START is refused by Dagster, so START is the first day with bank files.
TIMEZONE = "UTC"
START = "2026-01-01"

business_day_partitions = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 * * 1-5",
    fmt="%Y-%m-%d",
    start=START,
    timezone=TIMEZONE,
)

intraday_window_partitions = dg.TimeWindowPartitionsDefinition(
    cron_schedule="*/30 * * * *",
    fmt="%Y-%m-%d-%H:%M",
    start=f"{START}-00:00",
    timezone=TIMEZONE,
)
