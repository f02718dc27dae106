"""What every command shares: opening the warehouse with a clear message, printing JSON.

Command modules import only typer at the top; what a command needs is imported in its body, so
`recon --help` and the read-only commands never load Dagster or the definitions."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from stores.warehouse import Warehouse


def open_warehouse(upgrade: bool = True) -> Warehouse:
    # Imported here: `recon --help` and commands that do not open the store stay fast.
    from stores.pg_migrations import MigrationError
    from stores.warehouse import DatabaseUnavailable, Warehouse

    try:
        return Warehouse.connect(upgrade=upgrade)
    except (DatabaseUnavailable, MigrationError) as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")  # the scale it was stored at, never exponent notation
    return str(value)


def print_json(value: Any) -> None:
    typer.echo(json.dumps(value, default=_default, indent=2))
