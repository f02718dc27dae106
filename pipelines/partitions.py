"""Partitions, defined below the assets (assets/partitions.py) and re-exported for the pipelines."""

from __future__ import annotations

from assets.partitions import CALENDAR, business_day_partitions, intraday_window_partitions

TIMEZONE = CALENDAR.timezone
START = CALENDAR.start.isoformat()

__all__ = ["CALENDAR", "START", "TIMEZONE", "business_day_partitions", "intraday_window_partitions"]
