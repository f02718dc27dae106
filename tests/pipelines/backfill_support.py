"""What the backfill tests share: a home of their own for the demo world and Dagster, emptying the output
store between the in-order week and the backfill, and the comparison of the two."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pipelines.config.load import OVERRIDES
from stores.warehouse import Warehouse

MANIFESTS = "runs (latest per partition)"  # written by the runner around a whole job, not by the assets


def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """RECON_HOME and DAGSTER_HOME under tmp_path, and none of the settings a developer's shell may carry."""
    home = tmp_path / "home"
    for var in OVERRIDES.values():
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("RECON_HOME", str(home))
    monkeypatch.setenv("DAGSTER_HOME", str(home / "dagster"))
    return home


def store_engine(database_url: str) -> sa.Engine:
    """An engine on the output store, migrated by the fixture that made it (nothing is applied here)."""
    return sa.create_engine(Warehouse.connect(database_url, upgrade=False).engine.url)


def empty_outputs(engine: sa.Engine) -> None:
    """Every output row goes, so the backfill rebuilds them from the sources alone (the pinned ledger
    snapshots stay, as a backfill finds them); the files the first runs quarantined go back to the drop
    folder, where they were before those runs."""
    with engine.begin() as conn:
        moved = conn.execute(sa.text("SELECT file_name, quarantine_path FROM recon.ingested_files "
                                     "WHERE status = 'quarantined' AND quarantine_path IS NOT NULL")).all()
        for name, where in moved:
            held = Path(where)
            if not held.is_file():
                continue
            held.rename(held.parent.parent / name)
            held.with_name(held.name + ".reason.txt").unlink(missing_ok=True)
        tables = conn.execute(sa.text("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                      "'recon' AND table_type = 'BASE TABLE' AND table_name <> "
                                      "'schema_migrations'")).scalars().all()
        conn.execute(sa.text("TRUNCATE " + ", ".join(f"recon.{t}" for t in tables) + " CASCADE"))


def differences(in_order: dict[str, Any], again: dict[str, Any]) -> dict[str, tuple[int, int, list]]:
    """The output tables (the run manifests aside) whose rows differ: both sizes and the first three rows
    in one but not the other."""
    return {t: (len(in_order[t]), len(again.get(t, [])),
                sorted(set(again.get(t, [])) ^ set(in_order[t]), key=repr)[:3])
            for t in in_order if t != MANIFESTS and again.get(t) != in_order[t]}
