"""recon.toml: where it is found, how overrides and secrets work, and what its errors say."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.config.load import ConfigError, find_config_file, load_config
from pipelines.definitions import build_resources

FULL = """
[store]
database_url_env = "MY_STORE_URL"

[alerts]
webhook_url_env = "MY_HOOK"

[statements]
drop_folder = "drop"

[ledger]
url_env = "MY_LEDGER_URL"

[chains]
file = "conf/chains.json"

[reserves]
file = "/abs/reserves.json"

[demo]
world = "world"
ports = [1, 2, 3]
"""


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    from pipelines.config.load import OVERRIDES

    for var in [*OVERRIDES.values(), "RECON_CONFIG", "MY_STORE_URL", "MY_HOOK", "MY_LEDGER_URL"]:
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "recon.toml"
    path.write_text(text)
    return path


def test_relative_paths_resolve_against_the_files_folder(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "etc", FULL)
    clean_env.chdir(tmp_path)  # not the file's folder
    config = load_config(path)
    assert config.value("statements.drop_folder") == str(tmp_path / "etc" / "drop")
    assert config.value("chains.file") == str(tmp_path / "etc" / "conf" / "chains.json")
    assert config.value("reserves.file") == "/abs/reserves.json"
    assert config["statements.drop_folder"].origin == "file"
    assert config.demo is not None and config.demo.world == tmp_path / "etc" / "world"
    assert config.demo.ports == (1, 2, 3)


def test_unset_sources_are_not_configured_and_defaults_say_so(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    config = load_config(write(tmp_path, "[statements]\ndrop_folder = \"\"\n"))
    assert config["statements.drop_folder"].value is None  # empty is never the working directory
    assert config["statements.drop_folder"].origin == "not configured"
    assert config["credit.file"].origin == "not configured"
    assert (config.value("store.database_url"), config["store.database_url"].origin) == ("embedded", "default")
    # the resources get "" (not configured), never a path
    resources = build_resources(config)
    assert resources["statements"].drop_folder == ""  # type: ignore[attr-defined]
    assert resources["ledger"].snapshot_dir == ""  # type: ignore[attr-defined]


def test_variables_override_the_file_and_empty_ones_do_not(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "etc", FULL)
    clean_env.chdir(tmp_path)
    clean_env.setenv("RECON_STATEMENTS_DIR", "elsewhere")
    clean_env.setenv("RECON_CHAIN_CONFIG", "")
    config = load_config(path)
    assert config.value("statements.drop_folder") == str(tmp_path / "elsewhere")  # against the working dir
    assert config["statements.drop_folder"].origin == "env RECON_STATEMENTS_DIR"
    assert config["chains.file"].origin == "file"


def test_secrets_come_from_named_variables_and_are_masked(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, FULL)
    clean_env.setenv("MY_STORE_URL", "postgresql://recon:s3cret@db.example:5432/recon")
    clean_env.setenv("MY_HOOK", "https://hooks.example/services/T000/B000/tok3n")
    config = load_config(path)
    store = config["store.database_url"]
    assert store.value == "postgresql://recon:s3cret@db.example:5432/recon"
    assert store.origin == "env MY_STORE_URL (named in file)"
    assert "s3cret" not in store.shown() and "db.example" in store.shown()
    assert "tok3n" not in config["alerts.webhook_url"].shown()
    ledger = config["ledger.url"]
    assert ledger.value is None and ledger.origin == "not configured (MY_LEDGER_URL is unset)"
    # Dagster gets the variable's name, so the UI and run records never hold the value.
    resources = build_resources(config)
    assert resources["warehouse"].database_url == "MY_STORE_URL"  # type: ignore[attr-defined]
    assert resources["notifier"].webhook_url == "MY_HOOK"  # type: ignore[attr-defined]
    assert "s3cret" not in repr(resources) and "tok3n" not in repr(resources)


@pytest.mark.parametrize(("text", "expected"), [
    ("[ledger]\nkind = \"postgres\"\n", "ledger.kind: Input should be 'sql' or 'files' (got 'postgres')"),
    ("[ledger]\nurll = \"x\"\n", "ledger.urll: unknown setting"),
    ("[demo]\nworld = \"w\"\nports = [1, 2]\n", "demo.ports: List should have at least 3 items"),
    ("[demo]\nports = [1, 2, 3]\n", "demo.world: Field required"),
    ("[chains\n", "cannot be read as TOML"),
])
def test_errors_name_the_file_the_setting_and_what_was_expected(tmp_path: Path, clean_env: pytest.MonkeyPatch,
                                                                text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value) and expected in str(err.value)


def test_a_bad_override_names_its_variable(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("RECON_LEDGER_KIND", "postgres")
    with pytest.raises(ConfigError, match=r"env RECON_LEDGER_KIND: ledger\.kind must be one of sql, files"):
        load_config(write(tmp_path, ""))


def test_where_the_file_is_found(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    home, cwd, named = write(tmp_path / "home", ""), write(tmp_path / "cwd", ""), write(tmp_path / "named", "")
    clean_env.setenv("RECON_HOME", str(tmp_path / "home"))
    clean_env.chdir(tmp_path)
    assert find_config_file() == home
    clean_env.chdir(tmp_path / "cwd")
    assert find_config_file() == cwd
    clean_env.setenv("RECON_CONFIG", str(named))
    assert find_config_file() == named
    clean_env.setenv("RECON_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match=r"RECON_CONFIG names .*missing\.toml, which is not a file"):
        find_config_file()
    clean_env.delenv("RECON_CONFIG")
    clean_env.setenv("RECON_HOME", str(tmp_path / "nowhere"))
    clean_env.chdir(tmp_path)
    assert find_config_file() is None


def test_the_drift_window_count_reaches_the_intraday_check(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    assert build_resources(load_config(write(tmp_path / "a", "")))["bank_rules"].drift_windows == 3  # type: ignore[attr-defined]
    config = load_config(write(tmp_path / "b", "[intraday]\ndrift_windows = 5\n"))
    assert (config.value("intraday.drift_windows"), config["intraday.drift_windows"].origin) == ("5", "file")
    assert build_resources(config)["bank_rules"].drift_windows == 5  # type: ignore[attr-defined]
    with pytest.raises(ConfigError, match=r"intraday\.drift_windows"):
        load_config(write(tmp_path / "c", "[intraday]\ndrift_windows = 1\n"))
    clean_env.setenv("RECON_DRIFT_WINDOWS", "three")
    with pytest.raises(ConfigError, match=r"RECON_DRIFT_WINDOWS: intraday\.drift_windows must be a whole number"):
        load_config(write(tmp_path / "d", ""))


def test_the_listener_status_retention_is_read_checked_and_handed_on(tmp_path: Path,
                                                                     clean_env: pytest.MonkeyPatch) -> None:
    import os

    from pipelines.config.load import export_environ

    assert load_config(write(tmp_path / "a", "")).value("listener.status_retention_days") == "30"  # the default
    config = load_config(write(tmp_path / "b", "[listener]\nstatus_retention_days = 7\n"))
    assert config["listener.status_retention_days"].origin == "file"
    for var in ("RECON_CONFIG", "RECON_LISTENER_STATUS_DAYS"):  # put back as they were after the test
        clean_env.setenv(var, "")
    export_environ(config)  # what `recon listen` then reads
    assert os.environ["RECON_LISTENER_STATUS_DAYS"] == "7"
    clean_env.setenv("RECON_LISTENER_STATUS_DAYS", "")
    with pytest.raises(ConfigError, match=r"listener\.status_retention_days"):
        load_config(write(tmp_path / "c", "[listener]\nstatus_retention_days = 0\n"))
