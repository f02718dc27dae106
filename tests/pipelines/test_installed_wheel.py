"""The wheel is the product: its packages and their SQL, nothing of the checkout's demo world, tests or
benchmarks. Installed into a venv of its own (from uv's cache, offline), `recon` runs and finds its SQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = {"recon", "embedded", "settings", "clients", "stores", "resources", "services", "assets", "pipelines"}
# Modules that once sat in resources/ and moved to their own rooms: the installed product imports each.
MOVED = ["embedded.postgres", "embedded.nats_server", "settings.calendar", "settings.project_file",
         "clients.nats_bus", "clients.notifier", "clients.collateral", "clients.folder_source", "stores.warehouse",
         "stores.statement_days", "stores.statement_files", "stores.tier1_store", "services.tier1_listener",
         "services.tier1_ledger", "resources.drop_folder"]
NOT_SHIPPED = {"devworld", "tests", "bench"}


def uv() -> str:
    return shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = run(uv(), "build", "--wheel", "--offline", "-o", str(out), str(ROOT), cwd=ROOT)
    assert built.returncode == 0, built.stderr
    (path,) = out.glob("*.whl")
    return path


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A venv with the locked dependencies and the wheel (not the checkout) installed: its bin folder."""
    venv = tmp_path_factory.mktemp("installed") / "venv"
    env = {"UV_PROJECT_ENVIRONMENT": str(venv)}
    deps = run(uv(), "sync", "--frozen", "--no-dev", "--no-install-project", "--offline", "-q", cwd=ROOT, env=env)
    assert deps.returncode == 0, deps.stderr
    own = run(uv(), "pip", "install", "--offline", "--no-deps", "-q", "--python", str(venv / "bin" / "python"),
              str(wheel), cwd=ROOT)
    assert own.returncode == 0, own.stderr
    yield venv / "bin"
    shutil.rmtree(venv, ignore_errors=True)


def checkout_sql() -> set[str]:
    """Every SQL file of the product in the checkout, by its path (those of tests and benchmarks aside)."""
    found = set()
    for path in ROOT.rglob("*.sql"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] not in NOT_SHIPPED and not rel.parts[0].startswith("."):
            found.add(rel.as_posix())
    return found


def test_the_wheel_holds_the_product_and_its_sql_only(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if ".dist-info/" not in n}
    present = {p for p in PRODUCT if (ROOT / p).is_dir()}
    assert tops == present
    packaged = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert set(packaged["packages"]) == PRODUCT
    modules = {p.relative_to(ROOT).as_posix() for top in PRODUCT for p in (ROOT / top).rglob("*.py")}
    assert modules - set(names) == set()  # every module of every room, the moved ones included
    assert not tops & NOT_SHIPPED
    sql = checkout_sql()
    assert len(sql) > 40  # the DuckDB queries and the Postgres migrations
    assert sql - set(names) == set()  # each at its place inside a package, so the package finds it


def test_the_installed_command_runs_and_finds_its_sql(installed: Path, tmp_path: Path, fresh_database_url: str) -> None:
    env = {"RECON_DATABASE_URL": fresh_database_url, "RECON_HOME": str(tmp_path / "home")}
    helped = run(str(installed / "recon"), "--help", cwd=tmp_path, env=env)
    assert helped.returncode == 0, helped.stderr
    assert "Usage: recon" in helped.stdout
    imports = run(str(installed / "python"), "-c", f"import {', '.join(MOVED)}", cwd=tmp_path, env=env)
    assert imports.returncode == 0, imports.stderr
    # Applying the migrations reads every SQL file of the store from the installed package.
    upgraded = run(str(installed / "recon"), "db", "upgrade", cwd=tmp_path, env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    status = run(str(installed / "recon"), "db", "status", "--json", cwd=tmp_path, env=env)
    assert status.returncode == 0, status.stderr
    assert "bank_entries" in status.stdout and "discrepancies" in status.stdout
    # The demo world's servers are the checkout's: the installed command says so, and changes nothing.
    demo = run(str(installed / "recon"), "demo", cwd=tmp_path, env=env)
    assert demo.returncode == 2
    assert "checkout" in demo.stderr
    assert not (tmp_path / "home" / "demo").exists()
