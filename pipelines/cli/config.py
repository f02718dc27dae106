"""`recon config`: the project configuration every entry point reads (recon.toml and its overrides)."""

from __future__ import annotations

import sys
from typing import Any

import typer

app = typer.Typer(help="The project configuration: where each source's setting comes from, and whether it answers.",
                  no_args_is_help=True)

# setting -> the source it configures, as `show` and `check` name it
SOURCES = {
    "store.database_url": "output store",
    "store.analyst_password": "analyst role",
    "alerts.webhook_url": "alerts webhook",
    "statements.drop_folder": "bank statements",
    "ledger.kind": "ledger",
    "ledger.url": "ledger",
    "ledger.db_schema": "ledger",
    "ledger.dir": "ledger",
    "chains.file": "chains",
    "reserves.file": "reserve books",
    "credit.file": "credit rules, prices",
    "intraday.drift_windows": "balance drift rule",
    "listener.status_retention_days": "listener status",
}
# Commands that read no configuration, or write a new one.
_SKIP = {"config", "demo"}
# Commands that read the chains: the demo world's servers are started first when they are down.
_CHAINS = {"holders"}


def _load():  # type: ignore[no-untyped-def]
    from pipelines.config.load import ConfigError, load_config

    try:
        return load_config()
    except ConfigError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc


def apply(ctx: typer.Context) -> None:
    """Before every command: read the configuration and hand its values on (this process only)."""
    if ctx.invoked_subcommand in _SKIP or any(a in ("--help", "-h") for a in sys.argv[1:]):
        return
    from pipelines.config.load import export_environ

    config = _load()
    export_environ(config)
    if ctx.invoked_subcommand in _CHAINS and config.demo is not None:
        _start_demo_services(config)


def _start_demo_services(config) -> None:  # type: ignore[no-untyped-def]
    from pipelines.demo.servers import ServersError, ensure_for

    try:
        ensure_for(config)
    except ServersError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)


@app.command()
def show(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Each source, its setting, the value (secrets masked) and where it came from: file, env, default
    or not configured."""
    from pipelines.cli.common import print_json
    from pipelines.demo.servers import Servers, state

    config = _load()
    rows = [{"source": SOURCES[s.name], "setting": s.name, "value": s.shown(), "from": s.origin}
            for s in config.settings.values()]
    demo: dict[str, Any] | None = None
    if config.demo is not None:
        running = state(Servers(config.demo.world, config.demo.ports))
        demo = {"world": str(config.demo.world), "ports": list(config.demo.ports),
                "running": running is not None, "pid": running["pid"] if running else None}
    if as_json:
        print_json({"file": str(config.path) if config.path else None, "settings": rows, "demo": demo})
        return
    where = config.path or "none found (RECON_CONFIG, ./recon.toml, $RECON_HOME/recon.toml)"
    typer.echo(f"configuration file: {where}")
    for r in rows:
        typer.echo(f"  {r['source']:<20} {r['setting']:<24} {r['value']:<44} {r['from']}")
    if demo is not None:
        what = f"running (pid {demo['pid']})" if demo["running"] else "stopped (started on demand)"
        typer.echo(f"  {'demo chains, horizon':<20} {'demo.ports':<24} "
                   f"{', '.join(map(str, demo['ports'])):<44} {what}")


@app.command()
def check(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Reach every source once: reachable, unreachable (why) or not configured. Exits 1 when a configured
    source is unreachable. Nothing is written and no alert is sent."""
    from pipelines.cli.common import print_json
    from pipelines.config.check import UNREACHABLE, check_sources
    from pipelines.config.load import export_environ

    config = _load()
    export_environ(config)
    if config.demo is not None:
        _start_demo_services(config)
    results = check_sources(config)
    if as_json:
        print_json([r.__dict__ for r in results])
    else:
        for r in results:
            colour = typer.colors.RED if r.state == UNREACHABLE else None
            typer.secho(f"  {r.source:<20} {r.state:<15} {r.detail}", fg=colour)
    if any(r.state == UNREACHABLE for r in results):
        raise typer.Exit(1)
