"""`recon publish`: put CAMT.054 files on a JetStream subject, for people testing a bank connection."""

from __future__ import annotations

from pathlib import Path

import typer


def publish(
    files: list[Path] = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="CAMT.054 files."),
    subject: str = typer.Option("iso20022.camt.054", "--subject", "-s",
                                help="iso20022.camt.054, bank.notifications.credit or bank.notifications.debit."),
) -> None:
    """Publish each file as one message (its bytes, unchanged) and print the stream sequence it got.

    The server is RECON_NATS_URL ("embedded" by default); the stream is created when missing.
    """
    import asyncio

    from clients.nats_bus import NatsSettings, NatsUnavailable, connect, ensure_streams

    settings = NatsSettings.from_env()

    async def main() -> None:
        nc = await connect(settings, name="recon-publish")
        try:
            js = nc.jetstream()
            await ensure_streams(js, settings)
            for path in files:
                ack = await js.publish(subject, path.read_bytes())
                typer.echo(f"{path.name}: {ack.stream} #{ack.seq}{' (duplicate)' if ack.duplicate else ''}")
        finally:
            await nc.close()

    try:
        asyncio.run(main())
    except NatsUnavailable as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
