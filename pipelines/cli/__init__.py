"""`recon`: one command line for people and scripts."""

from __future__ import annotations

import typer

from pipelines.cli import db, demo

app = typer.Typer(
    name="recon",
    help="Reconcile an issuer's bank, ledger, chains and credit book; inspect and act on what it finds.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.command("demo")(demo.demo)
