"""`recon listen`: tier 1, CAMT.054 notifications from NATS JetStream checked as they arrive."""

from __future__ import annotations

import typer

from pipelines.cli.common import open_warehouse, print_json


def listen(
    status: bool = typer.Option(False, "--status", help="Print how far behind each listener is, then exit."),
    as_json: bool = typer.Option(False, "--json", help="With --status: machine-readable output."),
    batch: int = typer.Option(200, min=1, help="Messages fetched per request (the ledger is read once per batch)."),
    max_messages: int | None = typer.Option(None, help="Stop after this many messages (testing a connection)."),
    status_every: float = typer.Option(10.0, help="Seconds between lag lines (and rows in recon.listener_status)."),
) -> None:
    """Consume bank notifications (subjects iso20022.camt.054, bank.notifications.credit/.debit) from the
    durable JetStream consumer: store each once, update the account's bank position, check it against
    the ledger now in the four tiers, open a breaker or payout suspension at once, then acknowledge.

    Unreadable messages go to recon.deadletter.camt054 and recon.ingested_files (quarantined).
    Server: RECON_NATS_URL ("embedded" by default; nats://, tls://), RECON_NATS_CREDS, RECON_NATS_TLS_*.
    SIGTERM or Ctrl-C stops it cleanly; a restart resumes where it stopped.
    """
    from clients.nats_bus import NatsSettings, NatsUnavailable

    wh = open_warehouse()
    if status:
        _print_status(wh, as_json)
        return
    from services.tier1_ledger import ledger_reader_from_env
    from services.tier1_listener import Listener

    try:
        settings = NatsSettings.from_env()
        settings.server_urls()  # fails now, clearly, when not configured
    except NatsUnavailable as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    listener = Listener(wh, settings, ledger_reader_from_env(), log=lambda s: typer.echo(s), batch=batch,
                        status_every_s=status_every)

    import asyncio
    import signal

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await listener.run(stop, max_messages)

    try:
        asyncio.run(main())
    except NatsUnavailable as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc


def _print_status(wh, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    from stores.tier1_store import listener_status

    rows = listener_status(wh)
    if as_json:
        print_json(rows)
        return
    if not rows:
        typer.echo("no listener has run against this database")
        return
    for r in rows:
        typer.echo(f"{r['consumer']} {r['instance']} {r['state']:<18} on {r['server']}: "
                   f"{r['num_pending'] if r['num_pending'] is not None else '?'} waiting, "
                   f"{r['num_ack_pending'] if r['num_ack_pending'] is not None else '?'} in flight, "
                   f"last seq {r['last_stream_seq']}, {r['processed']} checked, {r['duplicates']} duplicates, "
                   f"{r['quarantined']} quarantined; updated {r['updated_at']:%Y-%m-%d %H:%M:%S%z}")
