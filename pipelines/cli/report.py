"""`recon report`: the treasurer's report of any reconciled business day, from the output store alone."""

from __future__ import annotations

from datetime import date as Date

import typer

from pipelines.cli.common import open_warehouse, print_json


def report(
    date: str = typer.Option(..., "--date", help="Business date (YYYY-MM-DD) a daily run reconciled."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    as_html: bool = typer.Option(False, "--html", help="HTML with charts of the last 30 business days."),
) -> None:
    """Accounts and tiers, findings, flags, backing, reserves and credit lines of one business day; the HTML
    adds each account's ledger - bank difference with the tier bands, and the backing ratio per token."""
    if as_json and as_html:
        typer.secho("choose one: --json or --html", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    from pipelines.report import render
    from pipelines.report.data import NotReconciled, gather

    wh = open_warehouse(upgrade=False)
    try:
        data = gather(wh, Date.fromisoformat(date))
    except NotReconciled as exc:
        typer.secho(str(exc), fg=typer.colors.YELLOW, err=True)
        raise typer.Exit(1) from exc
    if as_json:
        print_json(data)
    elif as_html:
        typer.echo(render.html(data))
    else:
        typer.echo(render.text(data))
