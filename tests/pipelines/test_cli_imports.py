"""`recon --help` and the commands that only read load none of the heavy libraries: the installed entry
point in a subprocess under `python -X importtime`, and the set of modules it imported.

An import-set assertion, not a timing: what made these commands slow (Dagster, Polars, SQLAlchemy,
the chain clients) is simply never imported on their paths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from stores.warehouse import Warehouse

RECON = Path(sys.executable).with_name("recon")
HEAVY = {"dagster", "polars", "sqlalchemy", "duckdb", "web3", "eth_tester", "stellar_sdk", "lxml", "nats",
         "pandas", "pyarrow", "vyper"}
READ_ONLY = [
    (["--help"], 0),
    (["discrepancies", "--help"], 0),
    (["config", "show"], 0),
    (["config", "show", "--json"], 0),
    (["db", "url"], 0),
    (["db", "url", "--admin"], 0),
    (["db", "status", "--json"], 0),
    (["discrepancies", "list", "--severity", "critical"], 0),
    (["discrepancies", "show", "no-such-key"], 1),
    (["breaker", "list", "--all"], 0),
    (["credit", "positions", "--date", "1999-01-04"], 1),  # none for that day: says so
]


def imported(args: list[str], env: dict[str, str], code: int | None) -> set[str]:
    done = subprocess.run([sys.executable, "-X", "importtime", str(RECON), *args], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert code is None or done.returncode == code, (args, done.stdout[-2000:], done.stderr[-2000:])
    lines = [ln.split("|")[-1] for ln in done.stderr.splitlines() if ln.startswith("import time:")]
    return {ln.strip().split(".")[0] for ln in lines[1:]}  # the first line is the header


@pytest.mark.parametrize(("args", "code"), READ_ONLY, ids=[" ".join(a) for a, _ in READ_ONLY])
def test_read_only_commands_import_no_heavy_library(args: list[str], code: int,
                                                     warehouse: Warehouse) -> None:
    url = warehouse.engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "RECON_DATABASE_URL": url, "NO_COLOR": "1"}
    modules = imported(args, env, code)
    assert "typer" in modules  # the measurement sees the command's imports
    assert modules & HEAVY == set()


def test_a_command_that_needs_the_warehouse_shows_its_imports(warehouse: Warehouse) -> None:
    """The measurement can fail: a command that opens the warehouse (SQLAlchemy, Polars) shows them."""
    url = warehouse.engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "RECON_DATABASE_URL": url, "NO_COLOR": "1"}
    modules = imported(["reserves", "analytics"], env, None)  # the store may or may not hold operations
    assert {"sqlalchemy", "polars"} <= modules
