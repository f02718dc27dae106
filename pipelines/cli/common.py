"""What every command shares: opening the warehouse with a clear message, printing JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import typer

from resources.pg_migrations import MigrationError
from resources.warehouse import DatabaseUnavailable, Warehouse


def open_warehouse(upgrade: bool = True) -> Warehouse:
    try:
        return Warehouse.connect(upgrade=upgrade)
    except (DatabaseUnavailable, MigrationError) as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def print_json(value: Any) -> None:
    typer.echo(json.dumps(value, default=_default, indent=2))
