"""Sensors: a run per new statement file, and an alert when a run fails."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg

from clients.folder_source import LocalFolderSource, StatementSourceUnavailable
from clients.notifier import Alert
from pipelines.jobs import DAILY_JOB
from pipelines.partitions import CALENDAR
from recon.calendar import BusinessCalendar
from recon.camt.errors import CamtError
from recon.camt.parsed import parse_file
from resources.drop_folder import StatementsResource
from resources.notifier_resource import NotifierResource
from resources.warehouse_resource import WarehouseResource
from stores.statement_files import sha256_file


def _fingerprints(source: LocalFolderSource, previous: dict[str, list]) -> dict[str, list]:
    """name -> [mtime_ns, size, sha256]; a file is hashed again only when its mtime or size moved."""
    now = {}
    for name in source.list():
        stat = (source.root / name).stat()
        old = previous.get(name)
        if old and old[0] == stat.st_mtime_ns and old[1] == stat.st_size:
            now[name] = old
        else:
            now[name] = [stat.st_mtime_ns, stat.st_size, sha256_file(source.root / name)]
    return now


def _business_days(path: Path, fallback: str | None, cal: BusinessCalendar) -> list[str]:
    """The partitions a file feeds: a day that is no business day (a weekend or holiday booking)
    belongs to the business day before it; an unreadable file goes to the newest closed business
    day, whose run quarantines it."""
    try:
        days = parse_file(path).business_dates
    except CamtError:
        return [fallback] if fallback else []
    return sorted({cal.business_day_on_or_before(d).isoformat() for d in days})


def file_requests(root: Path, previous_cursor: str | None, now: datetime,
                  cal: BusinessCalendar = CALENDAR) -> dg.SensorResult:
    """Run requests for new files, each for a business day that has closed at `now` (a partition that
    exists); a file of a day still open waits in the cursor until that day closes."""
    previous = json.loads(previous_cursor) if previous_cursor else {}
    if "files" not in previous:  # the cursor before pending requests were kept
        previous = {"files": previous, "pending": []}
    current = _fingerprints(LocalFolderSource(root), previous["files"])
    seen = {fp[2] for fp in previous["files"].values()}
    closed = cal.closed_business_day(now)
    wanted = [tuple(p) for p in previous["pending"]]
    for name, (_, _, sha) in current.items():
        if sha in seen:
            continue
        seen.add(sha)
        wanted += [(name, sha, day) for day in _business_days(root / name, closed.isoformat() if closed else None, cal)]
    requests, pending = [], []
    for name, sha, day in wanted:
        if not cal.is_closed(date.fromisoformat(day), now):
            pending.append([name, sha, day])
            continue
        requests.append(dg.RunRequest(run_key=f"{sha}:{day}", partition_key=day,
                                      tags={"recon/file": name, "recon/sha256": sha}))
    return dg.SensorResult(run_requests=requests, cursor=json.dumps({"files": current, "pending": pending}))


@dg.sensor(job_name=DAILY_JOB, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED,
           description="One run per new file in the statement drop folder, for each business day it holds, "
           "once that day has closed; the run key is the file's hash, so a file triggers once however often "
           "it is seen.")
def statement_drop_folder_sensor(context: dg.SensorEvaluationContext,
                                 statements: StatementsResource) -> dg.SensorResult:
    try:  # not configured, refused (a checkout, the root) or missing: no run, and why
        source = statements.source()
        source.list()
    except StatementSourceUnavailable as exc:
        return dg.SensorResult(skip_reason=str(exc))
    return file_requests(source.root, context.cursor, datetime.now(UTC))


@dg.run_failure_sensor(name="alert_on_run_failure", default_status=dg.DefaultSensorStatus.STOPPED,
                       description="A failed reconciliation run is itself an alert: its verdicts are unknown.")
def alert_on_run_failure(context: dg.RunFailureSensorContext, warehouse: WarehouseResource,
                         notifier: NotifierResource) -> None:
    run = context.dagster_run
    partition = run.tags.get("dagster/partition", "-")
    error = context.failure_event.message or "run failed"
    wh = warehouse.get()
    wh.finish_run(run.run_id, "failed", {"error": error[:2000]})
    notifier.get(wh.audit).send(
        f"reserve-recon run failed: {run.job_name} {partition}",
        [Alert("run_failed", f"run:{run.run_id}", error[:500],
               {"job": run.job_name, "partition": partition, "run_id": run.run_id})],
    )
