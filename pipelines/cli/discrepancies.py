"""`recon discrepancies`: what the checks found, and people's decisions on it (kept across re-runs)."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any

import typer

from pipelines.cli.common import open_warehouse, print_json
from recon.kinds import OPEN_STATUSES, SEVERITIES, STATUSES, TYPES
from recon.sql import postgres_sql

# Choices, so that a value outside them is an error naming them, never an empty list.
Type = Enum("Type", {t: t for t in TYPES}, type=str)  # type: ignore[misc]
Severity = Enum("Severity", {s: s for s in SEVERITIES}, type=str)  # type: ignore[misc]
Status = Enum("Status", {s: s for s in (*STATUSES, "all")}, type=str)  # type: ignore[misc]

app = typer.Typer(help="List, show and act on discrepancies (acknowledge, escalate, resolve).",
                  no_args_is_help=True)



@app.command("list")
def list_(
    type_: Type | None = typer.Option(None, "--type", help="One discrepancy type."),
    severity: Severity | None = typer.Option(None, help="One severity."),
    status: Status | None = typer.Option(None, help="One status, or all. Default: everything not resolved."),
    scope: str | None = typer.Option(None, help="A scope id (account IBAN, token, chain, credit line)."),
    limit: int = typer.Option(200, help="At most this many rows."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Discrepancies, worst first, filtered by type, severity, status and scope."""
    rows = _rows(postgres_sql("select_discrepancies"), {
        "lim": limit, "status": status and status.value, "open_statuses": list(OPEN_STATUSES),
        "type": type_ and type_.value, "severity": severity and severity.value, "scope_id": scope or None})
    if as_json:
        print_json(rows)
        return
    if not rows:
        typer.echo("no discrepancies match")
    for r in rows:
        # Widths fit the longest type and an intraday window key ("2026-11-16-10:00").
        typer.echo(f"{r['severity']:<11} {r['status']:<12} {r['type']:<27} {r['scope_id']:<24} "
                   f"{r['last_seen_partition']:<16} {r['discrepancy_key']}")


@app.command()
def show(key: str = typer.Argument(..., help="The discrepancy key."),
         as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """One discrepancy with its details and its audit trail."""
    rows = _rows(postgres_sql("select_discrepancy"), {"k": key})
    if not rows:
        typer.secho(f"no discrepancy with key {key!r}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    row = rows[0]
    row["audit"] = _rows(postgres_sql("select_discrepancy_audit"), {"k": key})
    if as_json:
        print_json(row)
        return
    from recon.money import show as show_amount

    for k, v in row.items():
        typer.echo(f"{k:<22} {show_amount(v, row['currency']) if isinstance(v, Decimal) else v}")


def _act(status: str, key: str, by: str, note: str) -> None:
    from stores import pg_discrepancies

    wh = open_warehouse()
    try:
        with wh.engine.begin() as conn:
            pg_discrepancies.set_status(conn, key, status, by, note)
    except (KeyError, ValueError) as exc:
        typer.secho(str(exc).strip("'\""), fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{key}: {status} by {by}")


_BY = typer.Option(..., "--by", help="Who decides (kept in the audit log).")
_NOTE = typer.Option(..., "--note", help="Why (kept in the audit log).")


@app.command()
def acknowledge(key: str, by: str = _BY, note: str = _NOTE) -> None:
    """Seen and being handled; re-runs keep this status while the discrepancy is still found."""
    _act("acknowledged", key, by, note)


@app.command()
def escalate(key: str, by: str = _BY, note: str = _NOTE) -> None:
    """Escalated to someone who can fix it."""
    _act("escalated", key, by, note)


@app.command()
def resolve(key: str, by: str = _BY, note: str = _NOTE) -> None:
    """Resolved by a person (a re-run that finds it again does not reopen a manual resolution)."""
    _act("resolved", key, by, note)


def _rows(query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    from pipelines.cli import reading

    return reading.rows(query, params)
