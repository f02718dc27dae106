"""The embedded server: reused when running, restarted after a crash, and clear when a URL is wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from embedded.postgres import DatabaseUnavailable, embedded_url, stop_embedded
from pipelines.cli import app
from stores.warehouse import Warehouse


def ping(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT 1")).scalar_one()
    finally:
        engine.dispose()


@pytest.fixture
def pgdata(tmp_path: Path):
    path = tmp_path / "pg"
    yield path
    stop_embedded(path)


def test_started_twice_reuses_one_server(pgdata: Path) -> None:
    first = embedded_url(pgdata)
    pid = (pgdata / "postmaster.pid").read_text().splitlines()[0]
    second = embedded_url(pgdata)
    assert first == second
    assert (pgdata / "postmaster.pid").read_text().splitlines()[0] == pid
    assert ping(second) == 1


def test_stale_lock_file_after_a_crash_is_survived(pgdata: Path, tmp_path: Path) -> None:
    embedded_url(pgdata)
    lock = (pgdata / "postmaster.pid").read_text()
    assert stop_embedded(pgdata)
    # What a crash leaves behind: the lock file of a server that is gone.
    (pgdata / "postmaster.pid").write_text(lock)
    url = embedded_url(pgdata)
    assert ping(url) == 1
    assert (pgdata / "postmaster.pid").read_text().splitlines()[0] != lock.splitlines()[0]


def test_a_stale_lock_naming_another_servers_live_process_is_survived(pgdata: Path, warehouse: Warehouse) -> None:
    """After a crash and a restart, the old pid may now belong to another Postgres (here: a backend of
    the tests' own server, alive, named postgres, in another data directory)."""
    embedded_url(pgdata)
    lines = (pgdata / "postmaster.pid").read_text().splitlines()
    assert stop_embedded(pgdata)
    with warehouse.engine.connect() as conn:
        other = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        (pgdata / "postmaster.pid").write_text("\n".join([str(other), *lines[1:]]) + "\n")
        assert ping(embedded_url(pgdata)) == 1


def test_stop_when_not_running_says_so(tmp_path: Path) -> None:
    assert stop_embedded(tmp_path / "never-started") is False


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://u:secret@127.0.0.1/db", "must be a PostgreSQL URL"),
        ("postgresql://u:secret@127.0.0.1:1/recon", "Cannot connect to the output database"),
    ],
)
def test_wrong_url_gets_one_clear_sentence(url: str, expected: str) -> None:
    with pytest.raises(DatabaseUnavailable, match=expected) as err:
        Warehouse.connect(url)
    assert "secret" not in str(err.value)
    assert "What to do" in str(err.value) or "postgresql://user" in str(err.value)


def test_missing_database_is_named(warehouse: Warehouse) -> None:
    url = warehouse.engine.url.set(database="no_such_db").render_as_string(hide_password=False)
    with pytest.raises(DatabaseUnavailable, match="no_such_db"):
        Warehouse.connect(url)


def test_cli_reports_a_refused_connection_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECON_DATABASE_URL", "postgresql://u:secret@127.0.0.1:1/recon")
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2
    assert "Cannot connect to the output database" in result.output
    assert "Traceback" not in result.output and "secret" not in result.output


def test_cli_prints_the_read_only_url(monkeypatch: pytest.MonkeyPatch, warehouse: Warehouse) -> None:
    monkeypatch.setenv("RECON_DATABASE_URL", warehouse.engine.url.render_as_string(hide_password=False))
    result = CliRunner().invoke(app, ["db", "url"])
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    assert url.startswith("postgresql://recon_analyst:")  # with the role's own password
    assert ping(url.replace("postgresql://", "postgresql+psycopg://", 1)) == 1


def test_no_leftover_data_dir_is_needed(tmp_path: Path) -> None:
    # A data directory deleted under a stopped server is simply created again.
    path = tmp_path / "pg2"
    embedded_url(path)
    stop_embedded(path)
    shutil.rmtree(path)
    try:
        assert ping(embedded_url(path)) == 1
    finally:
        stop_embedded(path)
