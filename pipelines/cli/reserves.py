"""`recon reserves`: the redemption service's reserve ledger, redemptions and reserve utilisation, now."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import typer

from pipelines.cli.common import open_warehouse, print_json
from recon.sql import postgres_sql

app = typer.Typer(help="Reserves: the per-chain reserve ledger, its redemption log, utilisation.",
                  no_args_is_help=True)


@app.command()
def status(
    ledger_url: str = typer.Option(None, "--ledger-url", envvar="RECON_LEDGER_URL",
                                   help="The service's database (SQLAlchemy URL)."),
    ledger_dir: str = typer.Option(None, "--ledger-dir", envvar="RECON_LEDGER_DIR",
                                   help="Or a folder of <table>.csv / .parquet snapshots."),
    schema: str = typer.Option("ledger", "--schema", help="Schema of the service's tables (SQL)."),
    reserves_config: str = typer.Option(None, "--reserves-config", envvar="RECON_RESERVES_CONFIG",
                                        help="JSON with a 'reserves' object (chains, initial reserves)."),
    recent: int = typer.Option(10, "--recent", min=0, help="How many recent redemptions to show."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Per chain reserve, last update and notes; total; recent redemptions; totals; statistics; utilisation."""
    if not ledger_url and not ledger_dir:
        typer.secho("say where the books are: --ledger-url (RECON_LEDGER_URL) or --ledger-dir (RECON_LEDGER_DIR)",
                    fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    from recon.reserves import tables
    from recon.reserves.status_report import build_status, render_text
    from recon.reserves.utilization import check_utilization
    from recon.sources import ConfigurationError, NotConfigured
    from resources.ledger import LedgerError, LedgerResource
    from resources.reserves import ReservesResource

    resource = (LedgerResource(kind="sql", url=ledger_url, db_schema=schema) if ledger_url
                else LedgerResource(kind="files", snapshot_dir=ledger_dir))
    try:
        config = ReservesResource(config_file=reserves_config).config()
    except (NotConfigured, ConfigurationError) as exc:
        typer.secho(f"{exc}; nothing is assumed (give --reserves-config or set RECON_RESERVES_CONFIG)",
                    fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    now = datetime.now(UTC)
    try:
        source = resource.source()
        ledger = source.read(tables.RESERVE_LEDGER, now)
        log = source.read(tables.REDEMPTIONS, now)
        ops = source.read(tables.RESERVE_OPERATIONS, now)
        try:
            accounts = source.read(tables.RESERVE_ACCOUNTS, now)
        except LedgerError:
            accounts = None  # a service without reserve accounts still has a reserve ledger to show
    except LedgerError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    utilization = check_utilization(config, accounts, ops, now) if accounts is not None else None
    report = build_status(config, ledger, log, ops, utilization, now, recent)
    if as_json:
        print_json(report)
    else:
        typer.echo(render_text(report))


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
