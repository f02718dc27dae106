"""`recon config show` and `recon config check`, run as a person runs them (the installed command)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.config.load import OVERRIDES
from stores.warehouse import Warehouse

SECRET = "s3cret-pw"  # noqa: S105 (a made-up password that must never be printed)
CONFIG = """
[store]
database_url_env = "MY_STORE_URL"

[statements]
drop_folder = "drop"

[ledger]
kind = "files"
dir = "ledger"
"""


def recon(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in OVERRIDES.values()}
    return subprocess.run([str(Path(sys.executable).parent / "recon"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env={**base, **env})


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "etc"
    folder.mkdir()
    (folder / "recon.toml").write_text(CONFIG)
    return folder


def test_show_says_where_each_value_came_from_and_masks_secrets(project: Path, tmp_path: Path) -> None:
    out = recon(["config", "show"], cwd=tmp_path, RECON_CONFIG=str(project / "recon.toml"),
                MY_STORE_URL=f"postgresql://recon:{SECRET}@db.example:5432/recon",
                RECON_CREDIT_CONFIG="credit.json")
    assert out.returncode == 0, out.stderr
    lines = {name: line for line in out.stdout.splitlines() for name in OVERRIDES if f" {name} " in line}
    assert SECRET not in out.stdout + out.stderr
    assert "db.example" in lines["store.database_url"] and "env MY_STORE_URL (named in file)" in lines[
        "store.database_url"]
    assert f"{project / 'drop'}" in lines["statements.drop_folder"] and lines["statements.drop_folder"].endswith("file")
    assert f"{tmp_path / 'credit.json'}" in lines["credit.file"]  # a variable's path: the working directory's
    assert lines["credit.file"].endswith("env RECON_CREDIT_CONFIG")
    assert lines["chains.file"].endswith("not configured")
    assert str(project / "recon.toml") in out.stdout.splitlines()[0]


def test_check_exits_non_zero_when_a_configured_source_is_unreachable(project: Path) -> None:
    (project / "ledger").mkdir()
    out = recon(["config", "check"], cwd=project, RECON_CONFIG=str(project / "recon.toml"),
                MY_STORE_URL=f"postgresql://recon:{SECRET}@127.0.0.1:1/recon")
    assert out.returncode == 1, out.stdout + out.stderr
    states = {line[:22].strip(): line[22:].split()[0] for line in out.stdout.splitlines() if line.strip()}
    assert states["output store"] == "unreachable"
    assert states["bank statements"] == "unreachable"  # configured, but no such folder
    assert states["ledger"] == "reachable"
    assert states["chains"] == "not"  # "not configured"
    assert SECRET not in out.stdout + out.stderr


def test_check_passes_when_every_configured_source_answers(project: Path, warehouse: Warehouse) -> None:
    (project / "drop").mkdir()
    (project / "ledger").mkdir()
    url = warehouse.engine.url.render_as_string(hide_password=False)
    out = recon(["config", "check"], cwd=project, RECON_CONFIG=str(project / "recon.toml"), MY_STORE_URL=url)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "output store         reachable" in out.stdout
    assert "not configured" in out.stdout  # chains, reserves, credit: said, and not a failure
