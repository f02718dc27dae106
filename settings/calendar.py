"""The business calendar the definitions use, from the project's configuration.

Partitions and schedules are built when the definitions load, so the calendar is read then, by every
entry point alike (the `recon` command, `dagster dev` and its daemon, `dg launch`, the tests): the
`calendar` table of the project file (recon.toml, found as settings/project_file.py says), or of the
JSON or TOML file RECON_CALENDAR_CONFIG names when it is set; without either, the defaults (Monday to
Friday, UTC, no holidays). This is the one place that reads it.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from recon.calendar import BusinessCalendar, CalendarError, calendar_from_mapping
from settings.project_file import ProjectFileMissing, find_project_file

ENV = "RECON_CALENDAR_CONFIG"


def read_calendar_file(path: Path) -> BusinessCalendar:
    try:
        text = path.read_text()
        data: Any = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (OSError, ValueError) as exc:
        raise CalendarError(f"{path}: cannot read the calendar ({exc})") from exc
    if not isinstance(data, dict):
        raise CalendarError(f"{path}: expected a table of settings")
    table = data.get("calendar", {})  # a project file without a calendar table: the defaults
    if not isinstance(table, Mapping):
        raise CalendarError(f"{path}: calendar: expected a table of settings, got {table!r}")
    return calendar_from_mapping(table, f"{path}: calendar")


def calendar_file() -> Path | None:
    named = os.environ.get(ENV, "").strip()
    if named:
        return Path(named).expanduser()
    try:
        return find_project_file()
    except ProjectFileMissing as exc:
        raise CalendarError(str(exc)) from exc


@lru_cache(maxsize=1)
def business_calendar() -> BusinessCalendar:
    path = calendar_file()
    return read_calendar_file(path) if path else BusinessCalendar()
