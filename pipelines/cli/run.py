"""`recon run`: the daily and intraday jobs in process, for people and cron users without the UI."""

from __future__ import annotations

from datetime import date, datetime

import typer

from pipelines.cli.common import print_json
from pipelines.schedules import closed_window

app = typer.Typer(help="Run the reconciliation jobs in this process (recorded in DAGSTER_HOME for the UI).",
                  no_args_is_help=True)


def _report(result, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    failed = [e.step_key for e in result.all_events if e.is_step_failure]
    materialised = sorted({e.asset_key.to_user_string() for e in result.all_events
                           if e.is_step_materialization and e.asset_key})
    checks = [(e.event_specific_data.check_name, e.event_specific_data.passed)
              for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    summary = {"run_id": result.run_id, "success": result.success, "failed_steps": failed,
               "materialized": materialised,
               "checks_failed": sorted(name for name, ok in checks if not ok)}
    if as_json:
        print_json(summary)
    else:
        typer.echo(f"run {result.run_id}: {'succeeded' if result.success else 'FAILED'}")
        typer.echo(f"  materialized: {', '.join(materialised) or 'nothing'}")
        if summary["checks_failed"]:
            typer.echo(f"  checks failed: {', '.join(summary['checks_failed'])}")
        if failed:
            typer.echo(f"  failed steps: {', '.join(failed)} (their verdicts are unknown, never OK)")
    if not result.success:
        raise typer.Exit(1)


@app.command()
def daily(
    on: str = typer.Option(..., "--date", help="Business date YYYY-MM-DD (a weekday)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable summary."),
) -> None:
    """The end-of-day reconciliation for one business date."""
    from pipelines.runner import run_daily

    try:
        day = date.fromisoformat(on)
    except ValueError as exc:
        raise typer.BadParameter(f"{on!r} is not a date like 2026-11-13") from exc
    if day.weekday() >= 5:
        raise typer.BadParameter(f"{on} is a weekend day; business days are Monday to Friday")
    _report(run_daily(day.isoformat()), as_json)


@app.command()
def intraday(
    at: str = typer.Option(..., "--at", help="A time YYYY-MM-DDTHH:MM; the 30-minute window that closed "
                           "at or before it is checked."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable summary."),
) -> None:
    """The intraday checks for the 30-minute window that closed at or before --at."""
    from pipelines.runner import run_intraday

    try:
        moment = datetime.fromisoformat(at)
    except ValueError as exc:
        raise typer.BadParameter(f"{at!r} is not a time like 2026-11-13T14:30") from exc
    _report(run_intraday(closed_window(moment)), as_json)
