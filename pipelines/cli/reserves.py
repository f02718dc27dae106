"""`recon reserves`: the redemption service's reserve ledger, redemptions and reserve utilisation, now."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta
from datetime import date as Date
from decimal import Decimal
from typing import TYPE_CHECKING

import typer

from pipelines.cli.common import open_warehouse, print_json
from recon.sql import postgres_sql

if TYPE_CHECKING:
    from recon.reserves.config import ReservesConfig

app = typer.Typer(help="Reserves: the per-chain reserve ledger, its redemption log, utilisation.",
                  no_args_is_help=True)


@app.command()
def status(
    date: str = typer.Option(None, "--date", help="Business date (YYYY-MM-DD); default: the latest audited."),
    recent: int = typer.Option(10, "--recent", min=0, help="How many of the latest redemptions to show."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Per chain reserve, last update, notes and share of the total; the total; the latest redemptions;
    totals and per-chain statistics, as the last daily run recorded them (from the output store and the
    reserves configuration of recon.toml; read-only, so the analyst role can run it)."""
    import psycopg

    from pipelines.cli.reading import rows
    from recon.reserves.status_report import build_status, render_text

    if date is not None:
        try:
            Date.fromisoformat(date)
        except ValueError as exc:
            typer.secho(f"--date {date!r} is not a date (YYYY-MM-DD)", fg=typer.colors.RED, err=True)
            raise typer.Exit(2) from exc
    config, problem = _reserves_config()
    try:  # psycopg alone, as the other commands that only read: no SQLAlchemy, Polars or Dagster
        day = rows(postgres_sql("select_reserve_status_day"), {"d": date})[0]["partition_key"]
        if day is None:
            typer.secho("no reserve ledger audit recorded" + (f" on or before {date}" if date else "")
                        + ": run the daily job (recon run daily --date D)", fg=typer.colors.YELLOW, err=True)
            raise typer.Exit(1)
        report = build_status(day, config, problem, rows(postgres_sql("select_reserve_ledger_chains"), {"p": day}),
                              rows(postgres_sql("select_redemption_statistics"), {"p": day}),
                              rows(postgres_sql("select_recent_redemptions"), {"p": day, "n": recent}),
                              rows(postgres_sql("select_report_reserves"), {"p": day}))
    except psycopg.ProgrammingError as exc:
        typer.secho(f"the output store cannot answer: {str(exc).splitlines()[0]} "
                    "(an older schema: recon db upgrade)", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    if as_json:
        print_json(report)
    else:
        typer.echo(render_text(report))


def _reserves_config() -> tuple[ReservesConfig | None, str | None]:
    """The reserves configuration recon.toml names (RECON_RESERVES_CONFIG), or why there is none."""
    from recon.reserves.config_load import load_reserves_config
    from recon.sources import ConfigurationError, NotConfigured

    try:
        return load_reserves_config(os.environ.get("RECON_RESERVES_CONFIG") or None), None
    except NotConfigured as exc:
        return None, f"not configured ({exc})"
    except ConfigurationError as exc:
        return None, f"unusable ({exc})"


_ANALYTICS = postgres_sql("select_reserve_analytics")


@app.command()
def analytics(
    period_days: int = typer.Option(30, "--period-days", min=1, help="How many days back from --until."),
    until: str = typer.Option(None, "--until", help="End of the period (YYYY-MM-DD, end of that UTC day); "
                              "default: now."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Per operation (lock, release, top-up, withdrawal) and currency: count and volume over the period,
    from the reserve operations the daily runs recorded (recon.reserve_operation_log)."""
    from recon.discrepancies import plain
    from recon.reserves.tables import OPERATIONS

    end = (datetime.combine(date.fromisoformat(until), time(23, 59, 59, 999999), tzinfo=UTC) if until
           else datetime.now(UTC))
    start = end - timedelta(days=period_days)
    wh = open_warehouse(upgrade=False)
    seen = wh.rows(postgres_sql("select_latest_reserve_operations"))[0]
    if not seen["n"]:
        typer.secho("no reserve operations recorded yet: run the daily job (recon run daily --date D)",
                    fg=typer.colors.YELLOW, err=True)
        raise typer.Exit(1)
    found = {(r["operation"], r["currency"]): r for r in wh.rows(_ANALYTICS, start=start, end=end)}
    currencies = sorted({c for _, c in found if c is not None}) + ([None] if any(c is None for _, c in found) else [])
    rows = [{"operation": op, "currency": cur,
             "operations": int(found[(op, cur)]["operations"]) if (op, cur) in found else 0,
             "volume": plain(found[(op, cur)]["volume"] if (op, cur) in found else Decimal(0))}
            for cur in currencies for op in [*OPERATIONS, *sorted({o for o, c in found if c == cur} - set(OPERATIONS))]]
    report = {"period_start": start.isoformat(), "period_end": end.isoformat(), "period_days": period_days,
              "recorded_through": seen["p"], "rows": rows}
    if as_json:
        print_json(report)
        return
    typer.echo(f"Reserve operations {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC ({period_days} days; "
               f"recorded through business day {seen['p']})")
    if not rows:
        typer.echo("  none in this period")
    typer.echo(f"  {'currency':<10} {'operation':<12} {'count':>7} {'volume':>24}")
    for r in rows:
        typer.echo(f"  {r['currency'] or 'unknown':<10} {r['operation']:<12} {r['operations']:>7} "
                   f"{r['volume']:>24}")
