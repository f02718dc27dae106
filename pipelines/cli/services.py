"""`recon services`: the demo world's local chains and Horizon fixture (a supervised background process)."""

from __future__ import annotations

import typer

app = typer.Typer(help="The demo world's local chains and Horizon: start, stop, status.", no_args_is_help=True)


def _servers():  # type: ignore[no-untyped-def]
    from pipelines.config.load import ConfigError, load_config
    from pipelines.demo.servers import Servers

    try:
        config = load_config()
    except ConfigError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    if config.demo is None:
        return None
    return Servers(config.demo.world, config.demo.ports)


@app.command()
def start() -> None:
    """Start them when they are down (the same chain history every time); nothing to do without a demo."""
    from pipelines.demo.servers import ServersError
    from pipelines.demo.servers import start as start_servers

    servers = _servers()
    if servers is None:
        typer.echo("no demo world configured: nothing to start")
        return
    try:
        data = start_servers(servers)
    except ServersError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"demo chains and Horizon running (pid {data['pid']}) on ports "
               f"{', '.join(map(str, servers.ports))}; log {servers.log_file}")


@app.command()
def stop() -> None:
    """Stop them (they start again on demand, with the same history)."""
    from pipelines.demo.servers import stop as stop_servers

    servers = _servers()
    stopped = servers is not None and stop_servers(servers)
    typer.echo("demo chains and Horizon stopped" if stopped else "demo chains and Horizon were not running")


@app.command()
def status() -> None:
    """Running or not, with the pid and ports."""
    from pipelines.demo.servers import state

    servers = _servers()
    if servers is None:
        typer.echo("no demo world configured")
        return
    data = state(servers)
    typer.echo(f"running (pid {data['pid']}) on ports {', '.join(map(str, servers.ports))}" if data
               else "stopped")
