"""`recon breaker`: circuit breakers and payout suspensions; opened by checks, cleared only by a person."""

from __future__ import annotations

import typer

from pipelines.cli.common import open_warehouse, print_json
from recon.sql import postgres_sql

app = typer.Typer(help="List and clear circuit breakers and payout suspensions.", no_args_is_help=True)


@app.command("list")
def list_(
    all_: bool = typer.Option(False, "--all", help="Include cleared flags."),
    scope: str | None = typer.Option(None, help="Only this scope id."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Open flags (or all with --all): scope, kind, tier, why, since when."""
    query = postgres_sql("select_flags")
    from pipelines.cli import reading

    rows = reading.rows(query, {"all": all_, "scope": scope})
    if as_json:
        print_json(rows)
        return
    if not rows:
        typer.echo("no open breakers" if not all_ else "no breakers")
    for r in rows:
        typer.echo(f"#{r['breaker_id']:<5} {r['status']:<8} {r['kind']:<18} {r['tier']:<12} "
                   f"{r['scope_type']}:{r['scope_id']}  {r['reason']}")


@app.command()
def clear(
    breaker_id: int = typer.Argument(..., help="The breaker's id (from `recon breaker list`)."),
    by: str = typer.Option(..., "--by", help="Who clears it (kept in the audit log)."),
    reason: str = typer.Option(..., "--reason", help="Why it is safe to resume (kept in the audit log)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Clear an open breaker or payout suspension; nothing else ever clears one."""
    from stores import pg_discrepancies

    wh = open_warehouse()
    try:
        with wh.engine.begin() as conn:
            flag = pg_discrepancies.clear_flag(conn, breaker_id, by, reason)
    except (KeyError, ValueError) as exc:
        typer.secho(str(exc).strip("'\""), fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
    if as_json:
        print_json({**flag, "cleared_by": by, "cleared_reason": reason})
        return
    typer.echo(f"#{breaker_id} {flag['kind']} on {flag['scope_type']}:{flag['scope_id']} cleared by {by}")
