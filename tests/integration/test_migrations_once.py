"""Migrations apply once per process (or by `recon db upgrade`), not on every connection: a current
schema is read once and takes no lock, a schema found behind is brought up under the migration lock."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from stores.pg_migrations import MIGRATIONS_DIR, discover, upgrade
from stores.warehouse import Warehouse

RECON = Path(sys.executable).with_name("recon")


@contextmanager
def migration_lock_held(url: str) -> Iterator[None]:
    """Another session (an upgrade in progress elsewhere) holds the migration lock."""
    engine = sa.create_engine(Warehouse.connect(url, upgrade=False).engine.url)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with engine.begin() as conn:
            conn.execute(sa.text("LOCK TABLE recon.schema_migrations IN EXCLUSIVE MODE"))
            holding.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(30)
        yield
    finally:
        release.set()
        holder.join()
        engine.dispose()


def recon(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RECON_DATABASE_URL": url, "RECON_MIGRATION_LOCK_TIMEOUT_S": "1"}
    return subprocess.run([str(RECON), *args], env=env, capture_output=True, text=True, timeout=120)


def applied(url: str) -> list[str]:
    wh = Warehouse.connect(url, upgrade=False)
    try:
        return [r["name"] for r in wh.rows("SELECT name FROM recon.schema_migrations ORDER BY version")]
    finally:
        wh.engine.dispose()


def test_a_current_schema_is_not_upgraded_again_by_a_command_or_a_connect(
        fresh_database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Warehouse.connect(fresh_database_url)  # brand-new database: everything is applied, once
    first.engine.dispose()
    assert applied(fresh_database_url) == [m.name for m in discover()]
    monkeypatch.setenv("RECON_MIGRATION_LOCK_TIMEOUT_S", "1")
    with migration_lock_held(fresh_database_url):
        started = time.monotonic()
        Warehouse.connect(fresh_database_url).engine.dispose()  # same process: not even read again
        status = recon(fresh_database_url, "db", "status")  # a new process: one read, no lock
        assert status.returncode == 0, status.stderr
        assert "bank_entries" in status.stdout
        # Only an explicit upgrade (which re-grants the analyst role) waits for the lock, boundedly.
        explicit = recon(fresh_database_url, "db", "upgrade")
        assert explicit.returncode == 2
        assert "waited 1 s for the migration lock" in explicit.stderr
        assert time.monotonic() - started < 60


# A command that writes to the store, so opens it through the migration check (reads only read).
ACT = ("discrepancies", "acknowledge", "no-such-key", "--by", "ops", "--note", "schema check")


def test_a_schema_found_behind_is_brought_up_once_under_the_lock(fresh_database_url: str, tmp_path: Path) -> None:
    older = tmp_path / "older"
    shutil.copytree(MIGRATIONS_DIR, older)
    newest = discover()[-1]
    (older / newest.name).unlink()
    engine = sa.create_engine(Warehouse.connect(fresh_database_url, upgrade=False).engine.url)
    upgrade(engine, older)  # the database as an earlier release left it
    engine.dispose()
    assert newest.name not in applied(fresh_database_url)
    with migration_lock_held(fresh_database_url):
        # Behind while another upgrade holds the lock: it waits (boundedly) and says so, changing nothing.
        blocked = recon(fresh_database_url, *ACT)
        assert blocked.returncode == 2
        assert "migration lock" in blocked.stderr
    assert newest.name not in applied(fresh_database_url)
    status = recon(fresh_database_url, *ACT)
    assert status.returncode == 1, status.stderr  # brought up, then: no such discrepancy
    assert applied(fresh_database_url) == [m.name for m in discover()]
