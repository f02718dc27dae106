"""The SQL files and the one helper that lets a name into SQL text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from recon.sql import folder, postgres_sql
from stores.identifiers import names, render, schema

ROOT = Path(__file__).resolve().parents[2]
CODE = ("assets", "resources", "services", "stores", "clients", "settings", "embedded", "pipelines", "recon", "bench",
        "tests")


def _used_names() -> set[str]:
    """Every quoted lower-case word in the code (a query is loaded by its name), and the demo wipe's
    `delete_demo_<table>` names."""
    found: set[str] = set()
    for top in CODE:
        for path in (ROOT / top).rglob("*.py"):
            if path.name == Path(__file__).name:
                continue
            text = path.read_text()
            words = set(re.findall(r'"([a-z0-9_]+)"', text))
            found |= words | ({f"delete_demo_{w}" for w in words} if "delete_demo_{t}" in text else set())
    return found


def test_every_query_file_opens_with_a_comment_and_is_used() -> None:
    files = {p.name[:-4]: p.read_text() for p in folder("postgres", "queries").iterdir() if p.name.endswith(".sql")}
    assert len(files) > 70
    assert [n for n, text in files.items() if not text.startswith("-- ")] == []
    # A file nothing loads is dead; a name loaded without a file fails at import, so both are caught here.
    assert sorted(set(files) - _used_names()) == []


def test_names_enter_sql_only_when_plain() -> None:
    template = "SELECT {columns} FROM recon.{table}"
    assert render(template, columns=names(["a", "b"], "t"), table="bank_entries") == \
        "SELECT t.a, t.b FROM recon.bank_entries"
    # Each of these would put something other than a name into the statement's text.
    for bad in ("entries; DROP TABLE x", "Entries", "a b", "x--", '"quoted"', ""):
        with pytest.raises(ValueError):
            render(template, columns="a", table=bad)
    with pytest.raises(ValueError):  # every placeholder given, no more
        render(template, table="t")
    with pytest.raises(ValueError):
        names(["ok", "1bad"])


def test_schema_allow_list() -> None:
    assert schema("recon") == "recon" and schema("ledger") == "ledger"
    assert schema("ledger_test", allowed=["ledger_test"]) == "ledger_test"
    with pytest.raises(ValueError):
        schema("pg_catalog")
    with pytest.raises(ValueError):
        schema("x; drop", allowed=["x; drop"])


def test_queries_are_read_from_the_package() -> None:
    assert postgres_sql("finish_run").startswith("-- ") and ":only_if_running" in postgres_sql("finish_run")
