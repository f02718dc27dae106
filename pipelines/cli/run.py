"""`recon run`: the daily and intraday jobs in process, for people and cron users without the UI.

One line per step as it finishes, then a short summary; Dagster's debug log goes to a file under
$RECON_HOME/logs. Exit 0 when every step succeeded, 1 when a step failed, 2 when the run could not
start."""

from __future__ import annotations

import contextlib
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from pipelines.cli.common import print_json
from recon.sql import postgres_sql

if TYPE_CHECKING:
    import dagster as dg

app = typer.Typer(help="Run the reconciliation jobs in this process (recorded in DAGSTER_HOME for the UI).",
                  no_args_is_help=True)

_TIERS = postgres_sql("count_balance_tiers")
_FOUND = postgres_sql("count_unresolved_findings")
_FLAGS = postgres_sql("count_flags_opened_by_run")
_TIER_ORDER = ("ok", "minor", "significant", "critical", "unknown")


def _log_file(job: str, key: str) -> Path:
    from embedded.postgres import recon_home

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (recon_home() / "logs").mkdir(parents=True, exist_ok=True)
    return recon_home() / "logs" / f"{job}-{key.replace(':', '')}-{stamp}.log"


def _outcome(result: dg.ExecuteInProcessResult, key: str) -> dict[str, Any]:
    """What the run wrote for its partition: tiers, open findings by type, flags it opened."""
    summary: dict[str, Any] = {"tiers": {}, "findings_by_type": {}, "flags_opened": {}}
    try:
        from stores.warehouse import Warehouse

        wh = Warehouse.connect(upgrade=False)
        tiers = {r["tier"]: r["n"] for r in wh.rows(_TIERS, p=key)}
        summary["tiers"] = {t: tiers[t] for t in (*_TIER_ORDER, *sorted(set(tiers) - set(_TIER_ORDER))) if t in tiers}
        summary["findings_by_type"] = {r["type"]: r["n"] for r in wh.rows(_FOUND, p=key)}
        summary["flags_opened"] = {r["kind"]: r["n"] for r in wh.rows(_FLAGS, r=result.run_id)}
        wh.engine.dispose()
    except Exception as exc:  # the run's own verdict stands; the summary says it could not be read
        summary["summary_error"] = f"{type(exc).__name__}: {exc}"
    return summary


def _run(job: str, key: str, as_json: bool) -> None:
    from pipelines.run_log import cli_loggers
    from pipelines.runner import apply_default_env, run_job

    apply_default_env()
    log = _log_file(job, key)
    show = None if as_json else typer.echo
    if not as_json:
        typer.echo(f"{job} {key} (Dagster's log: {log})")
    started = time.monotonic()
    try:
        with log.open("a") as out, contextlib.redirect_stderr(out):
            result = run_job(job, key, loggers=cli_loggers(log, show))
    except Exception as exc:  # the run did not start (definitions, configuration, instance)
        typer.secho(f"{job} {key} could not run: {type(exc).__name__}: {exc}\n  details in {log}",
                    fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    checks = result.get_asset_check_evaluations()
    report = {"job": job, "partition": key, "run_id": result.run_id, "success": result.success,
              "seconds": round(time.monotonic() - started, 1),
              "failed_steps": sorted(result.get_failed_step_keys()),
              "checks_failed": sorted({c.check_name for c in checks if not c.passed}),
              **_outcome(result, key), "log_file": str(log)}
    if as_json:
        print_json(report)
    else:
        _print(report)
    if not result.success:
        raise typer.Exit(1)


def _counts(d: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in d.items()) or "none"


def _print(r: dict[str, Any]) -> None:
    state = "succeeded" if r["success"] else "FAILED"
    typer.echo(f"run {r['run_id']}: {state} in {r['seconds']:.0f} s")
    typer.echo(f"  balance tiers: {_counts(r['tiers'])}")
    typer.echo(f"  findings open: {_counts(r['findings_by_type'])}")
    typer.echo(f"  flags opened:  {_counts(r['flags_opened'])}")
    if r["checks_failed"]:
        typer.echo(f"  checks failed: {', '.join(r['checks_failed'])}")
    if r["failed_steps"]:
        typer.secho(f"  failed steps:  {', '.join(r['failed_steps'])} (their verdicts are unknown, never OK)",
                    fg=typer.colors.RED)
    if r.get("summary_error"):
        typer.secho(f"  summary not read: {r['summary_error']}", fg=typer.colors.YELLOW)


@app.command()
def daily(
    on: str = typer.Option(..., "--date", help="Business date YYYY-MM-DD (a business day of the calendar)."),
    as_json: bool = typer.Option(False, "--json", help="No step lines; one JSON summary."),
) -> None:
    """The end-of-day reconciliation for one business date."""
    from settings.calendar import business_calendar

    try:
        day = date.fromisoformat(on)
    except ValueError as exc:
        raise typer.BadParameter(f"{on!r} is not a date like 2026-11-13", param_hint="--date") from exc
    cal = business_calendar()
    if not cal.is_business_day(day):
        raise typer.BadParameter(f"{on} is not a business day (weekends and the calendar's holidays are not); "
                                 f"the one before is {cal.previous_business_day(day)}", param_hint="--date")
    if day < cal.start:
        raise typer.BadParameter(f"{on} is before the first business day {cal.start}", param_hint="--date")
    if not cal.is_closed(day, datetime.now(UTC)):
        raise typer.BadParameter(f"{on} has not closed yet (it closes at {cal.day_close(day).isoformat()})",
                                 param_hint="--date")
    _run("daily_reconciliation", day.isoformat(), as_json)


@app.command()
def intraday(
    at: str = typer.Option(..., "--at", help="A time YYYY-MM-DDTHH:MM; the 30-minute window that closed "
                           "at or before it is checked."),
    as_json: bool = typer.Option(False, "--json", help="No step lines; one JSON summary."),
) -> None:
    """The intraday checks for the 30-minute window that closed at or before --at."""
    from pipelines.schedules import closed_window

    try:
        moment = datetime.fromisoformat(at)
    except ValueError as exc:
        raise typer.BadParameter(f"{at!r} is not a time like 2026-11-13T14:30", param_hint="--at") from exc
    if (moment if moment.tzinfo else moment.replace(tzinfo=UTC)) > datetime.now(UTC):
        raise typer.BadParameter(f"{at} is in the future: no window has closed then yet", param_hint="--at")
    _run("intraday_reconciliation", closed_window(moment), as_json)
