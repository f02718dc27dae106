"""The business calendar the definitions use, from the project's configuration.

Partitions and schedules are built when the definitions load, so the calendar is read then: from
the optional `calendar` table of the JSON or TOML file named by RECON_CALENDAR_CONFIG, else the
defaults (Monday to Friday, UTC, no holidays). This is the one place that reads it.
"""

from __future__ import annotations

import json
import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from recon.calendar import BusinessCalendar, CalendarError, calendar_from_mapping

ENV = "RECON_CALENDAR_CONFIG"


def read_calendar_file(path: Path) -> BusinessCalendar:
    try:
        text = path.read_text()
        data: Any = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (OSError, ValueError) as exc:
        raise CalendarError(f"{path}: cannot read the calendar ({exc})") from exc
    if not isinstance(data, dict):
        raise CalendarError(f"{path}: expected a table of settings")
    # A project file without a calendar table: the defaults.
    return calendar_from_mapping(data.get("calendar", {}), f"{path}: calendar")


@lru_cache(maxsize=1)
def business_calendar() -> BusinessCalendar:
    path = os.environ.get(ENV, "").strip()
    return read_calendar_file(Path(path)) if path else BusinessCalendar()
