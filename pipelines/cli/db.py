"""`recon db`: the output store."""

from __future__ import annotations

import typer

from pipelines.cli.common import open_warehouse, print_json

app = typer.Typer(help="The output database: migrations, connection URLs, the embedded server.",
                  no_args_is_help=True)


@app.command()
def upgrade() -> None:
    """Apply pending migrations (safe to repeat) and re-apply the analyst role's grants."""
    from stores.pg_migrations import MigrationError

    wh = open_warehouse(upgrade=False)
    try:
        applied = wh.upgrade()
    except MigrationError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    typer.echo("applied: " + ", ".join(applied) if applied else "schema recon is up to date")


@app.command()
def url(admin: bool = typer.Option(False, help="Print the owner's URL instead of the read-only one.")) -> None:
    """Print the connection URL analysts use (read-only role recon_analyst), for psql, Polars or DuckDB."""
    wh = open_warehouse()
    if admin:
        typer.echo(wh.admin_url())
    else:
        typer.echo(wh.analyst_url())


@app.command()
def status(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Rows per table in schema recon."""
    counts = open_warehouse().table_counts()
    if as_json:
        print_json(counts)
        return
    for table, n in counts.items():
        typer.echo(f"{table:<22} {n:>10}")


@app.command()
def stop() -> None:
    """Stop the embedded server cleanly (its data stays under .recon/)."""
    from resources.pg_embedded import stop_embedded

    typer.echo("embedded server stopped" if stop_embedded() else "embedded server was not running")
