"""The business calendar comes from recon.toml for every entry point, with nothing else set: a holiday
written there removes its partition from the definitions (what `dagster dev`, `dg launch` and the daemon
load), the daily schedule skips it, and `recon run daily` refuses it. A wrong value names file and field."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

RECON = Path(sys.executable).with_name("recon")
HOLIDAY = "2026-11-11"  # a Wednesday
CALENDAR = f"""
[calendar]
timezone = "Europe/London"
holidays = ["{HOLIDAY}"]
[calendar.banks.emirates_nbd]
holidays = ["2026-11-12"]
[calendar.accounts."AE070331234567890123456"]
timezone = "Asia/Dubai"
cutoff = "17:00"
bank = "emirates_nbd"
"""
# What the definitions built from the file: partitions, the schedule's answer at real ticks, cut-offs.
PROBE = """
import json
from datetime import datetime
from zoneinfo import ZoneInfo
import dagster as dg
from pipelines.definitions import defs
from pipelines.jobs import DAILY_JOB

job = defs.resolve_job_def(DAILY_JOB)
keys = job.partitions_def.get_partition_keys(current_time=datetime(2026, 11, 16, tzinfo=ZoneInfo("UTC")))
daily = defs.resolve_schedule_def("daily_reconciliation_after_cutoff")
ticks = {}
for day in (11, 12, 13):
    tick = datetime(2026, 11, day, 6, tzinfo=ZoneInfo(daily.execution_timezone))
    with dg.build_schedule_context(scheduled_execution_time=tick) as context:
        result = daily(context)
    ticks[str(day)] = getattr(result, "partition_key", None) or "skip"
from assets.partitions import CALENDAR
from datetime import date
print(json.dumps({"keys": keys[-6:], "ticks": ticks, "timezone": daily.execution_timezone,
                  "aed_cutoff": CALENDAR.statement_cutoff(date(2026, 11, 10), "AE070331234567890123456").isoformat(),
                  "bank_day": CALENDAR.bank_day_on_or_before(date(2026, 11, 12), "emirates_nbd").isoformat()}))
"""


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RECON_CONFIG", "RECON_CALENDAR_CONFIG")}
    return {**env, "RECON_HOME": str(home), "DAGSTER_HOME": str(home / "dagster"), "NO_COLOR": "1"}


def test_a_holiday_in_recon_toml_removes_its_partition_and_the_schedule_skips_it(tmp_path: Path) -> None:
    (tmp_path / "recon.toml").write_text(CALENDAR)  # found in the working directory, as `dagster dev` runs
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp_path, env=_env(tmp_path / "home"),
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["keys"] == ["2026-11-05", "2026-11-06", "2026-11-09", "2026-11-10", "2026-11-12",
                           "2026-11-13"]
    assert HOLIDAY not in got["keys"]
    # 12 Nov 06:00 follows the holiday: nothing to run; the days around it run as usual.
    assert got["ticks"] == {"11": "2026-11-10", "12": "skip", "13": "2026-11-12"}
    assert got["timezone"] == "Europe/London"
    assert got["aed_cutoff"] == "2026-11-10T16:59:59.999999+04:00"
    # The bank's own holiday (12th) and the issuer's (11th): its statement of the 10th stands.
    assert got["bank_day"] == "2026-11-10"


def test_the_command_line_reads_the_calendar_from_recon_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "recon.toml").write_text(CALENDAR)  # where `make demo` writes the project file
    done = subprocess.run([str(RECON), "run", "daily", "--date", HOLIDAY], cwd=tmp_path, env=_env(home),
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert f"{HOLIDAY} is not a business day" in done.stderr and "2026-11-10" in done.stderr


def test_a_wrong_calendar_value_names_the_file_and_the_field(tmp_path: Path) -> None:
    path = tmp_path / "recon.toml"
    path.write_text(CALENDAR.replace('cutoff = "17:00"', 'cutoff = "5pm"'))
    env = {**_env(tmp_path / "home"), "RECON_CONFIG": str(path)}
    cli = subprocess.run([str(RECON), "discrepancies", "list"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300, check=False)
    assert cli.returncode == 2
    assert f'{path}: calendar.accounts.AE070331234567890123456.cutoff: \'5pm\' is not a time like "17:00"' \
        in cli.stderr
    defs = subprocess.run([sys.executable, "-c", "import pipelines.definitions"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert defs.returncode != 0
    assert "CalendarError" in defs.stderr and f"{path}: calendar.accounts.AE070331234567890123456.cutoff" \
        in defs.stderr
