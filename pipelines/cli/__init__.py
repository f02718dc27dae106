"""`recon`: one command line for people and scripts.

A command's module is imported, and its click command built, only when that command runs or help lists
it: `recon discrepancies list` loads the discrepancies module alone."""

from __future__ import annotations

import importlib
from typing import Any

import typer
import typer.core
import typer.main
from typer.models import CommandInfo

from pipelines.cli import config

# name -> (module, attribute): a Typer app (a command group) or a function (one command), in help order
COMMANDS = {
    "db": ("pipelines.cli.db", "app"),
    "run": ("pipelines.cli.run", "app"),
    "camt": ("pipelines.cli.camt", "app"),
    "discrepancies": ("pipelines.cli.discrepancies", "app"),
    "breaker": ("pipelines.cli.breaker", "app"),
    "reserves": ("pipelines.cli.reserves", "app"),
    "holders": ("pipelines.cli.holders", "app"),
    "credit": ("pipelines.cli.credit", "app"),
    "nats": ("pipelines.cli.nats_server", "app"),
    "demo": ("pipelines.cli.demo", "demo"),
    "listen": ("pipelines.cli.listen", "listen"),
    "publish": ("pipelines.cli.publish", "publish"),
    "config": ("pipelines.cli.config", "app"),
    "services": ("pipelines.cli.services", "app"),
    "report": ("pipelines.cli.report", "report"),
}


class LazyCommands(typer.core.TyperGroup):
    """The root group: builds a subcommand from its module when asked for it, once."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands[cmd_name] = _build(cmd_name, self.rich_markup_mode)
        return self.commands.get(cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args:
            self.get_command(ctx, args[0])
        for name in COMMANDS:  # a mistyped name is answered with the closest ones ("Did you mean")
            self.commands.setdefault(name, _Placeholder(name))
        try:
            return super().resolve_command(ctx, args)
        finally:
            for name in [n for n, c in self.commands.items() if isinstance(c, _Placeholder)]:
                del self.commands[name]


class _Placeholder(typer.core.TyperCommand):
    def __init__(self, name: str) -> None:
        super().__init__(name=name)


def _build(name: str, markup: Any) -> Any:
    module, attribute = COMMANDS[name]
    target = getattr(importlib.import_module(module), attribute)
    command: Any
    if isinstance(target, typer.Typer):
        command = typer.main.get_group(target)
    else:
        command = typer.main.get_command_from_info(CommandInfo(name=name, callback=target),
                                                   pretty_exceptions_short=True, rich_markup_mode=markup)
    command.name = name
    return command


app = typer.Typer(
    name="recon",
    help="Reconcile an issuer's bank, ledger, chains and credit book; inspect and act on what it finds.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=LazyCommands,
)
app.callback()(config.apply)
