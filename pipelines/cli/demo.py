"""`recon demo`: a seeded week of bank files, ledger, chains, reserves and credit, reconciled end to end."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from pipelines.cli.common import print_json

if TYPE_CHECKING:
    from pipelines.demo.run import RunOutcome
    from pipelines.demo.tier1 import Tier1Summary


def _progress(log: Path) -> Callable[[RunOutcome], None]:
    """One line per run on the terminal, while Dagster's own step log goes to the file."""
    def show(o: RunOutcome) -> None:
        state = "ok" if o.success else "FAILED"
        detail = f": steps {', '.join(o.failed_steps)} failed" if o.failed_steps else ""
        detail += f": {o.error}" if o.error else ""
        typer.echo(f"  {o.job:<8} {o.partition:<17} {state} ({o.seconds:.1f} s){detail}", file=sys.__stderr__)
        if not o.success:
            typer.echo(f"           details in {log}", file=sys.__stderr__)
    return show


def _use_demo_config(world, ports: list[int]) -> None:  # type: ignore[no-untyped-def]
    """Write the world's recon.toml and run on it, as every later command will (no override applies here)."""
    from embedded.postgres import recon_home
    from pipelines.config.load import OVERRIDES, export_environ, load_config
    from pipelines.demo.project_file import write_demo_config
    from pipelines.runner import apply_default_env

    embedded = world.env["RECON_DATABASE_URL"] == "embedded"
    path = write_demo_config(recon_home() / "recon.toml", world.home, ports, embedded)
    for name, var in OVERRIDES.items():
        if name != "store.database_url":
            os.environ.pop(var, None)
    os.environ["RECON_CONFIG"] = str(path)
    apply_default_env()
    export_environ(load_config(path))
    typer.echo(f"  configuration written to {path}", err=True)


def demo(as_json: bool = typer.Option(False, "--json", help="Print the report as JSON.")) -> None:
    """Build the demo world under $RECON_HOME/demo (fresh each time), run the week, print the report.

    Six e-money accounts with a week of CAMT.053/054 files, the ledger in schema `ledger`, RUSD on two
    local EVM chains and a Horizon fixture, reserve and credit books; anomalies of every kind the suite
    detects are injected, and the report ends with what was injected against what was found.
    """
    from pipelines.demo.checkout import DemoNeedsCheckout, require_devworld

    try:
        require_devworld()
    except DemoNeedsCheckout as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    from clients.folder_source import LocalFolderSource
    from pipelines.demo.manifest import compare
    from pipelines.demo.report import treasurer_report
    from pipelines.demo.run import run_week
    from pipelines.demo.servers import free_ports
    from pipelines.demo.tier1 import Tier1Summary, run_tier1
    from pipelines.demo.world import demo_world
    from stores.warehouse import Warehouse

    started = time.monotonic()
    typer.echo("Building the demo world (bank files, ledger, local chains) ...", err=True)
    ports = free_ports()
    with demo_world(ports=ports) as world:
        _use_demo_config(world, ports)
        log = world.home / "runs.log"
        typer.echo(f"  {world.counts['statements']} statements, {world.counts['notifications']} notifications, "
                   f"{world.counts['transactions']} ledger transactions, {world.counts['redemptions']} "
                   f"redemptions, {world.counts['credit_lines']} credit lines; under {world.home}", err=True)
        typer.echo("Running the week (Dagster's step log goes to runs.log):", err=True)
        summary = Tier1Summary()

        def tier1() -> Tier1Summary:
            nonlocal summary
            summary = run_tier1(Path(world.env["RECON_STATEMENTS_DIR"]), world.home)
            return summary

        with log.open("w") as out, contextlib.redirect_stderr(out):
            outcomes = run_week(_progress(log), tier1)
        wh = Warehouse.connect()
        text, data = treasurer_report(wh, LocalFolderSource(world.env["RECON_STATEMENTS_DIR"]).name)
        missed, unexpected = compare(world.anomalies, data["discrepancies"] if "error" not in
                                     (data["discrepancies"][:1] or [{}])[0] else [])
    failed = [o for o in outcomes if not o.success]
    if as_json:
        print_json({**data, "runs": [o.__dict__ for o in outcomes],
                    "tier1": {k: v for k, v in summary.__dict__.items() if k != "lines"},
                    "injected": [a.__dict__ for a in world.anomalies],
                    "missed": [a.__dict__ for a in missed], "unexpected": unexpected})
        raise typer.Exit(1 if failed else 0)
    typer.echo(text)
    typer.echo("")
    typer.echo(_tier1_line(summary))
    typer.echo("")
    if not missed and not unexpected:
        typer.echo(f"Injected vs found: all {len(world.anomalies)} injected anomalies found, nothing else.")
    else:
        typer.echo(f"Injected vs found: {len(missed)} missed, {len(unexpected)} not injected.")
        for a in missed:
            typer.echo(f"  missed      {a.type} {a.scope_id} {a.natural_key or ''}: {a.why}")
        for f in unexpected:
            typer.echo(f"  unexpected  {f['type']} {f['scope_id']} {f['natural_key']}: {f['summary'][:100]}")
    if failed:
        typer.echo(f"{len(failed)} run(s) failed; the report shows what they wrote. Step log: {log}")
    typer.echo("")
    _hints(time.monotonic() - started)
    raise typer.Exit(1 if failed else 0)


def _tier1_line(s: Tier1Summary) -> str:
    tiers = ", ".join(f"{n} {t}" for t, n in sorted(s.tiers.items())) or "none"
    speed = (f"; publish to verdict p50 {s.p50_ms:.0f} ms, max {s.max_ms:.0f} ms (published before the listener "
             "started)" if s.p50_ms is not None else "")
    return (f"Tier 1 (JetStream): {s.published} CAMT.054 notifications published, {s.checked} checked once each "
            f"({s.duplicates} duplicates, {s.quarantined} quarantined); verdicts: {tiers}{speed}. "
            "The intraday window used what tier 1 stored (recon.notification_checks).")


def _hints(seconds: float) -> None:
    typer.echo(f"Done in {seconds:.0f} s.")
    if os.environ.get("DAGSTER_HOME"):
        typer.echo(f"Open the UI: make dev  (runs, asset checks and metadata are kept in {os.environ['DAGSTER_HOME']})")
    else:
        typer.echo("Open the UI: make dev  (run `make demo` instead so the runs are kept for the UI)")
    typer.echo('Analysts connect read-only with: psql "$(recon db url)"   (views: recon.v_open_discrepancies, '
               "recon.v_payout_controls, recon.v_daily_summary)")
    typer.echo("Act on findings: recon discrepancies list | recon breaker list | recon reserves status")
