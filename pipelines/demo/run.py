"""Run the demo week: the daily job for each business day, then the intraday job for one window.

A failed step never stops the week: it is reported by name and the next run still goes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from pipelines.demo.scenario import DAYS, INTRADAY_DAY, INTRADAY_WINDOW
from pipelines.demo.tier1 import Tier1Summary
from pipelines.jobs import INTRADAY_JOB
from pipelines.runner import run_daily, run_intraday


@dataclass
class RunOutcome:
    partition: str
    job: str
    success: bool
    seconds: float
    failed_steps: list[str] = field(default_factory=list)
    error: str | None = None  # the run could not start or crashed outside a step


def _one(job: str, partition: str, run: Callable) -> RunOutcome:
    started = time.monotonic()
    try:
        result = run(partition)
    except Exception as exc:  # the report says what broke; the rest of the week still runs
        return RunOutcome(partition, job, False, time.monotonic() - started, error=f"{type(exc).__name__}: {exc}")
    failed = sorted(result.get_failed_step_keys())
    return RunOutcome(partition, job, result.success, time.monotonic() - started, failed)


def intraday_available() -> bool:
    from pipelines.definitions import defs

    return any(j.name == INTRADAY_JOB for j in defs.get_repository_def().get_all_jobs())


def run_week(progress: Callable[[RunOutcome], None] | None = None,
             tier1: Callable[[], Tier1Summary] | None = None) -> list[RunOutcome]:
    """The daily runs, then tier 1 on the Monday's notifications (when given), then the intraday window."""
    outcomes = []
    runs: list[tuple[str, str, Callable[[str], object]]] = [("daily", d.isoformat(), run_daily) for d in DAYS]
    if intraday_available():
        runs.append(("intraday", INTRADAY_WINDOW, run_intraday))
    for job, partition, run in runs:
        if job == "intraday" and tier1 is not None:
            outcomes.append(_tier1(tier1))
            if progress:
                progress(outcomes[-1])
        outcome = _one(job, partition, run)
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    return outcomes


def _tier1(tier1: Callable[[], Tier1Summary]) -> RunOutcome:
    started = time.monotonic()
    try:
        summary = tier1()
    except Exception as exc:  # reported like a failed run; the intraday window still goes
        return RunOutcome(f"{INTRADAY_DAY}", "tier1", False, time.monotonic() - started,
                          error=f"{type(exc).__name__}: {exc}")
    lost = summary.published - summary.checked - summary.duplicates - summary.quarantined
    return RunOutcome(f"{INTRADAY_DAY}", "tier1", lost == 0, time.monotonic() - started,
                      error=None if lost == 0 else f"{lost} notification(s) not handled")
