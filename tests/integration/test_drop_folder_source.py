"""The drop folder fails closed: not configured is a state, a checkout or the root is refused, the
folder is known by its real path however it is spelled, and nothing outside it ever moves."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date
from pathlib import Path

import dagster as dg
import pytest
from typer.testing import CliRunner

from assets.bank import bank_statement_tables
from clients.folder_source import DropFolderNotConfigured, DropFolderRefused, LocalFolderSource
from pipelines.cli import app
from pipelines.sensors import statement_drop_folder_sensor
from resources.drop_folder import StatementsResource
from resources.warehouse_resource import WarehouseResource
from stores.statement_days import load_business_date
from stores.warehouse import Warehouse
from tests.support.bank_files import new_account, statement, write_statement

RECON = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "recon"


@pytest.mark.parametrize("setting", ["", "   ", None])
def test_an_empty_setting_is_not_configured_never_the_working_directory(setting: str | None) -> None:
    with pytest.raises(DropFolderNotConfigured, match="not configured"):
        StatementsResource(drop_folder=setting or "").source()
    with pytest.raises(DropFolderNotConfigured):
        LocalFolderSource(setting)  # type: ignore[arg-type]


def test_a_project_checkout_is_refused_in_one_sentence(project_root: Path, tmp_path: Path) -> None:
    with pytest.raises(DropFolderRefused, match=r"is a project checkout \(it holds") as err:
        LocalFolderSource(project_root)
    assert str(err.value).count(". ") == 0  # one sentence
    # A folder holding a checkout one level down is refused too.
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    with pytest.raises(DropFolderRefused, match=r"contains \(repo/\) a project checkout"):
        LocalFolderSource(tmp_path)
    with pytest.raises(DropFolderRefused, match="is the filesystem root"):
        LocalFolderSource("/")


def _sensor(folder: str) -> dg.SensorResult:
    context = dg.build_sensor_context(resources={"statements": StatementsResource(drop_folder=folder)})
    return statement_drop_folder_sensor(context)


def test_the_sensor_skips_when_not_configured_or_refused(project_root: Path) -> None:
    for folder, why in (("", "not configured"), (str(project_root), "project checkout"), ("/", "root")):
        result = _sensor(folder)
        assert result.run_requests == [] or result.run_requests is None
        assert result.skip_reason is not None and why in result.skip_reason.skip_message


def test_the_asset_writes_nothing_when_the_folder_is_not_configured(
        warehouse: Warehouse, tmp_path: Path) -> None:
    day = date(2026, 6, 1)
    acct = new_account()
    drop = tmp_path / "drop"
    drop.mkdir()
    write_statement(drop / "a.xml", statement(acct, day, ["4.00"]))
    load_business_date(warehouse, LocalFolderSource(drop), day)
    before = warehouse.rows("SELECT count(*) AS n FROM recon.bank_statements WHERE business_date = :d", d=day)
    url = warehouse.engine.url.render_as_string(hide_password=False)

    result = dg.materialize([bank_statement_tables], partition_key=str(day), resources={
        "statements": StatementsResource(drop_folder=""), "warehouse": WarehouseResource(database_url=url)})

    assert result.success
    check = result.get_asset_check_evaluations()[0]
    assert check.passed is False and check.metadata["source_state"].value == "not_configured"
    after = warehouse.rows("SELECT count(*) AS n FROM recon.bank_statements WHERE business_date = :d", d=day)
    assert after == before == [{"n": 1}]  # the day kept its rows: nothing replaced on a failed read


def test_only_listed_files_inside_the_folder_move(warehouse: Warehouse, tmp_path: Path) -> None:
    drop, outside = tmp_path / "drop", tmp_path / "elsewhere"
    drop.mkdir()
    outside.mkdir()
    (outside / "secret.xml").write_text("not a statement")
    (drop / "link-out.xml").symlink_to(outside / "secret.xml")
    (drop / "junk.xml").write_text("not a statement either")
    source = LocalFolderSource(drop)

    load = load_business_date(warehouse, source, date(2026, 6, 2))

    assert (outside / "secret.xml").read_text() == "not a statement"  # never read, never moved
    assert (drop / "link-out.xml").is_symlink()
    assert "outside the drop folder: not read and not moved" in load.registration.quarantined["link-out.xml"]
    assert (drop / "quarantine" / "junk.xml").is_file()
    with pytest.raises(OSError, match="not listed"):
        source.quarantine("never-listed.xml", "x")
    with pytest.raises(OSError):
        source.quarantine("../elsewhere/secret.xml", "x")


def _ingest(cwd: Path, drop: str, day: date, url: str) -> dict:
    """The installed command, as a user runs it from `cwd`."""
    env = {**os.environ, "RECON_DATABASE_URL": url}
    out = subprocess.run([str(RECON), "camt", "ingest", "--drop", drop, "--date", str(day), "--json"],
                         cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _ingest_here(cwd: Path, drop: str, day: date, url: str, monkeypatch: pytest.MonkeyPatch) -> dict:
    """The same command in process (starting the installed one costs many seconds)."""
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("RECON_DATABASE_URL", url)
    out = CliRunner().invoke(app, ["camt", "ingest", "--drop", drop, "--date", str(day), "--json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


def test_relative_and_absolute_spellings_are_one_source(fresh_warehouse: Warehouse, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    day = date(2026, 6, 3)
    drop = tmp_path / "work" / "drop"
    drop.mkdir(parents=True)
    for i in range(3):
        write_statement(drop / f"s{i}.xml", statement(new_account(), day, ["1.00", str(i + 2)]))
    url = fresh_warehouse.engine.url.render_as_string(hide_password=False)

    relative = _ingest(tmp_path / "work", "drop", day, url)
    rows_relative = fresh_warehouse.rows("SELECT statement_key, source_file FROM recon.bank_statements "
                                         "WHERE business_date = :d ORDER BY 1", d=day)
    absolute = _ingest_here(tmp_path, str(drop), day, url, monkeypatch)
    dotted = _ingest_here(drop, ".", day, url, monkeypatch)

    assert relative["dates"][str(day)]["statements"] == 3
    assert absolute["dates"] == dotted["dates"] == relative["dates"]
    assert fresh_warehouse.rows("SELECT statement_key, source_file FROM recon.bank_statements "
                                "WHERE business_date = :d ORDER BY 1", d=day) == rows_relative
    sources = fresh_warehouse.rows("SELECT DISTINCT source FROM recon.ingested_files")
    assert sources == [{"source": f"drop_folder:{os.path.realpath(drop)}"}]
