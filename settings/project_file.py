"""Where the project configuration file is: one rule for every entry point (the `recon` command, the
definitions `dagster dev`, `dg launch` and the daemon load, the tests).

The first of: $RECON_CONFIG, ./recon.toml, $RECON_HOME/recon.toml (RECON_HOME defaults to the project's
.recon/, where `make demo` writes its file). None at all is allowed."""

from __future__ import annotations

import os
from pathlib import Path

from embedded.postgres import recon_home

FILE_NAME = "recon.toml"


class ProjectFileMissing(ValueError):
    """RECON_CONFIG names a file that is not there."""


def find_project_file() -> Path | None:
    named = os.environ.get("RECON_CONFIG", "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ProjectFileMissing(f"RECON_CONFIG names {path}, which is not a file")
        return path.resolve()
    for path in (Path.cwd() / FILE_NAME, recon_home() / FILE_NAME):
        if path.is_file():
            return path.resolve()
    return None
