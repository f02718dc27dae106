"""`recon demo`: the whole suite on embedded defaults."""

from __future__ import annotations

import typer

from pipelines.cli.common import open_warehouse


def demo() -> None:
    """Set up the output store on embedded defaults and report what the warehouse holds."""
    wh = open_warehouse()
    counts = wh.table_counts()
    where = "embedded PostgreSQL under .recon/" if wh.embedded else "the server in RECON_DATABASE_URL"
    typer.echo(f"Output store ready: schema recon on {where}, {len(counts)} tables.")
    total = sum(counts.values())
    if total == 0:
        typer.echo("The warehouse is empty: no run has reconciled anything yet, so nothing is proven OK.")
    for table, n in counts.items():
        typer.echo(f"  {table:<22} {n:>10} rows")
    typer.echo("Analysts connect with: psql \"$(recon db url)\"")
