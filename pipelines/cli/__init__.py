"""`recon`: one command line for people and scripts."""

from __future__ import annotations

import typer

from pipelines.cli import (
    breaker,
    camt,
    config,
    credit,
    db,
    demo,
    discrepancies,
    holders,
    listen,
    nats_server,
    publish,
    report,
    reserves,
    run,
    services,
)

app = typer.Typer(
    name="recon",
    help="Reconcile an issuer's bank, ledger, chains and credit book; inspect and act on what it finds.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(run.app, name="run")
app.add_typer(camt.app, name="camt")
app.add_typer(discrepancies.app, name="discrepancies")
app.add_typer(breaker.app, name="breaker")
app.add_typer(reserves.app, name="reserves")
app.add_typer(holders.app, name="holders")
app.add_typer(credit.app, name="credit")
app.add_typer(nats_server.app, name="nats")
app.command("demo")(demo.demo)
app.command("listen")(listen.listen)
app.command("publish")(publish.publish)
app.add_typer(config.app, name="config")
app.add_typer(services.app, name="services")
app.callback()(config.apply)
app.command("report")(report.report)
