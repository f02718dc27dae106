"""`recon nats`: the embedded NATS server (RECON_NATS_URL=embedded)."""

from __future__ import annotations

import typer

app = typer.Typer(help="The embedded NATS JetStream server under .recon/nats.", no_args_is_help=True)


@app.command()
def url() -> None:
    """Start the embedded server if needed and print its nats:// URL."""
    from embedded.nats_server import embedded_nats_url

    typer.echo(embedded_nats_url())


@app.command()
def stop() -> None:
    """Stop the embedded server cleanly (its JetStream store stays under .recon/nats)."""
    from embedded.nats_server import stop_embedded_nats

    typer.echo("embedded NATS server stopped" if stop_embedded_nats() else "embedded NATS server was not running")
