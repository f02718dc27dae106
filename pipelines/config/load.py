"""Find and read the project configuration, apply environment overrides, and say where each value came from.

The file is the first of: $RECON_CONFIG, ./recon.toml, $RECON_HOME/recon.toml (RECON_HOME defaults to
the project's .recon/). None at all is allowed: every source is then not configured, except the output
store (embedded). A variable listed in OVERRIDES, when set and not empty, wins over the file (an empty
one is ignored, never read as "here"). Relative paths in the file resolve against the file's folder,
relative paths in a variable against the working directory.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from pipelines.config.model import ProjectFile
from recon.calendar import CalendarError, calendar_from_mapping
from settings.project_file import FILE_NAME, ProjectFileMissing, find_project_file

__all__ = ["FILE_NAME", "ConfigError", "ProjectConfig", "find_config_file", "load_config"]

# setting -> the variable that overrides it (per environment, or a secret)
OVERRIDES = {
    "store.database_url": "RECON_DATABASE_URL",
    "store.analyst_password": "RECON_ANALYST_PASSWORD",
    "alerts.webhook_url": "RECON_WEBHOOK_URL",
    "statements.drop_folder": "RECON_STATEMENTS_DIR",
    "ledger.kind": "RECON_LEDGER_KIND",
    "ledger.url": "RECON_LEDGER_URL",
    "ledger.db_schema": "RECON_LEDGER_SCHEMA",
    "ledger.dir": "RECON_LEDGER_DIR",
    "chains.file": "RECON_CHAIN_CONFIG",
    "reserves.file": "RECON_RESERVES_CONFIG",
    "credit.file": "RECON_CREDIT_CONFIG",
    "intraday.drift_windows": "RECON_DRIFT_WINDOWS",
}
# setting -> the file's key naming a variable that holds it (secrets are never written in the file)
SECRET_KEYS = {
    "store.database_url": "database_url_env",
    "store.analyst_password": "analyst_password_env",
    "alerts.webhook_url": "webhook_url_env",
    "ledger.url": "url_env",
}
PATHS = {"statements.drop_folder", "ledger.dir", "chains.file", "reserves.file", "credit.file"}
DEFAULTS = {"store.database_url": "embedded", "ledger.db_schema": "ledger", "intraday.drift_windows": "3"}
KINDS = ("sql", "files")


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the file, the setting and what was expected."""


@dataclass(frozen=True)
class Setting:
    name: str
    value: str | None  # None: not configured
    origin: str  # "file", "env NAME", "default", "inferred", "not configured"
    env: str | None = None  # the variable the value came from
    secret: bool = False

    @property
    def configured(self) -> bool:
        return self.value is not None

    def shown(self) -> str:
        if self.value is None:
            return "-"
        return mask(self.value) if self.secret else self.value


@dataclass(frozen=True)
class DemoServices:
    world: Path
    ports: tuple[int, int, int]
    autostart: bool


@dataclass(frozen=True)
class ProjectConfig:
    path: Path | None
    settings: dict[str, Setting]
    demo: DemoServices | None = None

    def value(self, name: str) -> str | None:
        return self.settings[name].value

    def __getitem__(self, name: str) -> Setting:
        return self.settings[name]


def mask(value: str) -> str:
    """A secret as it may be shown: its scheme and host, never a password or token."""
    if "://" not in value:
        return "****" if value not in ("", "embedded") else value
    scheme, rest = value.split("://", 1)
    host = rest.split("/", 1)[0].rsplit("@", 1)[-1]
    user = rest.split("/", 1)[0].rsplit("@", 1)[0].split(":", 1)[0] + "@" if "@" in rest.split("/", 1)[0] else ""
    return f"{scheme}://{user}{host}/****"


def find_config_file() -> Path | None:
    try:
        return find_project_file()
    except ProjectFileMissing as exc:
        raise ConfigError(str(exc)) from exc


def _read(path: Path) -> ProjectFile:
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read as TOML: {exc}") from exc
    try:
        model = ProjectFile.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            got = "" if err["type"] == "missing" else f" (got {err['input']!r})"
            what = "unknown setting" if err["type"] == "extra_forbidden" else err["msg"]
            lines.append(f"{path}: {where}: {what}{got}")
        raise ConfigError("\n".join(lines)) from exc
    try:  # checked here too, so every command names a wrong calendar field before it starts
        calendar_from_mapping(data.get("calendar"), f"{path}: calendar")
    except CalendarError as exc:
        raise ConfigError(str(exc)) from exc
    return model


def _resolve(name: str, raw: object, base: Path | None) -> str | None:
    if raw is None or str(raw).strip() == "":
        return None
    text = str(raw).strip()
    if name in PATHS:
        p = Path(text).expanduser()
        return str(p if p.is_absolute() else ((base or Path.cwd()) / p).resolve())
    return text


def _setting(name: str, data: ProjectFile | None, folder: Path | None) -> Setting:
    secret = name in SECRET_KEYS
    var = OVERRIDES.get(name)
    if var and os.environ.get(var, "").strip():
        return Setting(name, _resolve(name, os.environ[var], None), f"env {var}", var, secret)
    section, key = name.split(".")
    part = getattr(data, section) if data else None
    if secret and part is not None:
        named = getattr(part, SECRET_KEYS[name])
        if named:
            value = os.environ.get(named, "").strip() or None
            origin = f"env {named} (named in file)" if value else f"not configured ({named} is unset)"
            return Setting(name, value, origin, named, True)
    raw = getattr(part, key, None) if part is not None else None
    value = _resolve(name, raw, folder)
    if value is not None:
        return Setting(name, value, "file", None, secret)
    if name in DEFAULTS:
        return Setting(name, DEFAULTS[name], "default", None, secret)
    return Setting(name, None, "not configured", None, secret)


def load_config(path: Path | None = None) -> ProjectConfig:
    path = path or find_config_file()
    data = _read(path) if path else None
    folder = path.parent if path else None
    settings = {name: _setting(name, data, folder) for name in OVERRIDES}
    kind = settings["ledger.kind"]
    if kind.value is not None and kind.value not in KINDS:
        raise ConfigError(f"{kind.origin}: ledger.kind must be one of {', '.join(KINDS)} (got {kind.value!r})")
    windows = settings["intraday.drift_windows"]
    if not (windows.value or "").isdigit() or int(windows.value or 0) < 2:
        raise ConfigError(f"{windows.origin}: intraday.drift_windows must be a whole number of windows, at least 2 "
                          f"(got {windows.value!r})")
    if kind.value is None:  # one of url / dir says which
        url, folder_set = settings["ledger.url"].configured, settings["ledger.dir"].configured
        inferred = "sql" if url else "files" if folder_set else None
        if inferred:
            settings["ledger.kind"] = Setting("ledger.kind", inferred, "inferred")
    demo = None
    if data is not None and data.demo is not None and folder is not None:
        p = data.demo.ports
        demo = DemoServices((folder / data.demo.world).resolve(), (p[0], p[1], p[2]), data.demo.autostart)
    return ProjectConfig(path, settings, demo)


def export_environ(config: ProjectConfig) -> None:
    """Hand the resolved values to code that reads the variables (this process and its children only)."""
    if config.path is not None:
        os.environ["RECON_CONFIG"] = str(config.path)
    for name, var in OVERRIDES.items():
        setting = config[name]
        if setting.configured and setting.origin != "default":  # the code has the same defaults
            os.environ[var] = setting.value  # type: ignore[assignment]
