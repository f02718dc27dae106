"""The project configuration `recon demo` writes for its world, so every entry point finds it afterwards."""

from __future__ import annotations

import os
from pathlib import Path

MARK = "# Written by `recon demo` for its world"


def demo_config_text(world: Path, folder: Path, ports: list[int], embedded_store: bool) -> str:
    rel = os.path.relpath(world, folder)
    # The ledger lives in schema ledger of the output store: "embedded", or the store's own URL variable
    # (a real server's URL holds a password, which never goes into this file).
    ledger = 'url = "embedded"' if embedded_store else 'url_env = "RECON_DATABASE_URL"'
    store = 'database_url = "embedded"' if embedded_store else 'database_url_env = "RECON_DATABASE_URL"'
    return f"""{MARK} (rewritten by each `make demo`); copy recon.toml.example to edit your own.
# Relative paths resolve against this file's folder. Variables override it (see .env.example).

[store]
{store}

[statements]
drop_folder = "{rel}/drop"

[ledger]
kind = "sql"
{ledger}
db_schema = "ledger"

[chains]
file = "{rel}/chains.json"

[reserves]
file = "{rel}/reserves.json"

[credit]
file = "{rel}/credit.json"

# The demo's local chains and Horizon fixture: replayed deterministically and started on demand.
[demo]
world = "{rel}"
ports = [{", ".join(str(p) for p in ports)}]
"""


def write_demo_config(path: Path, world: Path, ports: list[int], embedded_store: bool) -> Path:
    """Write recon.toml for the demo; a file a person wrote there is kept aside as recon.toml.bak."""
    if path.exists() and not path.read_text().startswith(MARK):
        path.replace(path.with_name(path.name + ".bak"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(demo_config_text(world, path.parent, ports, embedded_store))
    return path
