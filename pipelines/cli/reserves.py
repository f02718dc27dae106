"""`recon reserves`: the redemption service's reserve ledger, redemptions and reserve utilisation, now."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from pipelines.cli.common import print_json

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
    from assets.reserves_inputs import ReservesResource
    from recon.reserves import tables
    from recon.reserves.status_report import build_status, render_text
    from recon.reserves.utilization import check_utilization
    from recon.sources import ConfigurationError, NotConfigured
    from resources.ledger import LedgerError, LedgerResource

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
