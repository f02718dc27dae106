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
    from pipelines.cli import reading

    owner = reading.store_url()
    reading.rows("SELECT count(*) AS n FROM recon.schema_migrations")  # a store without the schema gets it
    if admin:
        typer.echo(owner)
        return
    with reading.connect() as conn:
        typer.echo(reading.analyst_url(conn, owner))


@app.command()
def status(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Rows per table in schema recon."""
    from pipelines.cli import reading
    from recon.sql import postgres_sql
    from stores.identifiers import render

    counts = {}
    with reading.connect() as conn:
        tables = [r["table_name"] for r in conn.execute(postgres_sql("list_output_tables"))]
        for t in tables:
            counts[t] = conn.execute(render(postgres_sql("count_table_rows"), table=t)).fetchone()["count"]
    if as_json:
        print_json(counts)
        return
    for table, n in counts.items():
        typer.echo(f"{table:<22} {n:>10}")


@app.command()
def stop() -> None:
    """Stop the embedded server cleanly (its data stays under .recon/)."""
    from embedded.postgres import stop_embedded

    typer.echo("embedded server stopped" if stop_embedded() else "embedded server was not running")
